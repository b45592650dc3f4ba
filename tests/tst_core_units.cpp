// Units of core that need no database: URL parsing, the SQL token and placeholder rewriting,
// cursors, user keys and filter descriptions.

#include "alert_evaluator.h"
#include "connection_url.h"
#include "failure_search.h"
#include "failures.h"
#include "logging.h"
#include "role_access.h"
#include "schema_manager.h"
#include "sql/sql_connection.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <spdlog/logger.h>

using namespace mc;

class CoreUnitsTest : public QObject
{
    Q_OBJECT

private slots:
    void parsesPostgresAndMariaDbUrls();
    void roleAccessSaysWhyAndWhichRoleAllows();
    void roleStatementsAreThoseOfTheRolesUpgrade();
    void rejectsUrlsWithAClearReason_data();
    void rejectsUrlsWithAClearReason();
    void redactedUrlHidesThePassword();
    void placeholdersBecomePositionalOutsideQuotes();
    void batchLiteralsReplacePlaceholdersOutsideQuotes();
    void tokensExpandPerBackend();
    void cursorRoundTripsAndRejectsGarbage();
    void userKeysParse();
    void filterIsDescribedInWords();
    void searchTermsShorterThanATrigramScan();
    void loggingGoesToARotatingFileAtTheChosenLevel();
    void alertStepsFollowForAndKeepFiring();
    void alertConditionsReadTheWindowOnly();
};

void CoreUnitsTest::parsesPostgresAndMariaDbUrls()
{
    auto pg = ConnectionUrl::parse(
        QStringLiteral("postgresql://ops:p%40ss%3Aw0rd@db.example:6543/merge?sslmode=require"));
    QVERIFY(pg.ok());
    QCOMPARE(pg->backend, sql::Backend::PostgreSQL);
    QCOMPARE(pg->settings.user, QStringLiteral("ops"));
    QCOMPARE(pg->settings.password, QStringLiteral("p@ss:w0rd"));
    QCOMPARE(pg->settings.host, QStringLiteral("db.example"));
    QCOMPARE(pg->settings.port, 6543);
    QCOMPARE(pg->settings.database, QStringLiteral("merge"));
    QCOMPARE(pg->settings.sslMode, QStringLiteral("require"));

    auto maria = ConnectionUrl::parse(QStringLiteral("mariadb://mc@127.0.0.1/merge"));
    QVERIFY(maria.ok());
    QCOMPARE(maria->backend, sql::Backend::MariaDB);
    QCOMPARE(maria->settings.port, 3306);
    auto mysql = ConnectionUrl::parse(QStringLiteral("mysql://root@localhost/m?socket=/tmp/s"));
    QVERIFY(mysql.ok());
    QCOMPARE(mysql->backend, sql::Backend::MariaDB);
    QCOMPARE(mysql->settings.socket, QStringLiteral("/tmp/s"));

    // What toString() writes, parse() reads back.
    auto again = ConnectionUrl::parse(pg->toString());
    QVERIFY(again.ok());
    QCOMPARE(again->settings.password, pg->settings.password);
    QCOMPARE(again->settings.sslMode, QStringLiteral("require"));
}

void CoreUnitsTest::rejectsUrlsWithAClearReason_data()
{
    QTest::addColumn<QString>("url");
    QTest::addColumn<QString>("reason");
    QTest::newRow("scheme") << "oracle://x@h/db" << "postgresql://";
    QTest::newRow("no database") << "postgresql://x@h" << "database";
    QTest::newRow("timeout") << "mariadb://x@h/db?connect_timeout=soon" << "connect_timeout";
    QTest::newRow("empty") << "" << "Invalid database URL";
}

void CoreUnitsTest::rejectsUrlsWithAClearReason()
{
    QFETCH(QString, url);
    QFETCH(QString, reason);
    auto parsed = ConnectionUrl::parse(url);
    QVERIFY(!parsed.ok());
    QCOMPARE(parsed.error().kind, StoreError::Kind::InvalidInput);
    QVERIFY2(parsed.error().message.contains(reason), qPrintable(parsed.error().message));
}

void CoreUnitsTest::redactedUrlHidesThePassword()
{
    auto url = ConnectionUrl::parse(QStringLiteral("postgresql://ops:secret@h:1/merge"));
    QVERIFY(url.ok());
    QVERIFY(!url->redacted().contains(QStringLiteral("secret")));
    QVERIFY(url->redacted().contains(QStringLiteral("ops@h:1/merge")));
}

void CoreUnitsTest::placeholdersBecomePositionalOutsideQuotes()
{
    std::vector<int> order;
    const QString sql = sql::positionalPlaceholders(
        QStringLiteral("SELECT '$1', \"$2\", $2 FROM t WHERE a = $1 AND b = $2 -- $3\n AND c = $10"),
        &order);
    QCOMPARE(sql, QStringLiteral("SELECT '$1', \"$2\", ? FROM t WHERE a = ? AND b = ? -- $3\n "
                                 "AND c = ?"));
    QCOMPARE(order, (std::vector<int>{1, 0, 1, 9}));
}

void CoreUnitsTest::batchLiteralsReplacePlaceholdersOutsideQuotes()
{
    // A batch carries its parameters as literals: a '$1' inside a string, a comment or (on
    // PostgreSQL) an E'…' string with an escaped quote must stay text, whatever the literal holds.
    const std::vector<std::string> literals{"'it''s'", "42", "'$1'"};
    const QString pg = sql::inlineParameters(
        sql::Backend::PostgreSQL,
        QStringLiteral("SELECT E'\\'$1', $1, $3 FROM t WHERE a = $2 -- $1\n AND b = $1"),
        literals);
    QCOMPARE(pg, QStringLiteral("SELECT E'\\'$1', 'it''s', '$1' FROM t WHERE a = 42 -- $1\n "
                                "AND b = 'it''s'"));
    const QString maria = sql::inlineParameters(
        sql::Backend::MariaDB, QStringLiteral("SELECT 'a\\'$1', `$2`, $2, $1"), literals);
    QCOMPARE(maria, QStringLiteral("SELECT 'a\\'$1', `$2`, 42, 'it''s'"));
    QVERIFY_THROWS_EXCEPTION(sql::DbError,
                             sql::inlineParameters(sql::Backend::MariaDB,
                                                   QStringLiteral("SELECT $4"), literals));
}

void CoreUnitsTest::tokensExpandPerBackend()
{
    const QString sql = QStringLiteral("SELECT {ms:MAX(f(a, '}'))} WHERE t < {ts:$1} AND x = '{ms:y}'");
    const QString pg = sql::expandTokens(sql::Backend::PostgreSQL, sql);
    const QString maria = sql::expandTokens(sql::Backend::MariaDB, sql);
    QVERIFY2(pg.contains(QStringLiteral("EXTRACT(EPOCH FROM (MAX(f(a, '}'))))")), qPrintable(pg));
    QVERIFY2(pg.contains(QStringLiteral("($1)::BIGINT")), qPrintable(pg));
    QVERIFY2(maria.contains(QStringLiteral("TIMESTAMPDIFF(MICROSECOND")), qPrintable(maria));
    QVERIFY2(maria.contains(QStringLiteral("INTERVAL (($1) * 1000) MICROSECOND")),
             qPrintable(maria));
    // A token inside a string literal is data, not SQL.
    QVERIFY(pg.endsWith(QStringLiteral("x = '{ms:y}'")));
    QVERIFY(maria.endsWith(QStringLiteral("x = '{ms:y}'")));
}

void CoreUnitsTest::cursorRoundTripsAndRejectsGarbage()
{
    const FailureCursor cursor{1'764'000'000'123, 987654321};
    const auto decoded = FailureCursor::decode(cursor.encode());
    QVERIFY(decoded);
    QCOMPARE(decoded->failedAt, cursor.failedAt);
    QCOMPARE(decoded->id, cursor.id);
    QVERIFY(!FailureCursor::decode(QStringLiteral("1.2.3")));
    QVERIFY(!FailureCursor::decode(QStringLiteral("x.1")));
    QVERIFY(!FailureCursor::decode(QString()));
}

void CoreUnitsTest::userKeysParse()
{
    const auto key = UserKey::parse(QStringLiteral("lt:12345"));
    QVERIFY(key);
    QCOMPARE(key->portal, QStringLiteral("lt"));
    QCOMPARE(key->userId, 12345);
    QCOMPARE(key->toString(), QStringLiteral("lt:12345"));
    QVERIFY(!UserKey::parse(QStringLiteral("12345")));
    QVERIFY(!UserKey::parse(QStringLiteral("lt:abc")));
    QVERIFY(!UserKey::parse(QStringLiteral(":5")));
}

void CoreUnitsTest::filterIsDescribedInWords()
{
    FailureFilter filter;
    QCOMPARE(filter.describe(), QStringLiteral("all failed records, unresolved only"));
    filter.errorClass = QStringLiteral("Timeout");
    filter.portal = QStringLiteral("lt");
    filter.searchText = QStringLiteral("50%");
    filter.includeResolved = true;
    QCOMPARE(filter.describe(),
             QStringLiteral("failed records with error class \"Timeout\", portal \"lt\", text "
                            "containing \"50%\", resolved ones included"));
    filter.matchCase = true;
    QVERIFY(filter.describe().contains(QStringLiteral("containing \"50%\" (matching case)")));
}

void CoreUnitsTest::searchTermsShorterThanATrigramScan()
{
    // The index's grain: three ASCII letters or digits in a row, folded to lower case.
    QCOMPARE(searchTrigrams(QStringLiteral("Net::ReadTimeout")),
             (QStringList{QStringLiteral("net"), QStringLiteral("rea"), QStringLiteral("ead"),
                          QStringLiteral("adt"), QStringLiteral("dti"), QStringLiteral("tim"),
                          QStringLiteral("ime"), QStringLiteral("meo"), QStringLiteral("eou"),
                          QStringLiteral("out")}));
    QCOMPARE(searchTrigrams(QStringLiteral("aaaa AAA")), QStringList{QStringLiteral("aaa")});
    FailureFilter filter;
    QVERIFY(!filter.searchScans()); // no text: nothing to scan for
    for (const char *scans : {"ab", "a.b.c", "Žžž", "50 %", "ab-cd", "ÄBC"}) {
        filter.searchText = QString::fromUtf8(scans);
        QVERIFY2(filter.searchScans(), scans);
    }
    for (const char *indexed : {"abc", "user42@", "→ 123 ←", "Žabc"}) {
        filter.searchText = QString::fromUtf8(indexed);
        QVERIFY2(!filter.searchScans(), indexed);
    }
    // Wildcards of LIKE are escaped with '!'; the MariaDB pattern matches bytes, case aside.
    QCOMPARE(likeContaining(QStringLiteral("50%_a!b")), QStringLiteral("%50!%!_a!!b%"));
    QCOMPARE(asciiCaselessPattern(QStringLiteral("aŽ")),
             QStringLiteral("(?i)\\x{61}\\x{c5}\\x{bd}"));
}

void CoreUnitsTest::loggingGoesToARotatingFileAtTheChosenLevel()
{
    QTemporaryDir home;
    QVERIFY(home.isValid());
    qputenv("XDG_DATA_HOME", home.path().toUtf8());
    qputenv("MIGRATION_CONSOLE_LOG", "debug");

    const LoggingSetup fromEnvironment = initLogging(QStringLiteral("tst_core_units"));
    QCOMPARE(fromEnvironment.level, QStringLiteral("debug"));
    QVERIFY2(fromEnvironment.logFile.startsWith(home.path()), qPrintable(fromEnvironment.logFile));
    log()->debug("a debug line for the file");
    log()->flush();
    QFile file(fromEnvironment.logFile);
    QVERIFY(file.open(QIODevice::ReadOnly));
    QVERIFY(file.readAll().contains("a debug line for the file"));

    // A flag beats the environment; a level nobody knows falls back to info.
    QCOMPARE(initLogging(QStringLiteral("tst_core_units"), QStringLiteral("warn")).level,
             QStringLiteral("warning"));
    log()->info("an info line that warn hides");
    log()->flush();
    file.seek(0);
    QVERIFY(!file.readAll().contains("an info line that warn hides"));
    QCOMPARE(initLogging(QStringLiteral("tst_core_units"), QStringLiteral("loud")).level,
             QStringLiteral("info"));
    qunsetenv("MIGRATION_CONSOLE_LOG");
}

void CoreUnitsTest::roleAccessSaysWhyAndWhichRoleAllows()
{
    using mc::RoleAccess;
    using mc::RoleAction;
    RoleAccess access; // not read yet: everything offered, the server decides
    for (RoleAction action : RoleAccess::actions())
        QVERIFY(access.may(action));
    access.known = true;
    access.login = QStringLiteral("alice");
    access.roles = {QStringLiteral("mc_qa"), QStringLiteral("mc_support")};
    access.can[size_t(RoleAction::RetryUsers)] = true;
    access.can[size_t(RoleAction::MarkFailures)] = true;
    access.can[size_t(RoleAction::Export)] = true;
    QCOMPARE(access.roleLabel(), QStringLiteral("support"));
    QVERIFY(access.whyNot(RoleAction::RetryUsers).isEmpty());
    QCOMPARE(access.whyNot(RoleAction::ChangeQueues),
             QStringLiteral("Needs mc_lead: your login alice has mc_support"));
    QCOMPARE(access.whyNot(RoleAction::RetryAllMatching),
             QStringLiteral("Needs mc_lead: your login alice has mc_support"));
    access.roles.clear();
    access.can = {};
    QCOMPARE(access.whyNot(RoleAction::Export),
             QStringLiteral("Needs mc_qa: your login alice has no mc_ role"));
    QCOMPARE(RoleAccess::key(RoleAction::RepairCounters), QStringLiteral("repair_counters"));
}

void CoreUnitsTest::roleStatementsAreThoseOfTheRolesUpgrade()
{
    for (auto backend : {mc::sql::Backend::PostgreSQL, mc::sql::Backend::MariaDB}) {
        const QString sql = mc::SchemaManager::roleStatements(backend);
        for (const char *role : {"mc_qa", "mc_support", "mc_lead", "mc_worker"})
            QVERIFY2(sql.contains(QLatin1String(role)), qPrintable(sql));
        QVERIFY2(!sql.contains(QLatin1String("--@@")), qPrintable(sql));
        QVERIFY2(!sql.contains(QLatin1String("GRANT SELECT")), qPrintable(sql)); // per database
    }
    QVERIFY(mc::SchemaManager::roleStatements(mc::sql::Backend::MariaDB)
                .contains(QLatin1String("CREATE ROLE IF NOT EXISTS mc_worker;")));
}

void CoreUnitsTest::alertStepsFollowForAndKeepFiring()
{
    AlertRule rule;
    rule.forS = 60;
    rule.keepFiringS = 120;
    AlertCondition holds;
    holds.known = holds.holds = true;
    const AlertCondition clear{true, false, {}, {}};
    const AlertCondition unknown; // no data: as if clear
    const EpochMs t = 1'000'000;
    AlertStatus s;
    QCOMPARE(nextStep(rule, s, holds, t), AlertStep::Pending);
    QCOMPARE(nextStep(rule, s, clear, t), std::nullopt);
    s.phase = AlertPhase::Pending;
    s.since = t;
    QCOMPARE(nextStep(rule, s, holds, t + 59'999), std::nullopt);
    QCOMPARE(nextStep(rule, s, holds, t + 60'000), AlertStep::Firing);
    QCOMPARE(nextStep(rule, s, unknown, t + 30'000), AlertStep::Inactive);
    s.phase = AlertPhase::Firing;
    QCOMPARE(nextStep(rule, s, holds, t + 90'000), std::nullopt);
    QCOMPARE(nextStep(rule, s, clear, t + 90'000), AlertStep::Clearing);
    s.clearedAt = t + 90'000;
    QCOMPARE(nextStep(rule, s, clear, t + 209'999), std::nullopt);
    QCOMPARE(nextStep(rule, s, clear, t + 210'000), AlertStep::Resolved);
    QCOMPARE(nextStep(rule, s, holds, t + 100'000), AlertStep::Refiring);
    // No `for`: fires at once; no keep-firing: resolves at once; disabled: nothing.
    rule.forS = 0;
    rule.keepFiringS = 0;
    QCOMPARE(nextStep(rule, AlertStatus{}, holds, t), AlertStep::Firing);
    s.clearedAt.reset();
    QCOMPARE(nextStep(rule, s, clear, t), AlertStep::Resolved);
    rule.enabled = false;
    QCOMPARE(nextStep(rule, AlertStatus{}, holds, t), std::nullopt);
}

void CoreUnitsTest::alertConditionsReadTheWindowOnly()
{
    AlertInputs inputs;
    inputs.now = 1'000'000'000;
    const EpochMs bucket = inputs.now - inputs.now % 10'000;
    // Long ago: 100 failures; in the last minute: 3 failed of 10.
    inputs.samples = {{bucket - 600'000, QStringLiteral("create_high"), 0, 100, 0, 0},
                      {bucket - 20'000, QStringLiteral("create_high"), 5, 2, 4, 2},
                      {bucket, QStringLiteral("create_low"), 2, 1, 0, 0}};
    AlertRule rate;
    rate.kind = AlertKind::FailureRate;
    rate.windowS = 60;
    rate.threshold = 30;
    rate.minCount = 10;
    AlertCondition c = evaluateCondition(rate, inputs);
    QVERIFY(c.holds);
    QCOMPARE(c.figures.value(QStringLiteral("failed")).toInteger(), 3);
    QCOMPARE(c.figures.value(QStringLiteral("finished")).toInteger(), 10);
    rate.minCount = 11; // too few users to judge
    QVERIFY(!evaluateCondition(rate, inputs).holds);
    rate.scope = QStringLiteral("lt"); // per portal: not evaluated yet, never holds
    QVERIFY(!evaluateCondition(rate, inputs).known);

    AlertRule behind;
    behind.kind = AlertKind::FallingBehind;
    behind.windowS = 60;
    inputs.queues = {{QStringLiteral("create_high"), 2, false, 9, 2}};
    c = evaluateCondition(behind, inputs);
    QVERIFY(c.holds);
    QCOMPARE(c.figures.value(QStringLiteral("depth_before")).toInteger(), 4);
    inputs.queues[0].inProgress = 1; // below parallelism
    QVERIFY(!evaluateCondition(behind, inputs).holds);
    inputs.queues[0] = {QStringLiteral("create_high"), 2, false, 3, 2}; // shrinking
    QVERIFY(!evaluateCondition(behind, inputs).holds);

    AlertRule stall;
    stall.kind = AlertKind::Stall;
    stall.windowS = 60;
    inputs.pendingUsers = 5;
    QVERIFY(!evaluateCondition(stall, inputs).holds); // 7 completed in the window
    inputs.samples.removeLast();
    inputs.samples.removeLast();
    QVERIFY(evaluateCondition(stall, inputs).holds);
    inputs.pendingUsers = 0;
    QVERIFY(!evaluateCondition(stall, inputs).holds);
    // A halted guarded plan: the rule holds while any plan is halted, naming the newest and why.
    AlertRule plan;
    plan.kind = AlertKind::PlanHalted;
    QVERIFY(evaluateCondition(plan, inputs).known);
    QVERIFY(!evaluateCondition(plan, inputs).holds);
    inputs.haltedPlans = 2;
    inputs.haltedPlanId = 7;
    inputs.haltedPlanKind = QStringLiteral("retry");
    inputs.haltReason = QStringLiteral("failure rate 40 % above 5 %");
    const AlertCondition halted = evaluateCondition(plan, inputs);
    QVERIFY(halted.holds);
    QCOMPARE(halted.summary, QStringLiteral("2 guarded plans halted; newest: retry plan 7 halted: "
                                            "failure rate 40 % above 5 %"));
    QCOMPARE(alertLink(plan, {}), QStringLiteral("plans"));
}

QTEST_GUILESS_MAIN(CoreUnitsTest)
#include "tst_core_units.moc"
