// Roles the server enforces (resources/schema/*/004_roles.sql), on each real server: raw SQL as
// the mc_qa and mc_support logins is refused, the audit log refuses UPDATE, DELETE and TRUNCATE
// for every role and stamps who and when itself, every store write per role either succeeds or is
// refused with nothing changed, the counters stay true under every role's writes, and what
// roleAccess() and `migctl whoami` say matches what the server allows.

#include "contract_fixture.h"
#include "failure_export.h"
#include "migctl_runner.h"
#include "sql/sql_connection.h"

#include <QJsonDocument>
#include <QProcess>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

using namespace mc;
using namespace mc::test;

namespace {

// Everything a refused write must leave alone, by plain SQL as the owner.
QString fingerprint(FleetWriter &owner)
{
    QStringList parts;
    for (const char *sql :
         {"SELECT COUNT(*) FROM audit_log", "SELECT SUM(version) FROM queues",
          "SELECT SUM(parallelism) FROM queues", "SELECT SUM(version) FROM rollout_flags",
          "SELECT COUNT(*) FROM user_migrations WHERE status = 'failed'",
          "SELECT COUNT(*) FROM user_migrations WHERE status = 'completed'",
          "SELECT COUNT(*) FROM failed_records WHERE resolution IS NOT NULL",
          "SELECT COALESCE(SUM(users), 0) FROM user_status_counts WHERE status = 'failed'",
          "SELECT COUNT(*) FROM queue_jobs",
          "SELECT COALESCE(SUM(users), 0) FROM user_status_counts"})
        parts << QString::number(scalar(owner, QString::fromLatin1(sql)));
    return parts.join(u'/');
}

} // namespace

class RolesTest : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void rawWritesAreRefusedForQaAndSupport_data();
    void rawWritesAreRefusedForQaAndSupport();
    void auditLogRefusesEditsForEveryRole_data();
    void auditLogRefusesEditsForEveryRole();
    void auditEntriesCarryTheLoginAndServerTime();
    void storeWritesSucceedOrChangeNothing_data();
    void storeWritesSucceedOrChangeNothing();
    void countersStayTrueUnderTheWorkerLogin();
    void accessSaysWhatTheServerAllows_data();
    void accessSaysWhatTheServerAllows();
    void migctlRefusesBeforeTouchingAnything();
    void exportWithPayloadsIsAudited();
    void mergeSimRunsAsTheWorkerLogin();

private:
    // A database with the catalogue, failed users lt:1…lt:4 with one failed record each, and
    // completed users lt:5…lt:6.
    void seed(TestDatabase &db, std::vector<qint64> *failureIds = nullptr);
    TestServer m_server;
};

void RolesTest::initTestCase()
{
    m_server = TestServer::fromEnvironment();
    auto probe = mc::openStore(m_server.admin.toString());
    QVERIFY2(probe.ok(), qPrintable(QStringLiteral("%1 server not reachable at %2: %3")
                                        .arg(m_server.backend, m_server.admin.redacted(),
                                             probe.ok() ? QString() : probe.error().message)));
}

void RolesTest::seed(TestDatabase &db, std::vector<qint64> *failureIds)
{
    db.installedStore();
    auto owner = db.openWriter();
    seedCatalogue(*owner);
    const std::vector<qint64> ids = addFailedUsersWithRecords(*owner, QStringLiteral("lt"), 1, 4);
    addUsers(*owner, QStringLiteral("lt"), 5, 2, UserStatus::Completed);
    if (failureIds)
        *failureIds = ids;
}

void RolesTest::rawWritesAreRefusedForQaAndSupport_data()
{
    QTest::addColumn<QString>("role");
    QTest::addColumn<QString>("sql");
    const QStringList statements{
        QStringLiteral("UPDATE user_migrations SET status = 'completed' WHERE source_user_id = 1"),
        QStringLiteral("UPDATE user_migrations SET status = 'pending' WHERE status = 'failed'"),
        QStringLiteral("UPDATE queues SET parallelism = 99"),
        QStringLiteral("UPDATE queues SET paused = TRUE"),
        QStringLiteral("UPDATE rollout_flags SET percentage = 100"),
        QStringLiteral("UPDATE failed_records SET resolution = 'ignored'"),
        QStringLiteral("INSERT INTO queue_jobs (queue_name, source_portal, source_user_id) "
                       "VALUES ('serialize', 'lt', 6)"),
        QStringLiteral("UPDATE user_status_counts SET users = 0"),
        QStringLiteral("INSERT INTO audit_log (database_user, os_user, action) VALUES "
                       "('mc_lead_alice', 'alice', 'set_queue')"),
        QStringLiteral("DELETE FROM audit_log"),
    };
    for (const char *role : {"qa", "support"})
        for (const QString &sql : statements)
            QTest::addRow("%s: %s", role, qPrintable(sql.left(60))) << QString::fromLatin1(role)
                                                                     << sql;
}

void RolesTest::rawWritesAreRefusedForQaAndSupport()
{
    QFETCH(QString, role);
    QFETCH(QString, sql);
    TestDatabase db(m_server);
    seed(db);
    auto owner = db.openWriter();
    const QString before = fingerprint(*owner);
    auto writer = db.openWriterAs(role);
    const QString refused = refusal(*writer, sql);
    QVERIFY2(!refused.isEmpty(), qPrintable(QStringLiteral("accepted as %1: %2").arg(role, sql)));
    qInfo("%s refused as mc_test_%s: %s", qPrintable(m_server.backend), qPrintable(role),
          qPrintable(refused));
    QCOMPARE(fingerprint(*owner), before);
}

void RolesTest::auditLogRefusesEditsForEveryRole_data()
{
    QTest::addColumn<QString>("role");
    QTest::addColumn<QString>("sql");
    for (const char *role : {"lead", "worker", "support", "qa"})
        for (const char *sql : {"DELETE FROM audit_log", "UPDATE audit_log SET reason = 'x'",
                                "TRUNCATE audit_log"})
            QTest::addRow("%s: %s", role, sql) << QString::fromLatin1(role)
                                               << QString::fromLatin1(sql);
    // The owner is refused by the triggers too (MariaDB's TRUNCATE needs DROP, which the roles
    // lack; the owner holding it is the one way left, as dropping the table is).
    QTest::addRow("owner: DELETE") << QString() << QStringLiteral("DELETE FROM audit_log");
    QTest::addRow("owner: UPDATE") << QString() << QStringLiteral("UPDATE audit_log SET at = at");
}

void RolesTest::auditLogRefusesEditsForEveryRole()
{
    QFETCH(QString, role);
    QFETCH(QString, sql);
    TestDatabase db(m_server);
    seed(db);
    auto owner = db.openWriter();
    const qint64 entries = scalar(*owner, QStringLiteral("SELECT COUNT(*) FROM audit_log"));
    QVERIFY(entries >= 1); // the install's
    auto writer = role.isEmpty() ? db.openWriter() : db.openWriterAs(role);
    const QString refused = refusal(*writer, sql);
    QVERIFY2(!refused.isEmpty(), qPrintable(QStringLiteral("accepted: ") + sql));
    qInfo("%s refused as %s: %s", qPrintable(m_server.backend),
          qPrintable(role.isEmpty() ? QStringLiteral("the owner") : QStringLiteral("mc_test_") + role),
          qPrintable(refused));
    QCOMPARE(scalar(*owner, QStringLiteral("SELECT COUNT(*) FROM audit_log")), entries);
    QCOMPARE(scalar(*owner, QStringLiteral("SELECT COUNT(*) FROM audit_log WHERE reason = 'x'")),
             qint64(0));
}

void RolesTest::auditEntriesCarryTheLoginAndServerTime()
{
    TestDatabase db(m_server);
    seed(db);
    auto owner = db.openWriter();
    const QString ownerLogin = db.connectionUrl().settings.user;
    // A client-side name and time, as the owner: the login and the server's clock are stored.
    owner->connection().exec(QStringLiteral(
        "INSERT INTO audit_log (at, database_user, os_user, action, target) VALUES "
        "({ts:$1}, 'mallory', 'mallory', 'forged', 'x')"), {kT0 - 86'400'000});
    const sql::Rows rows = owner->connection().query(QStringLiteral(
        "SELECT database_user, {ms:at}, {ms:CURRENT_TIMESTAMP(3)}, os_user FROM audit_log "
        "WHERE action = 'forged'"));
    QCOMPARE(rows.size(), 1);
    QCOMPARE(rows.text(0, 0), ownerLogin);
    QVERIFY2(std::abs(rows.int64(0, 2) - rows.int64(0, 1)) < 60'000,
             qPrintable(QStringLiteral("stored %1, server now %2").arg(rows.int64(0, 1))
                            .arg(rows.int64(0, 2))));
    QCOMPARE(rows.text(0, 3), QStringLiteral("mallory")); // claimed, kept as sent

    // As the worker (who may write entries): its login, whatever it claims as OS user.
    auto worker = db.openWriterAs(QStringLiteral("worker"));
    worker->connection().exec(QStringLiteral(
        "INSERT INTO audit_log (os_user, action, target) VALUES ('root', 'worker_note', 'x')"));
    QCOMPARE(scalar(*owner, QStringLiteral("SELECT COUNT(*) FROM audit_log WHERE action = "
                                           "'worker_note' AND database_user = 'mc_test_worker'")),
             qint64(1));

    // A store write as support: the entry names the support login, not what the client says.
    auto support = db.openStoreAs(QStringLiteral("support"));
    RetryRequest request;
    request.users = std::vector<UserKey>{{QStringLiteral("lt"), 1}};
    request.reason = QStringLiteral("SUP-1 card fixed");
    request.by = Operator{QStringLiteral("alice")};
    REQUIRE_OK(support->retryUsers(request, {}));
    const sql::Rows retry = owner->connection().query(QStringLiteral(
        "SELECT database_user, os_user FROM audit_log WHERE action = 'retry_users'"));
    QCOMPARE(retry.size(), 1);
    QCOMPARE(retry.text(0, 0), QStringLiteral("mc_test_support"));
    QCOMPARE(retry.text(0, 1), QStringLiteral("alice"));
}

void RolesTest::storeWritesSucceedOrChangeNothing_data()
{
    QTest::addColumn<QString>("role");
    QTest::addColumn<QString>("write");
    QTest::addColumn<bool>("allowed");
    const QStringList writes{"retry_users", "retry_all_matching", "mark", "queue", "pause",
                             "rollout", "repair"};
    const QHash<QString, QStringList> allowed{
        {QStringLiteral("qa"), {}},
        {QStringLiteral("support"), {"retry_users", "mark"}},
        {QStringLiteral("lead"), writes},
        {QStringLiteral("worker"), {}},
    };
    for (const char *role : {"qa", "support", "lead", "worker"})
        for (const QString &write : writes)
            QTest::addRow("%s: %s", role, qPrintable(write))
                << QString::fromLatin1(role) << write
                << allowed[QString::fromLatin1(role)].contains(write);
}

void RolesTest::storeWritesSucceedOrChangeNothing()
{
    QFETCH(QString, role);
    QFETCH(QString, write);
    QFETCH(bool, allowed);
    TestDatabase db(m_server);
    std::vector<qint64> failureIds;
    seed(db, &failureIds);
    auto owner = db.openWriter();
    // Counters made to drift, so that a repair has something to write.
    if (write == QLatin1String("repair"))
        owner->connection().exec(QStringLiteral("INSERT INTO user_status_counts (source_portal, "
                                                "status, stripe, users) VALUES ('de', 'failed', "
                                                "127, 7)"));
    const QString before = fingerprint(*owner);
    auto store = db.openStoreAs(role);
    const Operator by{QStringLiteral("alice")};
    const QString reason = QStringLiteral("roles test");
    std::optional<StoreError> error;
    auto check = [&](const auto &result) {
        if (!result)
            error = result.error();
    };
    if (write == QLatin1String("retry_users") || write == QLatin1String("retry_all_matching")) {
        RetryRequest request;
        if (write == QLatin1String("retry_users"))
            request.users = std::vector<UserKey>{{QStringLiteral("lt"), 1}, {QStringLiteral("lt"), 2}};
        else
            request.users = FailureFilter{};
        request.reason = reason;
        request.by = by;
        check(store->retryUsers(request, {}));
    } else if (write == QLatin1String("mark")) {
        check(store->setResolution({failureIds, Resolution::Ignored, {}, reason, by}));
    } else if (write == QLatin1String("queue") || write == QLatin1String("pause")) {
        QueueChange change;
        change.queue = QStringLiteral("serialize");
        if (write == QLatin1String("queue"))
            change.parallelism = 9;
        else
            change.paused = true;
        change.reason = reason;
        change.by = by;
        check(store->updateQueue(change));
    } else if (write == QLatin1String("rollout")) {
        check(store->setRollout({QStringLiteral("merge"), QStringLiteral("lt"), 2500, {}, reason, by}));
    } else {
        check(store->repairCounters({reason, by}));
    }
    // Retry All Matching is the lead's by the console's rule, not the server's: the server sees
    // a list of users, which support may send (tested through roleAccess and migctl instead).
    if (write == QLatin1String("retry_all_matching") && role == QLatin1String("support"))
        allowed = true;
    if (allowed) {
        QVERIFY2(!error, qPrintable(error ? error->message : QString()));
        QVERIFY(fingerprint(*owner) != before);
        verifyCountersEqualCounts(owner->connection());
    } else {
        QVERIFY2(error, "the server accepted it");
        QVERIFY2(error->kind == StoreError::Kind::Permission,
                 qPrintable(kindName(error->kind) + QStringLiteral(": ") + error->message));
        QCOMPARE(fingerprint(*owner), before);
    }
}

void RolesTest::countersStayTrueUnderTheWorkerLogin()
{
    TestDatabase db(m_server);
    seed(db);
    auto worker = db.openWriterAs(QStringLiteral("worker"));
    addUsers(*worker, QStringLiteral("de"), 1, 20, UserStatus::Pending);
    worker->setUserStatus(UserKey{QStringLiteral("de"), 1}, UserStatus::Failed);
    worker->setProgress(UserKey{QStringLiteral("de"), 2}, 1, 10, 10, 4, 1);
    NewFailure failure;
    failure.user = UserKey{QStringLiteral("de"), 1};
    failure.modelId = 1;
    failure.errorClass = QStringLiteral("Merge::Invalid");
    failure.message = QStringLiteral("bad 'x'");
    worker->addFailure(failure);
    const qint64 job = worker->addJob(QStringLiteral("serialize"), UserKey{QStringLiteral("de"), 3},
                                      true);
    worker->finishJob(job);
    worker->connection().exec(QStringLiteral("DELETE FROM user_migrations WHERE source_portal = "
                                             "'de' AND source_user_id = 20"));
    // The worker may lock a queue row for its claims, and change nothing of its settings.
    worker->connection().query(QStringLiteral("SELECT parallelism FROM queues WHERE name = "
                                              "'serialize' FOR UPDATE"));
    QVERIFY(!refusal(*worker, QStringLiteral("UPDATE queues SET parallelism = 1")).isEmpty());
    auto owner = db.openWriter();
    verifyCountersEqualCounts(owner->connection());
}

void RolesTest::accessSaysWhatTheServerAllows_data()
{
    QTest::addColumn<QString>("role");
    QTest::addColumn<QString>("label");
    QTest::addColumn<QString>("allowed"); // RoleAction indexes
    QTest::newRow("qa") << "qa" << "qa" << "5";
    QTest::newRow("support") << "support" << "support" << "0 2 5";
    QTest::newRow("lead") << "lead" << "lead"
                          << "0 1 2 3 4 5 6 7 8"; // 7: manage_plans, 8: edit_alerts
    QTest::newRow("worker") << "worker" << "worker" << "5";
}

void RolesTest::accessSaysWhatTheServerAllows()
{
    QFETCH(QString, role);
    QFETCH(QString, label);
    QFETCH(QString, allowed);
    TestDatabase db(m_server);
    seed(db);
    auto store = db.openStoreAs(role);
    const auto access = store->roleAccess();
    REQUIRE_OK(access);
    QVERIFY(access->known);
    QCOMPARE(access->login, QStringLiteral("mc_test_") + role);
    QCOMPARE(access->roleLabel(), label);
    QVERIFY(access->roles.contains(QStringLiteral("mc_") + role));
    for (RoleAction action : RoleAccess::actions()) {
        const bool expected = allowed.split(u' ').contains(QString::number(int(action)));
        QVERIFY2(access->may(action) == expected, qPrintable(RoleAccess::key(action)));
        if (!expected)
            QCOMPARE(access->whyNot(action),
                     QStringLiteral("Needs %1: your login mc_test_%2 has mc_%2")
                         .arg(RoleAccess::neededRole(action), role));
    }
    // The owner may do everything.
    auto ownerAccess = db.openStore()->roleAccess();
    REQUIRE_OK(ownerAccess);
    QCOMPARE(ownerAccess->roleLabel(), QStringLiteral("owner"));
    for (RoleAction action : RoleAccess::actions())
        QVERIFY(ownerAccess->may(action));
}

void RolesTest::migctlRefusesBeforeTouchingAnything()
{
    TestDatabase db(m_server);
    seed(db);
    auto owner = db.openWriter();
    const QString before = fingerprint(*owner);
    const MigctlRunner support(db.connectionUrlAs(QStringLiteral("support")).toString());
    const QString why = QStringLiteral("Needs mc_lead: your login mc_test_support has mc_support");
    for (const QStringList &arguments :
         {QStringList{"queue", "set", "serialize", "--parallelism", "9", "--reason", "r"},
          QStringList{"queue", "pause", "serialize", "--reason", "r"},
          QStringList{"rollout", "set", "merge", "lt", "50", "--reason", "r", "--yes"},
          QStringList{"retry", "--error-class", "Merge::Timeout", "--reason", "r", "--yes"},
          QStringList{"verify", "--repair", "--reason", "r"}}) {
        const MigctlRun run = support.run(arguments);
        QVERIFY2(run.exitCode == 4, qPrintable(run.describe()));
        QVERIFY2(QString::fromUtf8(run.err).contains(why), qPrintable(run.describe()));
    }
    QCOMPARE(fingerprint(*owner), before);

    const MigctlRun whoami = support.run({QStringLiteral("whoami"), QStringLiteral("--json")});
    QVERIFY2(whoami.exitCode == 0, qPrintable(whoami.describe()));
    const QJsonObject json = whoami.json();
    QCOMPARE(json.value(QStringLiteral("login")).toString(), QStringLiteral("mc_test_support"));
    QCOMPARE(json.value(QStringLiteral("role")).toString(), QStringLiteral("support"));
    const QJsonObject can = json.value(QStringLiteral("can")).toObject();
    QCOMPARE(can.value(QStringLiteral("retry_users")).toBool(), true);
    QCOMPARE(can.value(QStringLiteral("mark_failures")).toBool(), true);
    QCOMPARE(can.value(QStringLiteral("export")).toBool(), true);
    for (const char *key : {"retry_all_matching", "change_queues", "change_rollout",
                            "repair_counters", "manage_plans", "edit_alerts"})
        QVERIFY2(!can.value(QLatin1String(key)).toBool(), key);

    // A named user as support: allowed, and moved.
    const MigctlRun retry = support.run({"retry", "--user", "lt:3", "--reason", "SUP-3", "--yes"});
    QVERIFY2(retry.exitCode == 0, qPrintable(retry.describe()));
    QCOMPARE(statusOf(*owner, UserKey{QStringLiteral("lt"), 3}), QStringLiteral("pending"));
}

void RolesTest::exportWithPayloadsIsAudited()
{
    TestDatabase db(m_server);
    seed(db);
    auto owner = db.openWriter();
    auto qa = db.openStoreAs(QStringLiteral("qa"));
    QTemporaryDir dir;
    FailureFilter filter;
    filter.errorClass = QStringLiteral("Merge::Timeout");
    ExportOptions options;
    options.format = ExportFormat::Json;
    // Without payloads: no entry. With them: one, naming the login, the filter and the count.
    REQUIRE_OK(exportFailuresToFile(*qa, filter, options, dir.filePath(QStringLiteral("a.json")),
                                    {}));
    QCOMPARE(scalar(*owner, QStringLiteral("SELECT COUNT(*) FROM audit_log WHERE action = "
                                           "'export_failures'")),
             qint64(0));
    options.includeDetails = true;
    const auto report = exportFailuresToFile(*qa, filter, options,
                                             dir.filePath(QStringLiteral("b.json")), {});
    REQUIRE_OK(report);
    QCOMPARE(report->written, qint64(4));
    const sql::Rows rows = owner->connection().query(QStringLiteral(
        "SELECT database_user, target, after_state FROM audit_log WHERE action = "
        "'export_failures'"));
    QCOMPARE(rows.size(), 1);
    QCOMPARE(rows.text(0, 0), QStringLiteral("mc_test_qa"));
    QCOMPARE(rows.text(0, 1), QStringLiteral("4 failed records"));
    const QJsonObject after = QJsonDocument::fromJson(rows.text(0, 2).toUtf8()).object();
    QCOMPARE(after.value(QStringLiteral("records")).toInteger(), qint64(4));
    QCOMPARE(after.value(QStringLiteral("filter")).toString(), filter.describe());
    QVERIFY(filter.describe().contains(QStringLiteral("Merge::Timeout")));
}

void RolesTest::mergeSimRunsAsTheWorkerLogin()
{
    TestDatabase db(m_server);
    auto runSim = [](const QStringList &arguments) {
        QProcess process;
        process.start(QStringLiteral(MERGE_SIM_BINARY), arguments);
        if (!process.waitForFinished(60'000))
            process.kill();
        process.waitForFinished();
        return std::make_pair(process.exitCode(), process.readAllStandardError()
                                                      + process.readAllStandardOutput());
    };
    // The owner installs and seeds (the catalogue and settings are not the workers' to write) …
    const auto seeded = runSim({QStringLiteral("--db"), db.url(), QStringLiteral("seed"),
                                QStringLiteral("--users"), QStringLiteral("300"),
                                QStringLiteral("--log-level"), QStringLiteral("warn")});
    QVERIFY2(seeded.first == 0, seeded.second.constData());
    auto owner = db.openWriter();
    owner->connection().exec(QStringLiteral("UPDATE queues SET run_every_ms = 50"));
    const qint64 users = scalar(*owner, QStringLiteral("SELECT COUNT(*) FROM user_migrations"));
    const qint64 completed = scalar(
        *owner, QStringLiteral("SELECT COUNT(*) FROM user_migrations WHERE status = 'completed'"));
    const qint64 audit = scalar(*owner, QStringLiteral("SELECT COUNT(*) FROM audit_log"));
    // … and the fleet runs with the mc_worker login alone.
    const auto ran = runSim({QStringLiteral("--db"),
                             db.connectionUrlAs(QStringLiteral("worker")).toString(),
                             QStringLiteral("run"), QStringLiteral("--duration"),
                             QStringLiteral("3"), QStringLiteral("--influx"), QStringLiteral("40"),
                             QStringLiteral("--speed"), QStringLiteral("200"),
                             QStringLiteral("--workers"), QStringLiteral("3")});
    QVERIFY2(ran.first == 0, ran.second.constData());
    // No privilege it needs is missing: a refusal would count as a database error.
    QVERIFY2(ran.second.contains("database errors 0"), ran.second.constData());
    QVERIFY(scalar(*owner, QStringLiteral("SELECT COUNT(*) FROM user_migrations")) > users);
    QVERIFY(scalar(*owner, QStringLiteral("SELECT COUNT(*) FROM user_migrations WHERE status = "
                                          "'completed'"))
            > completed);
    QCOMPARE(scalar(*owner, QStringLiteral("SELECT COUNT(*) FROM audit_log")), audit);
    verifyCountersEqualCounts(owner->connection());
}

QTEST_GUILESS_MAIN(RolesTest)
#include "tst_roles.moc"
