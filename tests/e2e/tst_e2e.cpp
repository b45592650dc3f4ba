#include "tst_e2e.h"

#include "sql/sql_connection.h"

#include <QFileInfo>
#include <QJsonArray>
#include <QTest>

using namespace mc;
using namespace mc::test;
using namespace mc::test::e2e;

void EndToEndTest::initTestCase()
{
    QVERIFY2(QFileInfo(mergeSimBinary()).isExecutable(),
             qPrintable(mergeSimBinary() + QStringLiteral(" is not built")));
    QVERIFY2(QFileInfo(migctlBinary()).isExecutable(),
             qPrintable(migctlBinary() + QStringLiteral(" is not built")));
    m_server = TestServer::fromEnvironment();
    // The server must be there: a missing server fails the suite, it never skips it.
    auto probe = openStore(m_server.admin.toString());
    QVERIFY2(probe.ok(), qPrintable(QStringLiteral("%1 server not reachable at %2: %3")
                                        .arg(m_server.backend, m_server.admin.redacted(),
                                             probe.ok() ? QString() : probe.error().message)));
}

void EndToEndTest::cleanup()
{
    // Whatever happened in the case: stop the fleet, then drop the database (when `live` goes).
    const std::unique_ptr<LiveMigration> live = std::move(m_live);
    if (!live || live->fleetPid() == 0)
        return;
    const qint64 pid = live->fleetPid();
    const FleetStop stop = live->stopFleet();
    QVERIFY2(stop.clean(), qPrintable(stop.describe()));
    QVERIFY2(stop.out.startsWith(QStringLiteral("ran ")), qPrintable(stop.describe()));
    qInfo("%s", qPrintable(QStringLiteral("merge-sim on %1: %2").arg(live->backend(), stop.out)));
    // A clean stop gives unfinished claims back: nothing stays claimed by the stopped fleet.
    QCOMPARE(live->scalar(QStringLiteral("SELECT COUNT(*) FROM queue_jobs WHERE claimed_by LIKE $1"),
                          {QStringLiteral("merge-sim/%1/%").arg(pid)}),
             0);
}

void EndToEndTest::startLiveMigration(const QStringList &runOptions)
{
    m_live = std::make_unique<LiveMigration>(m_server);
    LiveMigration &live = *m_live;
    const ToolRun seeded = live.seed();
    E2E_EXPECT_EXIT(seeded, 0);
    QVERIFY2(QString::fromUtf8(seeded.out)
                 .startsWith(QStringLiteral("seeded %1 users").arg(LiveMigration::kUsers)),
             seeded.out.constData());

    QString why;
    QVERIFY2(live.startFleet(runOptions, &why), qPrintable(why));
    // Working: the seed's dead claims (their leases ran out before the fleet started) are
    // reclaimed, and the fleet has started users of its own.
    qint64 deadClaims = -1, started = -1;
    const bool working = pollUntil(
        [&] {
            if (!live.fleetAlive())
                return true; // reported below
            deadClaims = live.scalar(QStringLiteral(
                "SELECT COUNT(*) FROM queue_jobs WHERE state = 'running' AND claimed_by LIKE "
                "'merge-sim/seed/%'"));
            started = live.scalar(QStringLiteral("SELECT COUNT(*) FROM user_migrations WHERE "
                                                 "started_at >= {ts:$1}"),
                                  {live.fleetStartedAtMs()});
            return deadClaims == 0 && started > 0;
        },
        15'000, 200);
    if (!live.fleetAlive())
        QFAIL(qPrintable(QStringLiteral("merge-sim ended on its own: %1")
                             .arg(live.stopFleet().describe())));
    QVERIFY2(working, qPrintable(QStringLiteral("the fleet is not working after 15 s: %1 dead "
                                                "claims left, %2 users started")
                                     .arg(deadClaims)
                                     .arg(started)));
}

namespace mc::test::e2e {

QStringList fleetOptions(double influx, double failureRate)
{
    return {QStringLiteral("--speed"),        QStringLiteral("50"),
            QStringLiteral("--workers"),      QStringLiteral("4"),
            QStringLiteral("--influx"),       QString::number(influx),
            QStringLiteral("--failure-rate"), QString::number(failureRate),
            QStringLiteral("--seed"),         QString::number(LiveMigration::kSeed)};
}

std::optional<QJsonObject> migctlJson(LiveMigration &live, const QStringList &arguments,
                                      QString *why)
{
    const ToolRun run = live.migctl(arguments + QStringList{QStringLiteral("--json")});
    if (!run.ok()) {
        *why = run.describe();
        return std::nullopt;
    }
    return run.json(why);
}

std::optional<QJsonObject> queueRow(LiveMigration &live, const QString &queue, QString *why)
{
    const std::optional<QJsonObject> listing =
        migctlJson(live, {QStringLiteral("queue"), QStringLiteral("list")}, why);
    if (!listing)
        return std::nullopt;
    const QJsonObject row = findByName(*listing, QStringLiteral("queues"), QStringLiteral("name"),
                                       queue);
    if (row.isEmpty()) {
        *why = QStringLiteral("queue %1 is not in `migctl queue list`").arg(queue);
        return std::nullopt;
    }
    return row;
}

QStringList modelsOfClass(LiveMigration &live, const QString &throughputClass)
{
    const sql::Rows rows = live.sql().query(
        QStringLiteral("SELECT name FROM models WHERE throughput_class = $1 ORDER BY id"),
        {throughputClass});
    QStringList names;
    for (int r = 0; r < rows.size(); ++r)
        names << rows.text(r, 0);
    return names;
}

QString userKey(const QString &portal, qint64 id)
{
    return QStringLiteral("%1:%2").arg(portal).arg(id);
}

} // namespace mc::test::e2e

QTEST_GUILESS_MAIN(EndToEndTest)
