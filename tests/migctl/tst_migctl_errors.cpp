// migctl: usage mistakes (exit 2), store errors (exit 1) and the schema commands; each case
// checks that nothing was written.

#include "tst_migctl.h"

#include "schema_manager.h"
#include "sql/sql_connection.h"

#include <QTest>

using namespace mc;
using namespace mc::test;

void MigctlTest::usageMistakesExitTwoAndChangeNothing()
{
    TestDatabase db(m_server);
    auto store = db.installedStore();
    auto writer = db.openWriter();
    seedCatalogue(*writer);
    addUsers(*writer, QStringLiteral("lt"), 1, 3, UserStatus::Failed);
    addFailure(*writer, {QStringLiteral("lt"), 1}, 2, QStringLiteral("E"), QStringLiteral("m"));
    MigctlRunner migctl(db.url());

    const QString r = QStringLiteral("--reason");
    const QList<QStringList> mistakes{
        {},
        {QStringLiteral("bogus")},
        {QStringLiteral("status"), QStringLiteral("--bogus")},
        {QStringLiteral("status"), QStringLiteral("--json"), QStringLiteral("--json")},
        {QStringLiteral("status"), QStringLiteral("--limit"), QStringLiteral("5")},
        {QStringLiteral("queue"), QStringLiteral("set"), QStringLiteral("serialize"),
         QStringLiteral("--parallelism"), QStringLiteral("5")},
        {QStringLiteral("queue"), QStringLiteral("set"), QStringLiteral("serialize"),
         QStringLiteral("--parallelism"), QStringLiteral("5"), r, QStringLiteral(" \t ")},
        {QStringLiteral("queue"), QStringLiteral("set"), QStringLiteral("serialize"),
         QStringLiteral("--parallelism"), QStringLiteral("-1"), r, QStringLiteral("x")},
        {QStringLiteral("queue"), QStringLiteral("set"), QStringLiteral("serialize"), r,
         QStringLiteral("x")},
        {QStringLiteral("queue"), QStringLiteral("pause"), QStringLiteral("serialize")},
        {QStringLiteral("rollout"), QStringLiteral("set"), QStringLiteral("merge"),
         QStringLiteral("lt"), QStringLiteral("12.345"), r, QStringLiteral("x")},
        {QStringLiteral("rollout"), QStringLiteral("set"), QStringLiteral("merge"),
         QStringLiteral("lt"), QStringLiteral("101"), r, QStringLiteral("x")},
        {QStringLiteral("rollout"), QStringLiteral("set"), QStringLiteral("merge"),
         QStringLiteral("lt"), QStringLiteral("1e1"), r, QStringLiteral("x")},
        {QStringLiteral("rollout"), QStringLiteral("set"), QStringLiteral("merge"),
         QStringLiteral("lt"), QStringLiteral("7")},
        {QStringLiteral("user"), QStringLiteral("show"), QStringLiteral("lt-12")},
        {QStringLiteral("user"), QStringLiteral("show"), QStringLiteral("lt:12x")},
        {QStringLiteral("retry"), QStringLiteral("--user"), QStringLiteral("lt:"), r,
         QStringLiteral("x"), QStringLiteral("--yes")},
        {QStringLiteral("retry"), r, QStringLiteral("x"), QStringLiteral("--yes")},
        {QStringLiteral("retry"), QStringLiteral("--user"), QStringLiteral("lt:1"),
         QStringLiteral("--error-class"), QStringLiteral("E"), r, QStringLiteral("x"),
         QStringLiteral("--yes")},
        {QStringLiteral("retry"), QStringLiteral("--error-class"), QStringLiteral("E"),
         QStringLiteral("--yes")},
        {QStringLiteral("failures"), QStringLiteral("--model"), QStringLiteral("nosuch")},
        {QStringLiteral("failures"), QStringLiteral("--since"), QStringLiteral("yesterday")},
        {QStringLiteral("failures"), QStringLiteral("--until"), QStringLiteral("2026-13-40T00:00:00Z")},
        {QStringLiteral("failures"), QStringLiteral("--limit"), QStringLiteral("0")},
        {QStringLiteral("failures"), QStringLiteral("--after"), QStringLiteral("garbage")},
        {QStringLiteral("failures"), QStringLiteral("--search"), QString()},
        {QStringLiteral("failure"), QStringLiteral("show"), QStringLiteral("abc")},
        {QStringLiteral("failure"), QStringLiteral("show"), QStringLiteral("1"),
         QStringLiteral("--payload"), QStringLiteral("--json")},
        {QStringLiteral("status"), QStringLiteral("--log-level"), QStringLiteral("loud")},
        {QStringLiteral("--db"), QStringLiteral("not a url"), QStringLiteral("status")},
        {QStringLiteral("failures"), QStringLiteral("--match-case")}, // without --search
    };
    const QList<MigctlRun> runs = migctl.runAll(mistakes);
    for (const MigctlRun &run : runs) {
        EXPECT_EXIT(run, 2);
        QVERIFY2(run.out.isEmpty(), qPrintable(run.describe()));
        QVERIFY2(run.err.startsWith("migctl: ") && run.err.count('\n') == 1,
                 qPrintable(run.describe()));
    }
    QVERIFY(runs[20].err.contains("users, items, followers")); // the known models, listed

    MigctlRunner noDatabase(db.url());
    noDatabase.withoutDatabase();
    const MigctlRun withoutUrl = noDatabase.run({QStringLiteral("status")});
    EXPECT_EXIT(withoutUrl, 2);
    QVERIFY(withoutUrl.err.contains("MIGCTL_DB"));

    // Nothing was written: only the install's audit entry, every setting at version 1.
    QCOMPARE(scalar(*writer, QStringLiteral("SELECT COUNT(*) FROM audit_log")), 1);
    QCOMPARE(scalar(*writer, QStringLiteral("SELECT MAX(version) FROM queues")), 1);
    QCOMPARE(scalar(*writer, QStringLiteral("SELECT MAX(version) FROM rollout_flags")), 1);
    QCOMPARE(scalar(*writer, QStringLiteral("SELECT COUNT(*) FROM user_migrations WHERE "
                                            "status = 'failed'")),
             3);
    QCOMPARE(scalar(*writer, QStringLiteral("SELECT parallelism FROM queues WHERE name = "
                                            "'serialize'")),
             4);
}

void MigctlTest::storeErrorsExitOneWithOneLine()
{
    TestDatabase empty(m_server);
    MigctlRunner onEmpty(empty.url());
    const MigctlRun noSchema = onEmpty.run({QStringLiteral("status")});
    EXPECT_EXIT(noSchema, 1);
    QVERIFY2(noSchema.err.contains("install it first"), qPrintable(noSchema.describe()));

    TestDatabase db(m_server);
    auto store = db.installedStore();
    auto writer = db.openWriter();
    seedCatalogue(*writer);
    MigctlRunner migctl(db.url());
    const QString r = QStringLiteral("--reason");
    ConnectionUrl unreachable = db.connectionUrl();
    unreachable.settings.port = 1;
    unreachable.settings.connectTimeoutSeconds = 2;
    const QList<MigctlRun> runs = migctl.runAll({
        {QStringLiteral("failure"), QStringLiteral("show"), QStringLiteral("999999")},
        {QStringLiteral("user"), QStringLiteral("show"), QStringLiteral("lt:424242")},
        {QStringLiteral("queue"), QStringLiteral("set"), QStringLiteral("nosuch"),
         QStringLiteral("--parallelism"), QStringLiteral("2"), r, QStringLiteral("x")},
        {QStringLiteral("rollout"), QStringLiteral("set"), QStringLiteral("merge"),
         QStringLiteral("fr"), QStringLiteral("5"), r, QStringLiteral("x")},
        {QStringLiteral("--db"), unreachable.toString(), QStringLiteral("status")},
    });
    for (const MigctlRun &run : runs) {
        EXPECT_EXIT(run, 1);
        QVERIFY2(run.out.isEmpty(), qPrintable(run.describe()));
        QVERIFY2(run.err.startsWith("migctl: ") && run.err.count('\n') == 1,
                 qPrintable(run.describe()));
    }
    QVERIFY(runs[0].err.contains("999999"));
    QVERIFY(runs[2].err.contains("nosuch"));
    QCOMPARE(scalar(*writer, QStringLiteral("SELECT COUNT(*) FROM audit_log")), 1);
}

void MigctlTest::schemaInstallThenStatus()
{
    TestDatabase db(m_server);
    MigctlRunner migctl(db.url());
    MigctlRun run = migctl.run({QStringLiteral("schema"), QStringLiteral("status"),
                                QStringLiteral("--json")});
    EXPECT_EXIT(run, 0);
    QCOMPARE(run.json().value(QStringLiteral("state")).toString(), QStringLiteral("empty"));

    EXPECT_EXIT(migctl.run({QStringLiteral("schema"), QStringLiteral("install")}), 0);
    run = migctl.run({QStringLiteral("schema"), QStringLiteral("install")});
    EXPECT_EXIT(run, 4); // already installed: nothing to do
    EXPECT_EXIT(migctl.run({QStringLiteral("schema"), QStringLiteral("upgrade")}), 0);
    run = migctl.run({QStringLiteral("schema"), QStringLiteral("status"), QStringLiteral("--json")});
    EXPECT_EXIT(run, 0);
    QCOMPARE(run.json().value(QStringLiteral("state")).toString(), QStringLiteral("current"));
    QCOMPARE(run.json().value(QStringLiteral("installed_version")).toInt(),
             SchemaManager::builtInVersion());

    auto writer = db.openWriter();
    const sql::Rows audit = writer->connection().query(
        QStringLiteral("SELECT action, os_user FROM audit_log ORDER BY id"));
    QCOMPARE(audit.size(), 1);
    QCOMPARE(audit.text(0, 0), QStringLiteral("install_schema"));
    QCOMPARE(audit.text(0, 1), QStringLiteral("migctl-tester"));
}
