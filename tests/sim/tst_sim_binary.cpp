// The built merge-sim: seed, a short run, a clean stop on SIGTERM, usage errors.

#include "tst_sim.h"

#include "schema_manager.h"
#include "sim_helpers.h"

#include <QProcess>
#include <QTest>

using namespace mc;
using namespace mc::test;

namespace {

struct Finished
{
    int exitCode = -1;
    QString out;
    QString err;
};

Finished runSim(const QStringList &arguments, int timeoutMs = 60'000)
{
    QProcess process;
    process.start(QStringLiteral(MERGE_SIM_BINARY), arguments);
    if (!process.waitForFinished(timeoutMs)) {
        process.kill();
        process.waitForFinished();
    }
    return {process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1,
            QString::fromUtf8(process.readAllStandardOutput()),
            QString::fromUtf8(process.readAllStandardError())};
}

} // namespace

void SimTest::mergeSimSeedsRunsAndStopsOnSigterm()
{
    TestDatabase db(m_server); // empty: seed installs the schema
    const QString url = db.url();
    const Finished seeded = runSim({QStringLiteral("--db"), url, QStringLiteral("seed"),
                                    QStringLiteral("--users"), QStringLiteral("400"),
                                    QStringLiteral("--portals"), QStringLiteral("lt,pl"),
                                    QStringLiteral("--at"), QStringLiteral("2025-11-24T16:00:00Z"),
                                    QStringLiteral("--log-level"), QStringLiteral("warn")});
    QVERIFY2(seeded.exitCode == 0, qPrintable(seeded.err));
    QVERIFY2(seeded.out.startsWith(QStringLiteral("seeded 400 users")), qPrintable(seeded.out));
    auto writer = db.openWriter();
    sql::Connection &c = writer->connection();
    QCOMPARE(scalar(c, QStringLiteral("SELECT COUNT(*) FROM user_migrations")), 400);
    QCOMPARE(scalar(c, QStringLiteral("SELECT COUNT(*) FROM portals")), 3); // lt, pl, target
    QCOMPARE(scalar(c, QStringLiteral("SELECT MAX(version) FROM schema_version")),
             SchemaManager::builtInVersion());
    c.exec(QStringLiteral("UPDATE queues SET run_every_ms = 50"));

    const Finished ran = runSim({QStringLiteral("--db"), url, QStringLiteral("run"),
                                 QStringLiteral("--duration"), QStringLiteral("3"),
                                 QStringLiteral("--influx"), QStringLiteral("40"),
                                 QStringLiteral("--speed"), QStringLiteral("200"),
                                 QStringLiteral("--workers"), QStringLiteral("3")});
    QVERIFY2(ran.exitCode == 0, qPrintable(ran.err));
    QVERIFY2(ran.out.startsWith(QStringLiteral("ran ")), qPrintable(ran.out));
    QVERIFY(scalar(c, QStringLiteral("SELECT COUNT(*) FROM user_migrations")) >= 480);
    QVERIFY(scalar(c, QStringLiteral("SELECT COUNT(*) FROM throughput_samples WHERE "
                                     "{ms:bucket_start} > $1"),
                   {kT0})
            > 0);
    verifyCountersEqualCounts(c);

    // Until a signal: SIGTERM stops it cleanly, with exit code 0 and no claim left behind.
    QProcess process;
    process.start(QStringLiteral(MERGE_SIM_BINARY),
                  {QStringLiteral("--db"), url, QStringLiteral("run"), QStringLiteral("--influx"),
                   QStringLiteral("100"), QStringLiteral("--workers"), QStringLiteral("4")});
    QVERIFY(process.waitForStarted());
    const QString pid = QString::number(process.processId());
    QTRY_VERIFY_WITH_TIMEOUT(scalar(c, QStringLiteral("SELECT COUNT(*) FROM queue_jobs WHERE "
                                                      "claimed_by LIKE $1"),
                                    {QStringLiteral("merge-sim/%1/%").arg(pid)})
                                 > 0,
                             10'000);
    process.terminate(); // SIGTERM
    QVERIFY(process.waitForFinished(10'000));
    QCOMPARE(process.exitStatus(), QProcess::NormalExit);
    QVERIFY2(process.exitCode() == 0, process.readAllStandardError().constData());
    QCOMPARE(scalar(c, QStringLiteral("SELECT COUNT(*) FROM queue_jobs WHERE claimed_by LIKE $1"),
                    {QStringLiteral("merge-sim/%1/%").arg(pid)}),
             0);
    verifyCountersEqualCounts(c);
}

void SimTest::mergeSimRejectsBadUsage()
{
    const QString url = m_server.admin.toString();
    QCOMPARE(runSim({QStringLiteral("seed")}).exitCode, 2); // no --db
    QCOMPARE(runSim({QStringLiteral("--db"), url}).exitCode, 2); // no command
    QCOMPARE(runSim({QStringLiteral("--db"), url, QStringLiteral("dance")}).exitCode, 2);
    QCOMPARE(runSim({QStringLiteral("--db"), url, QStringLiteral("run"), QStringLiteral("--users"),
                     QStringLiteral("5")})
                 .exitCode,
             2); // a seed option
    QCOMPARE(runSim({QStringLiteral("--db"), url, QStringLiteral("seed"),
                     QStringLiteral("--failed-share"), QStringLiteral("2")})
                 .exitCode,
             2);
    // A spike's rate or length without its start, or a rate above 1: refused, named.
    const Finished noStart = runSim({QStringLiteral("--db"), url, QStringLiteral("run"),
                                     QStringLiteral("--spike-for"), QStringLiteral("5")});
    QCOMPARE(noStart.exitCode, 2);
    QVERIFY2(noStart.err.contains(QStringLiteral("--spike-after")), qPrintable(noStart.err));
    QCOMPARE(runSim({QStringLiteral("--db"), url, QStringLiteral("run"),
                     QStringLiteral("--spike-after"), QStringLiteral("0"),
                     QStringLiteral("--spike-rate"), QStringLiteral("1.5")})
                 .exitCode,
             2);
    const Finished help = runSim({QStringLiteral("--help")});
    QCOMPARE(help.exitCode, 0);
    QVERIFY(help.out.contains(QStringLiteral("--influx")));
    QVERIFY(help.out.contains(QStringLiteral("--stall-after")));
    // A database without the schema: run refuses with exit code 1.
    TestDatabase empty(m_server);
    const Finished refused = runSim({QStringLiteral("--db"), empty.url(), QStringLiteral("run"),
                                     QStringLiteral("--duration"), QStringLiteral("1")});
    QCOMPARE(refused.exitCode, 1);
    QVERIFY2(refused.err.contains(QStringLiteral("seed")), qPrintable(refused.err));
}
