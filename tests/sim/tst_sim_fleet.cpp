// Whole fleets in-process: the settings they read live, users from pending to completed or
// failed, and the throughput samples they write.

#include "tst_sim.h"

#include "fleet/fleet.h"
#include "fleet/seeder.h"
#include "fleet/throughput_recorder.h"
#include "sim_helpers.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QTest>

using namespace mc;
using namespace mc::test;

namespace {

fleet::FleetOptions fastFleet(double failureRate)
{
    fleet::FleetOptions options;
    options.workers = 4;
    options.speed = 1000;
    options.failureRate = failureRate;
    options.leaseMs = 10'000;
    options.admitBatch = 1000;
    options.admissionIntervalMs = 100;
    options.reclaimIntervalMs = 200;
    options.settingsRefreshMs = 200;
    options.name = QStringLiteral("sim-test");
    return options;
}

void makeQueuesQuick(sql::Connection &c, int maxAttempts)
{
    for (const QString &queue : {QStringLiteral("serialize"), QStringLiteral("create_high"),
                                 QStringLiteral("create_low")})
        setQueue(c, queue, 4, 20, maxAttempts);
}

qint64 unfinished(sql::Connection &c)
{
    return scalar(c, QStringLiteral("SELECT COUNT(*) FROM user_migrations WHERE status IN "
                                    "('pending', 'in_progress')"));
}

} // namespace

void SimTest::pauseAndParallelismZeroStopAFleetWithinTwoSeconds()
{
    TestDatabase db(m_server);
    auto store = db.installedStore();
    auto writer = db.openWriter();
    seedCatalogue(*writer);
    sql::Connection &c = writer->connection();
    makeQueuesQuick(c, 3);
    addUsersWithJobs(*writer, QStringLiteral("lt"), 1, 3000, UserStatus::Pending);

    fleet::Fleet fleet(db.connectionUrl(), fastFleet(0));
    fleet.start();
    const auto claims = [&fleet] {
        return fleet.stats().claimsByQueue.value(QStringLiteral("serialize"));
    };
    QTRY_VERIFY_WITH_TIMEOUT(claims() > 20, 10'000);

    for (const bool byPause : {true, false}) {
        QueueChange stop;
        stop.queue = QStringLiteral("serialize");
        if (byPause)
            stop.paused = true;
        else
            stop.parallelism = 0;
        stop.reason = QStringLiteral("sim test: stop claims");
        stop.by = tester();
        REQUIRE_OK(store->updateQueue(stop));
        QElapsedTimer clock;
        clock.start();
        // Within 2 s the claims stop: nothing running, the count stands still afterwards.
        QTRY_VERIFY_WITH_TIMEOUT(scalar(c, QStringLiteral("SELECT COUNT(*) FROM queue_jobs WHERE "
                                                          "queue_name = 'serialize' AND state = "
                                                          "'running'")) == 0,
                                 2000);
        const qint64 stoppedAt = claims();
        QTest::qWait(int(std::max<qint64>(0, 2000 - clock.elapsed())) + 1000);
        QCOMPARE(claims(), stoppedAt);
        QVERIFY(scalar(c, QStringLiteral("SELECT COUNT(*) FROM queue_jobs WHERE queue_name = "
                                         "'serialize' AND state = 'pending'"))
                > 0);

        QueueChange resume;
        resume.queue = QStringLiteral("serialize");
        resume.paused = false;
        resume.parallelism = 4;
        resume.reason = QStringLiteral("sim test: resume");
        resume.by = tester();
        REQUIRE_OK(store->updateQueue(resume));
        QTRY_VERIFY_WITH_TIMEOUT(claims() > stoppedAt, 2000);
    }
    fleet.stop();
    QCOMPARE(fleet.stats().databaseErrors, 0);
    QCOMPARE(scalar(c, QStringLiteral("SELECT COUNT(*) FROM queue_jobs WHERE state = 'running'")),
             0); // a clean stop gives unfinished claims back
    verifyCountersEqualCounts(c);
}

void SimTest::pendingUsersCompleteWithoutFailureInjection()
{
    TestDatabase db(m_server);
    auto store = db.installedStore();
    fleet::SeedOptions seed;
    seed.users = 600;
    seed.failedShare = 0.05;
    seed.historyHours = 1;
    // Ten minutes ago: the dead fleet's leases in the snapshot have all run out.
    seed.at = QDateTime::currentMSecsSinceEpoch() - 600'000;
    const fleet::SeedReport seeded = fleet::Seeder(db.connectionUrl(), seed).run();
    QVERIFY(seeded.usersByStatus.value(UserStatus::Failed) > 0);
    QVERIFY(seeded.jobs > 0);
    auto writer = db.openWriter();
    sql::Connection &c = writer->connection();
    makeQueuesQuick(c, 3);
    for (const QString &portal : seed.portals)
        setRollout(c, portal, 10'000);
    const QSet<qint64> failedBefore = usersIn(c, QStringLiteral("lt"), UserStatus::Failed);

    fleet::Fleet fleet(db.connectionUrl(), fastFleet(0));
    fleet.start();
    QTRY_VERIFY_WITH_TIMEOUT(unfinished(c) == 0
                                 && scalar(c, QStringLiteral("SELECT COUNT(*) FROM "
                                                             "user_migrations WHERE status = "
                                                             "'nil'")) == 0,
                             40'000);
    // Every admitted user completed; the seeded failures stay failed until someone retries.
    QCOMPARE(usersIn(c, QStringLiteral("lt"), UserStatus::Failed), failedBefore);
    QCOMPARE(scalar(c, QStringLiteral("SELECT COUNT(*) FROM user_migrations WHERE status NOT IN "
                                      "('completed', 'failed')")),
             0);

    // Support retries the failed users; with failures off they complete too.
    std::vector<UserKey> retry;
    const sql::Rows failed = c.query(QStringLiteral(
        "SELECT source_portal, source_user_id FROM user_migrations WHERE status = 'failed'"));
    for (int r = 0; r < failed.size(); ++r)
        retry.push_back(UserKey{failed.text(r, 0), failed.int64(r, 1)});
    RetryRequest request;
    request.users = retry;
    request.reason = QStringLiteral("sim test: the bug is fixed");
    request.by = tester();
    auto report = store->retryUsers(request, {});
    REQUIRE_OK(report);
    QCOMPARE(report->moved, qint64(retry.size()));
    QTRY_VERIFY_WITH_TIMEOUT(scalar(c, QStringLiteral("SELECT COUNT(*) FROM user_migrations "
                                                      "WHERE status <> 'completed'")) == 0,
                             30'000);
    fleet.stop();
    QCOMPARE(fleet.stats().attemptsFailed, 0);
    QCOMPARE(fleet.stats().databaseErrors, 0);

    // Completed users: every model created, a mapping for the user, no jobs left.
    QCOMPARE(scalar(c, QStringLiteral("SELECT COUNT(*) FROM model_progress WHERE created <> "
                                      "records_total OR serialized <> records_total")),
             0);
    QCOMPARE(scalar(c, QStringLiteral("SELECT COUNT(*) FROM user_migrations u WHERE NOT EXISTS "
                                      "(SELECT 1 FROM id_mappings m WHERE m.model_id = 1 AND "
                                      "m.source_portal = u.source_portal AND m.source_id = "
                                      "u.source_user_id)")),
             0);
    QCOMPARE(scalar(c, QStringLiteral("SELECT COUNT(*) FROM user_migrations WHERE "
                                      "target_user_id IS NULL OR finished_at IS NULL OR "
                                      "last_error IS NOT NULL")),
             0);
    QCOMPARE(scalar(c, QStringLiteral("SELECT COUNT(*) FROM queue_jobs")), 0);
    verifyCountersEqualCounts(c);
}

void SimTest::attemptsRetryUpToMaxAttemptsThenTheUserFails()
{
    TestDatabase db(m_server);
    auto store = db.installedStore();
    auto writer = db.openWriter();
    seedCatalogue(*writer);
    sql::Connection &c = writer->connection();
    makeQueuesQuick(c, 2);
    addUsersWithJobs(*writer, QStringLiteral("lt"), 1, 20, UserStatus::Pending);

    fleet::Fleet fleet(db.connectionUrl(), fastFleet(1.0)); // every attempt fails
    fleet.start();
    QTRY_VERIFY_WITH_TIMEOUT(unfinished(c) == 0, 20'000);
    fleet.stop();

    QCOMPARE(usersIn(c, QStringLiteral("lt"), UserStatus::Failed).size(), 20);
    QCOMPARE(fleet.stats().usersFailed, 20);
    QCOMPARE(fleet.stats().attemptsFailed, 40);
    // Two attempts each (the queue's max), one failed record per attempt, numbered 1 and 2.
    QCOMPARE(scalar(c, QStringLiteral("SELECT COUNT(*) FROM failed_records WHERE phase = "
                                      "'serialize'")),
             40);
    QCOMPARE(scalar(c, QStringLiteral("SELECT COUNT(*) FROM (SELECT source_user_id FROM "
                                      "failed_records GROUP BY source_user_id HAVING "
                                      "MIN(attempt) = 1 AND MAX(attempt) = 2 AND COUNT(*) = 2) "
                                      "x")),
             20);
    // The user's last error is its last failed record's class and message.
    QCOMPARE(scalar(c, QStringLiteral(
                           "SELECT COUNT(*) FROM user_migrations u JOIN failed_records f ON "
                           "f.source_portal = u.source_portal AND f.source_user_id = "
                           "u.source_user_id AND f.attempt = 2 WHERE u.last_error = "
                           "f.error_class || ': ' || f.message AND u.finished_at IS NOT NULL")),
             20);
    QCOMPARE(scalar(c, QStringLiteral("SELECT SUM(failed) FROM model_progress")), 40);
    QCOMPARE(scalar(c, QStringLiteral("SELECT COUNT(*) FROM queue_jobs")), 0);
    verifyCountersEqualCounts(c);
}

void SimTest::throughputSamplesMatchWhatTheFleetDid()
{
    TestDatabase db(m_server);
    auto store = db.installedStore();
    auto writer = db.openWriter();
    seedCatalogue(*writer);
    sql::Connection &c = writer->connection();
    makeQueuesQuick(c, 3);
    setRollout(c, QStringLiteral("lt"), 10'000);
    setRollout(c, QStringLiteral("de"), 5000);

    fleet::FleetOptions options = fastFleet(0.2);
    options.influxPerSecond = 200;
    fleet::Fleet fleet(db.connectionUrl(), options);
    fleet.start();
    const QString gauges = QStringLiteral(
        "SELECT COUNT(*) FROM throughput_samples WHERE queue_name = 'serialize' AND "
        "(queue_depth > 0 OR jobs_in_progress > 0)");
    QTRY_VERIFY_WITH_TIMEOUT(fleet.stats().usersCompleted > 50 && fleet.stats().usersFailed > 0
                                 && scalar(c, gauges) > 0,
                             20'000);
    fleet.stop();
    const fleet::FleetStats stats = fleet.stats();
    QVERIFY(stats.usersRequested > 0);
    QCOMPARE(scalar(c, QStringLiteral("SELECT COUNT(*) FROM user_migrations")),
             stats.usersRequested);
    QCOMPARE(scalar(c, QStringLiteral("SELECT COUNT(*) FROM user_migrations WHERE status <> "
                                      "'nil'")),
             stats.usersAdmitted);
    // Nobody from de was admitted beyond its 50 %.
    QCOMPARE(scalar(c, QStringLiteral("SELECT COUNT(*) FROM user_migrations WHERE source_portal "
                                      "= 'de' AND status <> 'nil' AND rollout_bucket >= 5000")),
             0);
    const auto total = [&c](const char *column, const char *series) {
        return scalar(c, QStringLiteral("SELECT COALESCE(SUM(%1), 0) FROM throughput_samples "
                                        "WHERE %2")
                             .arg(QLatin1String(column), QLatin1String(series)));
    };
    QCOMPARE(total("users_started", "model_id = 0"), stats.usersStarted);
    QCOMPARE(total("users_completed", "model_id = 0"), stats.usersCompleted);
    QCOMPARE(total("users_failed", "model_id = 0"), stats.usersFailed);
    QCOMPARE(total("records_failed", "queue_name = ''"), stats.attemptsFailed);
    QCOMPARE(scalar(c, QStringLiteral("SELECT COUNT(*) FROM user_migrations WHERE status = "
                                      "'completed'")),
             stats.usersCompleted);
    QCOMPARE(scalar(c, QStringLiteral("SELECT COUNT(*) FROM failed_records")),
             stats.attemptsFailed);
    QCOMPARE(total("records_created", "queue_name = ''"),
             scalar(c, QStringLiteral("SELECT COALESCE(SUM(created), 0) FROM model_progress")));
    QCOMPARE(scalar(c, QStringLiteral("SELECT COUNT(*) FROM throughput_samples WHERE "
                                      "MOD(%1, 10000) <> 0")
                           .arg(QStringLiteral("{ms:bucket_start}"))),
             0);
    verifyCountersEqualCounts(c);
}

void SimTest::throughputUpsertAddsCountsAndKeepsGaugeMaxima()
{
    TestDatabase db(m_server);
    auto store = db.installedStore();
    auto writer = db.openWriter();
    seedCatalogue(*writer);
    sql::Connection &c = writer->connection();
    fleet::ThroughputRecorder recorder;
    recorder.addRecords(kT0 + 1234, 2, 10, 1);
    recorder.addRecords(kT0 + 9999, 2, 5, 0);
    recorder.observeQueue(kT0 + 100, QStringLiteral("serialize"), 40, 3);
    recorder.observeQueue(kT0 + 5000, QStringLiteral("serialize"), 25, 4);
    recorder.addUsers(kT0 + 10'000, QStringLiteral("serialize"), 2, 0, 0); // the next bucket
    recorder.flush(c);
    QVERIFY(recorder.isEmpty());
    // A second writer (another process) adds to the same buckets.
    fleet::ThroughputRecorder other;
    other.addRecords(kT0 + 1, 2, 7, 2);
    other.observeQueue(kT0 + 1, QStringLiteral("serialize"), 30, 9);
    other.flush(c);

    const sql::Rows rows = c.query(QStringLiteral(
        "SELECT {ms:bucket_start}, model_id, queue_name, records_created, records_failed, "
        "users_started, queue_depth, jobs_in_progress FROM throughput_samples ORDER BY 1, 2, 3"));
    QCOMPARE(rows.size(), 3);
    QCOMPARE(rows.int64(0, 0), kT0); // model 0 'serialize' sorts before model 2 ''
    QCOMPARE(rows.text(0, 2), QStringLiteral("serialize"));
    QCOMPARE(rows.int64(0, 6), 40); // gauges: the maximum
    QCOMPARE(rows.int64(0, 7), 9);
    QCOMPARE(rows.int32(1, 1), 2);
    QCOMPARE(rows.int64(1, 3), 22); // counts: the sum
    QCOMPARE(rows.int64(1, 4), 3);
    QCOMPARE(rows.int64(2, 0), kT0 + 10'000);
    QCOMPARE(rows.int64(2, 5), 2);
}

void SimTest::aSpikeFailsItsPortalsUsersOnly()
{
    TestDatabase db(m_server);
    auto store = db.installedStore();
    auto writer = db.openWriter();
    seedCatalogue(*writer);
    sql::Connection &c = writer->connection();
    makeQueuesQuick(c, 2);
    addUsersWithJobs(*writer, QStringLiteral("lt"), 1, 60, UserStatus::Pending);
    addUsersWithJobs(*writer, QStringLiteral("de"), 1, 60, UserStatus::Pending);

    fleet::FleetOptions options = fastFleet(0); // no failures outside the spike
    options.spike = fleet::RunWindow{0, 0};     // from the start to the end
    options.spikeRate = 1.0;
    options.spikePortal = QStringLiteral("lt");
    fleet::Fleet fleet(db.connectionUrl(), options);
    fleet.start();
    QTRY_VERIFY_WITH_TIMEOUT(unfinished(c) == 0, 30'000);
    fleet.stop();

    // Every lt run was doomed: its users failed for good, with persistent failed records; the
    // other portal's users were untouched by the spike.
    QCOMPARE(usersIn(c, QStringLiteral("lt"), UserStatus::Failed).size(), 60);
    QCOMPARE(usersIn(c, QStringLiteral("de"), UserStatus::Completed).size(), 60);
    QCOMPARE(scalar(c, QStringLiteral("SELECT COUNT(*) FROM failed_records WHERE source_portal "
                                      "= 'de'")),
             0);
    QVERIFY(scalar(c, QStringLiteral("SELECT COUNT(DISTINCT source_user_id) FROM failed_records "
                                     "WHERE source_portal = 'lt'"))
            == 60);
    QCOMPARE(fleet.stats().databaseErrors, 0);
    verifyCountersEqualCounts(c);
}

void SimTest::aStallStopsClaimsUntilItEnds()
{
    TestDatabase db(m_server);
    auto store = db.installedStore();
    auto writer = db.openWriter();
    seedCatalogue(*writer);
    sql::Connection &c = writer->connection();
    makeQueuesQuick(c, 2);
    addUsersWithJobs(*writer, QStringLiteral("lt"), 1, 40, UserStatus::Pending);

    fleet::FleetOptions options = fastFleet(0);
    options.stall = fleet::RunWindow{0, 2500}; // the first 2.5 s
    fleet::Fleet fleet(db.connectionUrl(), options);
    QElapsedTimer clock;
    clock.start();
    fleet.start();
    QTest::qWait(1500);
    QCOMPARE(fleet.stats().claims, 0); // stalled: users pending, nobody works
    QCOMPARE(unfinished(c), 40);
    QTRY_VERIFY_WITH_TIMEOUT(unfinished(c) == 0, 30'000);
    QVERIFY(clock.elapsed() >= 2500); // work resumed only after the stall
    fleet.stop();
    QCOMPARE(usersIn(c, QStringLiteral("lt"), UserStatus::Completed).size(), 40);
}
