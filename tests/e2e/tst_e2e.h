#pragma once

// End to end on one backend (e2e_postgresql, e2e_mariadb): each case seeds a fresh database with
// the real merge-sim, runs a merge-sim fleet in the background at high speed, operates it with
// the real migctl, and stops the fleet with SIGTERM at the end (cleanup() checks it exits 0).
// Conditions are awaited by polling with a deadline; the only fixed waits are the 2 s within
// which the spec lets a setting take effect.

#include "e2e_harness.h"

#include <QObject>

class EndToEndTest : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanup();

    // progress and settings read live (tst_e2e_queues.cpp)
    void statusShowsProgressWhileTheFleetRuns();
    void pausingAQueueStopsNewClaimsWithinTwoSeconds();
    void parallelismZeroStopsNewClaimsWithinTwoSeconds();
    void staleExpectVersionExitsThreeAndChangesNothing();

    // users (tst_e2e_users.cpp)
    void retriedUsersCompleteWithFailureInjectionOff();
    void rolloutZeroAdmitsNoOneAndHundredAdmitsEveryone();

private:
    // A fresh seeded database with `merge-sim run <runOptions>` in the background, working (it
    // has reclaimed the seed's dead claims and started a user). Fails the test otherwise; call
    // through E2E_START.
    void startLiveMigration(const QStringList &runOptions);

    mc::test::TestServer m_server;
    std::unique_ptr<mc::test::e2e::LiveMigration> m_live;
};

#define E2E_START(...)                                                                          \
    do {                                                                                        \
        startLiveMigration(__VA_ARGS__);                                                        \
        if (QTest::currentTestFailed())                                                         \
            return;                                                                             \
    } while (false)

namespace mc::test::e2e {

// `merge-sim run` options: high speed (simulated work takes 1/50 of its time), 4 workers,
// `influx` new users a second, `failureRate` of user runs and attempts failing.
QStringList fleetOptions(double influx, double failureRate);

// `migctl ARGS --json` that must exit 0 with one JSON object; nullopt and *why otherwise.
std::optional<QJsonObject> migctlJson(LiveMigration &live, const QStringList &arguments,
                                      QString *why);
// One queue's row of `migctl queue list --json`; nullopt and *why when it cannot be read.
std::optional<QJsonObject> queueRow(LiveMigration &live, const QString &queue, QString *why);
// Names of the models of a throughput class (high, low), from the models table.
QStringList modelsOfClass(LiveMigration &live, const QString &throughputClass);
// "portal:id", the way migctl names a user.
QString userKey(const QString &portal, qint64 id);

} // namespace mc::test::e2e
