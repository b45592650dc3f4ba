// migctl queue and rollout: versioned settings, conflicts and confirmations, checked in the
// database after each run.

#include "tst_migctl.h"

#include "sql/sql_connection.h"

#include <QJsonArray>
#include <QRegularExpression>
#include <QTest>

using namespace mc;
using namespace mc::test;

namespace {

QString queueField(FleetWriter &writer, const QString &queue, const QString &column)
{
    // The column name is one of ours, never input.
    return writer.connection()
        .query(QStringLiteral("SELECT %1 FROM queues WHERE name = $1").arg(column), {queue})
        .text(0, 0);
}

QString percentage(FleetWriter &writer, const QString &portal)
{
    return writer.connection()
        .query(QStringLiteral("SELECT percentage, version FROM rollout_flags WHERE flag = "
                              "'merge' AND portal = $1"),
               {portal})
        .text(0, 0);
}

} // namespace

void MigctlTest::queueSetWithStaleVersionConflicts()
{
    TestDatabase db(m_server);
    auto store = db.installedStore();
    auto writer = db.openWriter();
    seedCatalogue(*writer);
    MigctlRunner migctl(db.url());
    const QString serialize = QStringLiteral("serialize");

    MigctlRun run = migctl.run(args({"queue", "set", "serialize", "--parallelism", "9",
                                     "--expect-version", "1", "--reason", "more", "--json"}));
    EXPECT_EXIT(run, 0);
    QCOMPARE(run.json().value(QStringLiteral("parallelism")).toInt(), 9);
    QCOMPARE(run.json().value(QStringLiteral("version")).toInteger(), 2);

    run = migctl.run(args({"queue", "set", "serialize", "--parallelism", "12",
                           "--expect-version", "1", "--reason", "stale"}));
    EXPECT_EXIT(run, 3);
    QVERIFY2(run.err.contains("changed by someone else"), run.err.constData());
    QCOMPARE(queueField(*writer, serialize, QStringLiteral("parallelism")), QStringLiteral("9"));
    QCOMPARE(queueField(*writer, serialize, QStringLiteral("version")), QStringLiteral("2"));

    run = migctl.run(args({"queue", "set", "serialize", "--parallelism", "9", "--reason", "same"}));
    EXPECT_EXIT(run, 4); // nothing to change
    run = migctl.run(args({"queue", "set", "serialize", "--run-every-ms", "250",
                           "--max-attempts", "7", "--reason", "tune"}));
    EXPECT_EXIT(run, 0);
    QVERIFY2(run.out.contains("version 3"), run.out.constData());
    QCOMPARE(queueField(*writer, serialize, QStringLiteral("run_every_ms")), QStringLiteral("250"));
    QCOMPARE(queueField(*writer, serialize, QStringLiteral("max_attempts")), QStringLiteral("7"));
    QCOMPARE(scalar(*writer, QStringLiteral("SELECT COUNT(*) FROM audit_log WHERE action = "
                                            "'set_queue'")),
             2);
    QCOMPARE(scalar(*writer, QStringLiteral("SELECT MAX(version) FROM queues WHERE name <> "
                                            "'serialize'")),
             1);
}

void MigctlTest::queuePauseShowsInList()
{
    TestDatabase db(m_server);
    auto store = db.installedStore();
    auto writer = db.openWriter();
    seedCatalogue(*writer);
    MigctlRunner migctl(db.url());
    auto pausedInList = [&]() {
        const MigctlRun list = migctl.run(args({"queue", "list", "--json"}));
        QHash<QString, bool> paused;
        for (const QJsonValue &q : list.json().value(QStringLiteral("queues")).toArray())
            paused.insert(q.toObject().value(QStringLiteral("name")).toString(),
                          q.toObject().value(QStringLiteral("paused")).toBool());
        return paused;
    };

    EXPECT_EXIT(migctl.run(args({"queue", "pause", "create_low", "--reason", "db maintenance"})), 0);
    QHash<QString, bool> paused = pausedInList();
    QCOMPARE(paused.size(), 3);
    QCOMPARE(paused.value(QStringLiteral("create_low")), true);
    QCOMPARE(paused.value(QStringLiteral("serialize")), false);
    QCOMPARE(paused.value(QStringLiteral("create_high")), false);
    QVERIFY(writer->connection()
                .query(QStringLiteral("SELECT paused FROM queues WHERE name = 'create_low'"))
                .boolean(0, 0));
    const MigctlRun table = migctl.run(args({"queue", "list"}));
    EXPECT_EXIT(table, 0);
    QVERIFY2(QString::fromUtf8(table.out).contains(QRegularExpression(QStringLiteral("create_low\\s+2\\s+yes"))),
             table.out.constData());

    EXPECT_EXIT(migctl.run(args({"queue", "pause", "create_low", "--reason", "again"})), 4);
    EXPECT_EXIT(migctl.run(args({"queue", "resume", "create_low", "--reason", "done"})), 0);
    QCOMPARE(pausedInList().value(QStringLiteral("create_low")), false);
    const sql::Rows audit = writer->connection().query(QStringLiteral(
        "SELECT reason, after_state FROM audit_log WHERE action = 'set_queue' ORDER BY id"));
    QCOMPARE(audit.size(), 2);
    QCOMPARE(audit.text(0, 0), QStringLiteral("db maintenance"));
    QCOMPARE(audit.text(1, 0), QStringLiteral("done"));
}

void MigctlTest::rolloutPercentIsExactAndChecked()
{
    TestDatabase db(m_server);
    auto store = db.installedStore();
    auto writer = db.openWriter();
    seedCatalogue(*writer);
    MigctlRunner migctl(db.url());
    const QString lt = QStringLiteral("lt");

    MigctlRun run = migctl.run(args({"rollout", "set", "merge", "lt", "12.34", "--reason", "step"}));
    EXPECT_EXIT(run, 0);
    QVERIFY2(run.out.contains("5.00 % → 12.34 %"), run.out.constData());
    QCOMPARE(percentage(*writer, lt), QStringLiteral("12.34"));
    run = migctl.run(args({"rollout", "list", "--json"}));
    EXPECT_EXIT(run, 0);
    for (const QJsonValue &flag : run.json().value(QStringLiteral("rollout")).toArray())
        if (flag.toObject().value(QStringLiteral("portal")).toString() == lt) {
            QCOMPARE(flag.toObject().value(QStringLiteral("basis_points")).toInt(), 1234);
            QCOMPARE(flag.toObject().value(QStringLiteral("percent")).toDouble(), 12.34);
            QCOMPARE(flag.toObject().value(QStringLiteral("version")).toInteger(), 2);
        }

    const QList<MigctlRun> invalid = migctl.runAll({
        args({"rollout", "set", "merge", "lt", "12.345", "--reason", "x", "--yes"}),
        args({"rollout", "set", "merge", "lt", "101", "--reason", "x", "--yes"}),
        args({"rollout", "set", "merge", "lt", "100.01", "--reason", "x", "--yes"}),
        args({"rollout", "set", "merge", "lt", "12,34", "--reason", "x", "--yes"}),
    });
    for (const MigctlRun &r : invalid)
        EXPECT_EXIT(r, 2);
    // A jump of more than 10 points asks; a pipe cannot answer, so it is refused.
    run = migctl.run(args({"rollout", "set", "merge", "lt", "50", "--reason", "big step"}));
    EXPECT_EXIT(run, 4);
    QVERIFY2(run.err.contains("--yes"), run.err.constData());
    QCOMPARE(percentage(*writer, lt), QStringLiteral("12.34"));

    EXPECT_EXIT(migctl.run(args({"rollout", "set", "merge", "lt", "50", "--reason", "big step",
                                 "--yes"})),
                0);
    QCOMPARE(percentage(*writer, lt), QStringLiteral("50.00"));
    run = migctl.run(args({"rollout", "set", "merge", "lt", "55", "--expect-version", "2",
                           "--reason", "stale"}));
    EXPECT_EXIT(run, 3);
    EXPECT_EXIT(migctl.run(args({"rollout", "set", "merge", "lt", "50", "--reason", "same"})), 4);
    EXPECT_EXIT(migctl.run(args({"rollout", "set", "merge", "de", "0.5", "--reason", "tiny"})), 0);
    QCOMPARE(percentage(*writer, QStringLiteral("de")), QStringLiteral("0.50"));
    QCOMPARE(percentage(*writer, lt), QStringLiteral("50.00"));
    QCOMPARE(scalar(*writer, QStringLiteral("SELECT COUNT(*) FROM audit_log WHERE action = "
                                            "'set_rollout'")),
             3);
}
