// Foreign writers and recovery: TRUNCATE (PostgreSQL keeps the counters through its truncate
// triggers; MariaDB fires none, so verify finds it and repair fixes it), a counter row corrupted
// by hand, and a version 1 database with data (and v1's drifted counters) upgraded in place.

#include "tst_foreign_writer.h"

#include "schema_manager.h"
#include "sql/sql_connection.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QTemporaryDir>
#include <QTest>

using namespace mc;
using namespace mc::test;

namespace {

qint64 auditEntries(FleetWriter &writer)
{
    return scalar(writer, QStringLiteral("SELECT COUNT(*) FROM audit_log"));
}

} // namespace

void ForeignWriterTest::truncateKeepsOrVerifyFindsCounters()
{
    Scene s = scene();
    if (postgres()) {
        exec(s, QStringLiteral("TRUNCATE failed_records"));
        SETTLE(s, "TRUNCATE failed_records");
        exec(s, QStringLiteral("TRUNCATE queue_jobs"));
        SETTLE(s, "TRUNCATE queue_jobs");
        exec(s, QStringLiteral("TRUNCATE model_progress"));
        SETTLE(s, "TRUNCATE model_progress");
        exec(s, QStringLiteral("TRUNCATE failed_records, model_progress, queue_jobs, "
                               "id_mappings, user_migrations"));
        SETTLE(s, "TRUNCATE user_migrations");
        populate(s);
        SETTLE(s, "writing again after TRUNCATE");
        return;
    }
    // MariaDB runs no trigger for TRUNCATE: the error groups keep counting the records.
    exec(s, QStringLiteral("TRUNCATE failed_records"));
    const MigctlRun found = migctl(s, {QStringLiteral("verify"), QStringLiteral("--json")});
    QVERIFY2(found.exitCode == 1, qPrintable(found.describe()));
    const QJsonArray drifts = found.json().value(QStringLiteral("drifts")).toArray();
    QVERIFY(!drifts.isEmpty());
    for (const QJsonValue &drift : drifts)
        QVERIFY2(drift[QStringLiteral("counter")].toString().startsWith(
                     QStringLiteral("error_groups.")),
                 qPrintable(found.describe()));
    const MigctlRun repaired = migctl(s, {QStringLiteral("verify"), QStringLiteral("--repair"),
                                          QStringLiteral("--reason"),
                                          QStringLiteral("TRUNCATE by the retention team")});
    QVERIFY2(repaired.exitCode == 0, qPrintable(repaired.describe()));
    SETTLE(s, "repair after TRUNCATE failed_records");
}

void ForeignWriterTest::corruptedCounterIsNamedAndRepairedOnce()
{
    Scene s = scene();
    SETTLE(s, "the populated database");
    const qint64 stripe = scalar(*s.writer, QStringLiteral("SELECT MIN(stripe) FROM "
                                                           "user_status_counts WHERE "
                                                           "source_portal = 'lt' AND status = "
                                                           "'failed'"));
    exec(s, QStringLiteral("UPDATE user_status_counts SET users = users + 7 WHERE source_portal "
                           "= 'lt' AND status = 'failed' AND stripe = %1")
                .arg(stripe));

    MigctlRun run = migctl(s, {QStringLiteral("verify")});
    QVERIFY2(run.exitCode == 1, qPrintable(run.describe()));
    const QString text = QString::fromUtf8(run.out);
    QVERIFY2(text.contains(QStringLiteral("user_status_counts.users")), qPrintable(text));
    QVERIFY2(text.contains(QStringLiteral("lt/failed")), qPrintable(text));
    QVERIFY2(text.contains(QStringLiteral("27")) && text.contains(QStringLiteral("20")),
             qPrintable(text));
    run = migctl(s, {QStringLiteral("verify"), QStringLiteral("--json")});
    QCOMPARE(run.exitCode, 1);
    const QJsonArray drifts = run.json().value(QStringLiteral("drifts")).toArray();
    QCOMPARE(drifts.size(), 1);
    QCOMPARE(drifts[0][QStringLiteral("counter")].toString(),
             QStringLiteral("user_status_counts.users"));
    QCOMPARE(drifts[0][QStringLiteral("key")].toString(), QStringLiteral("lt/failed"));
    QCOMPARE(drifts[0][QStringLiteral("stored")].toInteger(), 27);
    QCOMPARE(drifts[0][QStringLiteral("true")].toInteger(), 20);

    // Repair needs a reason; without one it changes nothing.
    run = migctl(s, {QStringLiteral("verify"), QStringLiteral("--repair")});
    QCOMPARE(run.exitCode, 2);
    const qint64 entriesBefore = auditEntries(*s.writer);
    run = migctl(s, {QStringLiteral("verify"), QStringLiteral("--repair"),
                     QStringLiteral("--reason"), QStringLiteral("hand-edited counter")});
    QVERIFY2(run.exitCode == 0, qPrintable(run.describe()));
    QCOMPARE(auditEntries(*s.writer), entriesBefore + 1);
    const sql::Rows audit = s.writer->connection().query(
        QStringLiteral("SELECT action, before_state, after_state, reason FROM audit_log "
                       "ORDER BY id DESC LIMIT 1"));
    QCOMPARE(audit.text(0, 0), QStringLiteral("repair_counters"));
    QVERIFY2(audit.text(0, 1).contains(QStringLiteral("lt/failed\":27")),
             qPrintable(audit.text(0, 1)));
    QVERIFY2(audit.text(0, 2).contains(QStringLiteral("lt/failed\":20")),
             qPrintable(audit.text(0, 2)));
    QCOMPARE(audit.text(0, 3), QStringLiteral("hand-edited counter"));
    SETTLE(s, "the repair");

    // Nothing drifted: a repair writes nothing, not even an audit entry.
    run = migctl(s, {QStringLiteral("verify"), QStringLiteral("--repair"),
                     QStringLiteral("--reason"), QStringLiteral("again")});
    QCOMPARE(run.exitCode, 0);
    QCOMPARE(auditEntries(*s.writer), entriesBefore + 1);
}

void ForeignWriterTest::versionOneDatabaseUpgradesWithTrueCounters()
{
    TestDatabase db(m_server);
    auto writer = db.openWriter();
    QTemporaryDir root;
    QVERIFY(root.isValid());
    const QString dir = root.path() + QLatin1Char('/') + m_server.backend;
    QVERIFY(QDir().mkpath(dir));
    QVERIFY(QFile::copy(QStringLiteral(":/schema/%1/001_initial.sql").arg(m_server.backend),
                        dir + QStringLiteral("/001_initial.sql")));
    SchemaManager(writer->connection(), root.path()).apply(QStringLiteral("v1 console"));
    seedCatalogue(*writer);

    Scene s;
    s.db = nullptr;
    s.writer = std::move(writer);
    // The sequence on v1: users retried through retry_count, then retention.
    populate(s);
    exec(s, QStringLiteral("UPDATE user_migrations SET status = 'pending', retry_count = 1 "
                           "WHERE status = 'failed' AND source_user_id <= 15"));
    exec(s, QStringLiteral("DELETE FROM failed_records WHERE failed_at < '2025-03-01 00:00:00'"));
    const qint64 v1Open =
        scalar(*s.writer, QStringLiteral("SELECT SUM(unresolved) FROM error_groups"));
    QVERIFY2(v1Open > 5, "v1 counts the retried records it deleted as open: the drift this "
                         "upgrade repairs");

    auto store = db.openStore();
    auto upgraded = store->upgradeSchema(tester());
    REQUIRE_OK(upgraded);
    QCOMPARE(upgraded->state, SchemaStatus::State::Current);
    QCOMPARE(upgraded->installedVersion, SchemaManager::builtInVersion());
    verifyCountersEqualCounts(s.writer->connection());
    QVERIFY(!QTest::currentTestFailed());
    // Only the five users never retried keep open records: one "Api::Invalid" record each.
    QCOMPARE(scalar(*s.writer, QStringLiteral("SELECT SUM(unresolved) FROM error_groups")), 5);

    auto check = store->verifyCounters();
    REQUIRE_OK(check);
    QVERIFY(check->drifts.isEmpty());
    QVERIFY(check->keysChecked > 0);
    // The upgraded triggers keep counting.
    exec(s, QStringLiteral("UPDATE user_migrations SET status = 'completed' WHERE status = "
                           "'in_progress'"));
    exec(s, QStringLiteral("DELETE FROM failed_records WHERE source_user_id > 17"));
    verifyCountersEqualCounts(s.writer->connection());
    check = store->verifyCounters();
    REQUIRE_OK(check);
    QVERIFY(check->drifts.isEmpty());
}
