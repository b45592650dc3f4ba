// Claims: parallelism and the paused switch read live, leases, reclaim and clean shutdown.

#include "tst_sim.h"

#include "fleet/fleet_connection.h"
#include "fleet/job_board.h"
#include "fleet/migration_steps.h"
#include "fleet/work_plan.h"
#include "fleet/fleet_settings.h"
#include "sim_helpers.h"

#include <QTest>

#include <atomic>
#include <thread>

using namespace mc;
using namespace mc::test;
using Outcome = fleet::ClaimResult::Outcome;

namespace {

QString stateOfJob(sql::Connection &c, qint64 id)
{
    const sql::Rows rows = c.query(QStringLiteral("SELECT state FROM queue_jobs WHERE id = $1"),
                                   {id});
    return rows.empty() ? QString() : rows.text(0, 0);
}

QString statusOf(sql::Connection &c, const UserKey &user)
{
    const sql::Rows rows = c.query(QStringLiteral("SELECT status FROM user_migrations WHERE "
                                                  "source_portal = $1 AND source_user_id = $2"),
                                   {user.portal, user.userId});
    return rows.empty() ? QString() : rows.text(0, 0);
}

} // namespace

void SimTest::claimsHonourParallelismAcrossWorkers()
{
    TestDatabase db(m_server);
    auto store = db.installedStore();
    auto writer = db.openWriter();
    seedCatalogue(*writer);
    sql::Connection &c = writer->connection();
    addUsersWithJobs(*writer, QStringLiteral("lt"), 1, 30, UserStatus::Pending);
    setQueue(c, QStringLiteral("serialize"), 3, 1000, 3);

    // Four workers on their own connections race for the jobs: exactly three get one.
    std::atomic_int claimed{0};
    std::atomic_int refused{0};
    std::vector<std::thread> workers;
    for (int w = 0; w < 4; ++w)
        workers.emplace_back([&, w] {
            auto connection = fleet::openFleetConnection(db.connectionUrl());
            fleet::JobBoard board(*connection, QStringLiteral("test/w%1").arg(w));
            for (int i = 0; i < 5; ++i) {
                const fleet::ClaimResult result = board.claim(QStringLiteral("serialize"), 60'000);
                if (result.outcome == Outcome::Claimed)
                    ++claimed;
                else if (result.outcome == Outcome::AtParallelism)
                    ++refused;
            }
        });
    for (std::thread &worker : workers)
        worker.join();
    QCOMPARE(claimed.load(), 3);
    QCOMPARE(refused.load(), 17);
    QCOMPARE(scalar(c, QStringLiteral("SELECT COUNT(*) FROM queue_jobs WHERE state = 'running'")),
             3);
    QCOMPARE(scalar(c, QStringLiteral("SELECT COUNT(DISTINCT claimed_by) FROM queue_jobs WHERE "
                                      "state = 'running'")),
             3);
    QCOMPARE(usersIn(c, QStringLiteral("lt"), UserStatus::InProgress).size(), 3);

    // Finishing one frees one slot; raising parallelism (live) frees more.
    fleet::JobBoard board(c, QStringLiteral("test/main"));
    const sql::Rows running = c.query(QStringLiteral(
        "SELECT id, source_user_id, claimed_by, attempts FROM queue_jobs WHERE state = 'running' "
        "ORDER BY id LIMIT 1"));
    fleet::ClaimedJob job;
    job.id = running.int64(0, 0);
    job.queue = QStringLiteral("serialize");
    job.user = UserKey{QStringLiteral("lt"), running.int64(0, 1)};
    job.claimToken = running.text(0, 2);
    job.attempt = running.int32(0, 3);
    const fleet::FleetCatalogue catalogue = fleet::FleetSettings(c).catalogue();
    const fleet::WorkPlan plan = fleet::WorkPlan::forJob(catalogue, job);
    QCOMPARE(fleet::MigrationSteps(c).completeSerialize(job, plan.records, plan.createQueues,
                                                        plan.targetUserId),
             fleet::StepOutcome::Done);
    QCOMPARE(board.claim(QStringLiteral("serialize"), 60'000).outcome, Outcome::Claimed);
    QCOMPARE(board.claim(QStringLiteral("serialize"), 60'000).outcome, Outcome::AtParallelism);
    setQueue(c, QStringLiteral("serialize"), 5, 1000, 3);
    QCOMPARE(board.claim(QStringLiteral("serialize"), 60'000).outcome, Outcome::Claimed);
    QCOMPARE(board.claim(QStringLiteral("serialize"), 60'000).outcome, Outcome::Claimed);
    QCOMPARE(board.claim(QStringLiteral("serialize"), 60'000).outcome, Outcome::AtParallelism);
    // The serialized user went on to the create queues of its models' throughput classes.
    QCOMPARE(scalar(c, QStringLiteral("SELECT COUNT(*) FROM queue_jobs WHERE source_user_id = $1 "
                                      "AND queue_name IN ('create_high', 'create_low')"),
                    {job.user.userId}),
             2);
    verifyCountersEqualCounts(c);
}

void SimTest::pausedQueueAndParallelismZeroGiveNoClaims()
{
    TestDatabase db(m_server);
    auto store = db.installedStore();
    auto writer = db.openWriter();
    seedCatalogue(*writer);
    sql::Connection &c = writer->connection();
    addUsersWithJobs(*writer, QStringLiteral("lt"), 1, 5, UserStatus::Pending);
    fleet::JobBoard board(c, QStringLiteral("test"));

    QueueChange pause;
    pause.queue = QStringLiteral("serialize");
    pause.paused = true;
    pause.reason = QStringLiteral("sim test: pause");
    pause.by = tester();
    REQUIRE_OK(store->updateQueue(pause));
    QCOMPARE(board.claim(QStringLiteral("serialize"), 60'000).outcome, Outcome::Paused);

    QueueChange stop;
    stop.queue = QStringLiteral("serialize");
    stop.paused = false;
    stop.parallelism = 0;
    stop.reason = QStringLiteral("sim test: parallelism 0");
    stop.by = tester();
    REQUIRE_OK(store->updateQueue(stop));
    QCOMPARE(board.claim(QStringLiteral("serialize"), 60'000).outcome, Outcome::AtParallelism);
    QCOMPARE(scalar(c, QStringLiteral("SELECT COUNT(*) FROM queue_jobs WHERE state = 'running'")),
             0);

    QueueChange resume;
    resume.queue = QStringLiteral("serialize");
    resume.parallelism = 1;
    resume.reason = QStringLiteral("sim test: resume");
    resume.by = tester();
    REQUIRE_OK(store->updateQueue(resume));
    const fleet::ClaimResult result = board.claim(QStringLiteral("serialize"), 60'000);
    QCOMPARE(result.outcome, Outcome::Claimed);
    QVERIFY(result.job->userStarted);
    QCOMPARE(result.job->attempt, 1);
    QCOMPARE(board.claim(QStringLiteral("create_high"), 60'000).outcome, Outcome::Empty);
    QCOMPARE(board.claim(QStringLiteral("no_such_queue"), 60'000).outcome, Outcome::NoQueue);
}

void SimTest::expiredLeaseIsReclaimedAndTheLateWorkerLosesIt()
{
    TestDatabase db(m_server);
    auto store = db.installedStore();
    auto writer = db.openWriter();
    seedCatalogue(*writer);
    sql::Connection &c = writer->connection();
    addUsersWithJobs(*writer, QStringLiteral("lt"), 7, 1, UserStatus::Pending);
    const UserKey user{QStringLiteral("lt"), 7};

    // A worker claims with a short lease and is "killed": it never renews nor finishes.
    auto deadConnection = fleet::openFleetConnection(db.connectionUrl());
    fleet::JobBoard dead(*deadConnection, QStringLiteral("test/dead"));
    const fleet::ClaimResult claim = dead.claim(QStringLiteral("serialize"), 300);
    QCOMPARE(claim.outcome, Outcome::Claimed);
    QCOMPARE(statusOf(c, user), QStringLiteral("in_progress"));

    fleet::JobBoard reaper(c, QStringLiteral("test/reaper"));
    QCOMPARE(reaper.reclaimExpired(QStringLiteral("serialize"), 10).requeued, 0); // still leased
    // (QTRY_* evaluates its condition once more at the end: the reclaims are summed up.)
    int requeued = 0;
    QTRY_VERIFY_WITH_TIMEOUT(
        (requeued += reaper.reclaimExpired(QStringLiteral("serialize"), 10).requeued) > 0, 5000);
    QCOMPARE(requeued, 1);
    QCOMPARE(stateOfJob(c, claim.job->id), QStringLiteral("pending"));
    QCOMPARE(scalar(c, QStringLiteral("SELECT attempts FROM queue_jobs WHERE id = $1"),
                    {claim.job->id}),
             1); // the lost attempt counts

    // Another worker takes it over; the late worker's writes are refused and change nothing.
    fleet::JobBoard live(c, QStringLiteral("test/live"));
    const fleet::ClaimResult again = live.claim(QStringLiteral("serialize"), 60'000);
    QCOMPARE(again.outcome, Outcome::Claimed);
    QCOMPARE(again.job->attempt, 2);
    QVERIFY(!again.job->userStarted);
    const fleet::FleetCatalogue catalogue = fleet::FleetSettings(c).catalogue();
    const fleet::WorkPlan plan = fleet::WorkPlan::forJob(catalogue, *claim.job);
    fleet::MigrationSteps lateSteps(*deadConnection);
    QCOMPARE(lateSteps.completeSerialize(*claim.job, plan.records, plan.createQueues,
                                         plan.targetUserId),
             fleet::StepOutcome::LostClaim);
    QVERIFY(!dead.renewLease(*claim.job, 60'000));
    QVERIFY(!dead.release(*claim.job));
    QCOMPARE(scalar(c, QStringLiteral("SELECT COUNT(*) FROM model_progress")), 0);

    fleet::MigrationSteps steps(c);
    QCOMPARE(steps.completeSerialize(*again.job, plan.records, plan.createQueues,
                                     plan.targetUserId),
             fleet::StepOutcome::Done);
    for (const QString &queue : {QStringLiteral("create_high"), QStringLiteral("create_low")}) {
        const fleet::ClaimResult create = live.claim(queue, 60'000);
        QCOMPARE(create.outcome, Outcome::Claimed);
        const fleet::WorkPlan createPlan = fleet::WorkPlan::forJob(catalogue, *create.job);
        steps.completeCreate(*create.job, createPlan.records, createPlan.mappings);
    }
    QCOMPARE(statusOf(c, user), QStringLiteral("completed"));
    QCOMPARE(scalar(c, QStringLiteral("SELECT COUNT(*) FROM queue_jobs")), 0);
    QCOMPARE(scalar(c, QStringLiteral("SELECT COUNT(*) FROM id_mappings WHERE model_id = 1 AND "
                                      "source_id = 7")),
             1);
    verifyCountersEqualCounts(c);
}

void SimTest::leaseExpiringOnTheLastAttemptFailsTheUser()
{
    TestDatabase db(m_server);
    auto store = db.installedStore();
    auto writer = db.openWriter();
    seedCatalogue(*writer);
    sql::Connection &c = writer->connection();
    setQueue(c, QStringLiteral("serialize"), 4, 1000, 1);
    addUsersWithJobs(*writer, QStringLiteral("de"), 3, 1, UserStatus::Pending);

    fleet::JobBoard dead(c, QStringLiteral("test/dead"));
    QCOMPARE(dead.claim(QStringLiteral("serialize"), 200).outcome, Outcome::Claimed);
    QList<UserKey> failed;
    QTRY_VERIFY_WITH_TIMEOUT(
        (failed += dead.reclaimExpired(QStringLiteral("serialize"), 10).failedUsers).size() > 0,
        5000);
    QCOMPARE(failed.size(), 1);
    QCOMPARE(failed.first(), (UserKey{QStringLiteral("de"), 3}));
    const sql::Rows user = c.query(QStringLiteral(
        "SELECT status, last_error, finished_at IS NOT NULL FROM user_migrations"));
    QCOMPARE(user.text(0, 0), QStringLiteral("failed"));
    QVERIFY2(user.text(0, 1).startsWith(QStringLiteral("Merge::LeaseExpired")),
             qPrintable(user.text(0, 1)));
    QVERIFY(user.boolean(0, 2));
    QCOMPARE(scalar(c, QStringLiteral("SELECT COUNT(*) FROM queue_jobs")), 0);
    verifyCountersEqualCounts(c);
}

void SimTest::shutdownGivesUnfinishedClaimsBack()
{
    TestDatabase db(m_server);
    auto store = db.installedStore();
    auto writer = db.openWriter();
    seedCatalogue(*writer);
    sql::Connection &c = writer->connection();
    addUsersWithJobs(*writer, QStringLiteral("lt"), 1, 1, UserStatus::Pending);
    fleet::JobBoard board(c, QStringLiteral("test"));
    const fleet::ClaimResult claim = board.claim(QStringLiteral("serialize"), 60'000);
    QCOMPARE(claim.outcome, Outcome::Claimed);
    QVERIFY(board.renewLease(*claim.job, 90'000));
    QVERIFY(board.release(*claim.job));
    const sql::Rows job = c.query(QStringLiteral(
        "SELECT state, attempts, claimed_by IS NULL, lease_expires_at IS NULL FROM queue_jobs"));
    QCOMPARE(job.text(0, 0), QStringLiteral("pending"));
    QCOMPARE(job.int32(0, 1), 0); // an attempt given back does not count
    QVERIFY(job.boolean(0, 2) && job.boolean(0, 3));
    const fleet::ClaimResult again = board.claim(QStringLiteral("serialize"), 60'000);
    QCOMPARE(again.outcome, Outcome::Claimed);
    QCOMPARE(again.job->attempt, 1);
    QVERIFY(!again.job->userStarted); // it was in progress already
}
