// Contract: what the console reads. Expected values come from what the test itself wrote, or
// from plain COUNT(*) over the tables, never from the code under test.

#include "tst_contract.h"

#include "sql/sql_connection.h"

#include <QDateTime>
#include <QRandomGenerator>
#include <QSet>
#include <QTest>

using namespace mc;
using namespace mc::test;


void ContractTest::freshSchemaReadsAreEmpty()
{
    TestDatabase db(m_server);
    auto store = db.installedStore();
    auto overview = store->overview({});
    REQUIRE_OK(overview);
    QCOMPARE(overview->usersByStatus.size(), 5);
    QCOMPARE(overview->totalUsers(), 0);
    QVERIFY(overview->models.isEmpty());
    QVERIFY(overview->queues.isEmpty());
    QVERIFY(overview->rollout.isEmpty());
    QVERIFY(overview->latestThroughput.isEmpty());
    QVERIFY(overview->takenAt > kT0);

    auto page = store->failures({}, std::nullopt, 50);
    REQUIRE_OK(page);
    QVERIFY(page->rows.isEmpty());
    QVERIFY(!page->next);
    auto count = store->countFailures({});
    REQUIRE_OK(count);
    QCOMPARE(*count, 0);
    auto groups = store->errorGroups();
    REQUIRE_OK(groups);
    QVERIFY(groups->isEmpty());
    auto series = store->throughput({kT0, kT0 + 3'600'000, 60});
    REQUIRE_OK(series);
    QVERIFY(series->points.isEmpty());
    auto dossier = store->userDossier({QStringLiteral("lt"), 1});
    QVERIFY(!dossier.ok());
    QCOMPARE(dossier.error().kind, StoreError::Kind::NotFound);
    auto detail = store->failure(1);
    QVERIFY(!detail.ok());
    QCOMPARE(detail.error().kind, StoreError::Kind::NotFound);
    auto retryable = store->countRetryableUsers({});
    REQUIRE_OK(retryable);
    QCOMPARE(*retryable, 0);
}

void ContractTest::overviewShowsCountersOfWhatWorkersWrote()
{
    TestDatabase db(m_server);
    auto store = db.installedStore();
    auto writer = db.openWriter();
    seedCatalogue(*writer);
    writer->addUsers(usersWithStatuses(QStringLiteral("lt"), 23, 1)); // 5,5,5,4,4 by status
    writer->addUsers(usersWithStatuses(QStringLiteral("de"), 7, 1));  // 2,2,1,1,1
    writer->setProgress({QStringLiteral("lt"), 1}, 2, 100, 80, 60, 3);
    writer->setProgress({QStringLiteral("lt"), 2}, 2, 50, 50, 50, 0);
    writer->setProgress({QStringLiteral("lt"), 2}, 2, 60, 55, 52, 1); // an update, not a new row
    writer->setProgress({QStringLiteral("de"), 1}, 3, 10, 0, 0, 0);
    for (int i = 1; i <= 6; ++i)
        writer->addJob(QStringLiteral("serialize"), {QStringLiteral("lt"), i}, i <= 2);
    const qint64 done = writer->addJob(QStringLiteral("create_low"), {QStringLiteral("de"), 1}, true);
    writer->finishJob(done);
    writer->addSample({kT0, 2, QString(), 40, 2, 3, 1, 0, 0, 0});
    writer->addSample({kT0 + 10'000, 2, QString(), 45, 1, 2, 2, 1, 0, 0});
    writer->addSample({kT0 + 10'000, 0, QStringLiteral("serialize"), 0, 0, 0, 0, 0, 4, 2});

    auto overview = store->overview({});
    REQUIRE_OK(overview);
    QCOMPARE(overview->users(UserStatus::Nil), 7);
    QCOMPARE(overview->users(UserStatus::Pending), 7);
    QCOMPARE(overview->users(UserStatus::InProgress), 6);
    QCOMPARE(overview->users(UserStatus::Completed), 5);
    QCOMPARE(overview->users(UserStatus::Failed), 5);
    QCOMPARE(overview->totalUsers(), 30);

    QCOMPARE(overview->models.size(), 3);
    QCOMPARE(overview->models[0].model, QStringLiteral("users"));
    QCOMPARE(overview->models[0].recordsTotal, 0);
    const ModelProgress &items = overview->models[1];
    QCOMPARE(items.model, QStringLiteral("items"));
    QCOMPARE(items.users, 2);
    QCOMPARE(items.recordsTotal, 160);
    QCOMPARE(items.serialized, 135);
    QCOMPARE(items.created, 112);
    QCOMPARE(items.failed, 4);
    QCOMPARE(overview->models[2].recordsTotal, 10);

    QCOMPARE(overview->queues.size(), 3);
    const QueueState &serialize = overview->queues[2];
    QCOMPARE(serialize.name, QStringLiteral("serialize"));
    QCOMPARE(serialize.depth, 4);
    QCOMPARE(serialize.inProgress, 2);
    QCOMPARE(serialize.parallelism, 4);
    QCOMPARE(serialize.paused, false);
    QCOMPARE(overview->queues[1].name, QStringLiteral("create_low"));
    QCOMPARE(overview->queues[1].depth, 0);
    QCOMPARE(overview->queues[1].inProgress, 0);

    QCOMPARE(overview->rollout.size(), 2);
    QCOMPARE(overview->rollout[1].portal, QStringLiteral("lt"));
    QCOMPARE(overview->rollout[1].basisPoints, 500);

    // Ordered by bucket, then model (a queue series has none), then queue.
    QCOMPARE(overview->latestThroughput.size(), 3);
    QCOMPARE(overview->latestThroughput[0].bucketStart, kT0);
    QCOMPARE(overview->latestThroughput[0].model, QStringLiteral("items"));
    QCOMPARE(overview->latestThroughput[0].recordsCreated, 40);
    QCOMPARE(overview->latestThroughput[1].queue, QStringLiteral("serialize"));
    QCOMPARE(overview->latestThroughput[1].queueDepth, 4);
    QCOMPARE(overview->latestThroughput[2].model, QStringLiteral("items"));
    QCOMPARE(overview->latestThroughput[2].recordsFailed, 1);
}

void ContractTest::countersEqualCountAfterRandomChanges()
{
    TestDatabase db(m_server);
    auto store = db.installedStore();
    auto writer = db.openWriter();
    seedCatalogue(*writer);
    const QString portals[] = {QStringLiteral("lt"), QStringLiteral("de")};
    for (const QString &portal : portals)
        writer->addUsers(usersWithStatuses(portal, 400, 1));

    QRandomGenerator random(20261124);
    QList<qint64> jobs;
    for (int change = 0; change < 3000; ++change) {
        const UserKey user{portals[random.bounded(2)], random.bounded(1, 401)};
        switch (random.bounded(4)) {
        case 0:
        case 1:
            writer->setUserStatus(user, kAllUserStatuses[random.bounded(5)]);
            break;
        case 2:
            writer->setProgress(user, random.bounded(1, 4), random.bounded(100),
                                random.bounded(100), random.bounded(100), random.bounded(5));
            break;
        default:
            if (!jobs.isEmpty() && random.bounded(2) == 0)
                writer->finishJob(jobs.takeAt(random.bounded(int(jobs.size()))));
            else
                jobs << writer->addJob(random.bounded(2) ? QStringLiteral("serialize")
                                                         : QStringLiteral("create_high"),
                                       user, random.bounded(2) == 0, change);
        }
    }
    // A bulk statement as well: the counters follow multi-row changes too.
    writer->connection().exec(QStringLiteral("UPDATE user_migrations SET status = 'completed' "
                                             "WHERE source_portal = 'de' AND status = 'pending'"));

    auto overview = store->overview({});
    REQUIRE_OK(overview);
    sql::Connection &c = writer->connection();
    sql::Rows truth = c.query(
        QStringLiteral("SELECT status, COUNT(*) FROM user_migrations GROUP BY status"));
    QCOMPARE(truth.size() > 1, true);
    qint64 total = 0;
    for (int r = 0; r < truth.size(); ++r) {
        QCOMPARE(overview->users(*statusFromName(truth.text(r, 0))), truth.int64(r, 1));
        total += truth.int64(r, 1);
    }
    QCOMPARE(overview->totalUsers(), total);
    QCOMPARE(total, 800);

    truth = c.query(QStringLiteral(
        "SELECT model_id, COUNT(*), SUM(records_total), SUM(serialized), SUM(created), "
        "SUM(failed) FROM model_progress GROUP BY model_id ORDER BY model_id"));
    QCOMPARE(truth.size(), 3);
    for (int r = 0; r < truth.size(); ++r) {
        const ModelProgress &model = overview->models[r];
        QCOMPARE(model.modelId, truth.int32(r, 0));
        QCOMPARE(model.users, truth.int64(r, 1));
        QCOMPARE(model.recordsTotal, truth.int64(r, 2));
        QCOMPARE(model.serialized, truth.int64(r, 3));
        QCOMPARE(model.created, truth.int64(r, 4));
        QCOMPARE(model.failed, truth.int64(r, 5));
    }

    for (const QueueState &queue : overview->queues) {
        truth = c.query(QStringLiteral("SELECT COUNT(*) FROM queue_jobs WHERE queue_name = $1 AND "
                                       "state = 'pending'"),
                        {queue.name});
        QCOMPARE(queue.depth, truth.int64(0, 0));
        truth = c.query(QStringLiteral("SELECT COUNT(*) FROM queue_jobs WHERE queue_name = $1 AND "
                                       "state = 'running'"),
                        {queue.name});
        QCOMPARE(queue.inProgress, truth.int64(0, 0));
    }
}

void ContractTest::throughputIsBucketedByTheServer()
{
    TestDatabase db(m_server);
    auto store = db.installedStore();
    auto writer = db.openWriter();
    seedCatalogue(*writer);
    // Two minutes of 10 s buckets for "items" and the serialize queue.
    for (int i = 0; i < 12; ++i) {
        writer->addSample({kT0 + i * 10'000, 2, QString(), i + 1, i % 2, 1, 1, 0, 0, 0});
        writer->addSample({kT0 + i * 10'000, 0, QStringLiteral("serialize"), 0, 0, 0, 0, 0,
                           100 - i, i % 4});
    }
    auto series = store->throughput({kT0, kT0 + 120'000, 60});
    REQUIRE_OK(series);
    QCOMPARE(series->points.size(), 4); // two minutes × (serialize queue, items model)
    const ThroughputPoint &first = series->points[1];
    QCOMPARE(first.bucketStart, kT0);
    QCOMPARE(first.model, QStringLiteral("items"));
    QCOMPARE(first.recordsCreated, 1 + 2 + 3 + 4 + 5 + 6);
    QCOMPARE(first.recordsFailed, 3);
    QCOMPARE(first.usersCompleted, 6);
    const ThroughputPoint &queue = series->points[0];
    QCOMPARE(queue.queue, QStringLiteral("serialize"));
    QVERIFY(queue.model.isEmpty());
    QCOMPARE(queue.queueDepth, 100); // a gauge: the bucket's maximum, not a sum
    QCOMPARE(queue.jobsInProgress, 3);
    QCOMPARE(series->points[3].bucketStart, kT0 + 60'000);
    QCOMPARE(series->points[3].recordsCreated, 7 + 8 + 9 + 10 + 11 + 12);
    QCOMPARE(series->points[2].queueDepth, 94);

    auto narrow = store->throughput({kT0 + 30'000, kT0 + 50'000, 10});
    REQUIRE_OK(narrow);
    QCOMPARE(narrow->points.size(), 4);
    QCOMPARE(narrow->points[0].bucketStart, kT0 + 30'000);

    auto invalid = store->throughput({kT0, kT0 + 60'000, 15});
    QVERIFY(!invalid.ok());
    QCOMPARE(invalid.error().kind, StoreError::Kind::InvalidInput);
}

void ContractTest::migrationTimesArePercentilesOfCompletedUsers()
{
    TestDatabase db(m_server);
    auto store = db.installedStore();
    auto writer = db.openWriter();
    seedCatalogue(*writer);
    // 100 users completed in the range taking 1 … 100 s; others must not count.
    std::vector<NewUser> users;
    for (int i = 1; i <= 100; ++i) {
        NewUser user;
        user.user = {QStringLiteral("lt"), i};
        user.status = UserStatus::Completed;
        user.startedAt = kT0 + i * 1000;
        user.finishedAt = kT0 + i * 1000 + i * 1000;
        users.push_back(user);
    }
    NewUser outside = users.front(); // finished after the range
    outside.user.userId = 500;
    outside.startedAt = kT0;
    outside.finishedAt = kT0 + 10'000'000;
    NewUser failed = users.front(); // not completed
    failed.user.userId = 501;
    failed.status = UserStatus::Failed;
    NewUser unstarted = users.front(); // no start time
    unstarted.user.userId = 502;
    unstarted.startedAt.reset();
    users.push_back(outside);
    users.push_back(failed);
    users.push_back(unstarted);
    writer->addUsers(users);

    auto times = store->migrationTimes(kT0, kT0 + 1'000'000);
    REQUIRE_OK(times);
    QCOMPARE(times->users, 100);
    QCOMPARE(times->p50Ms, std::optional<qint64>(50'000));
    QCOMPARE(times->p95Ms, std::optional<qint64>(95'000));
    QCOMPARE(times->p99Ms, std::optional<qint64>(99'000));

    auto none = store->migrationTimes(kT0 - 10'000, kT0);
    REQUIRE_OK(none);
    QCOMPARE(none->users, 0);
    QVERIFY(!none->p50Ms);
}

void ContractTest::userDossierShowsEverythingAboutOneUser()
{
    TestDatabase db(m_server);
    auto store = db.installedStore();
    auto writer = db.openWriter();
    seedCatalogue(*writer);
    NewUser user;
    user.user = {QStringLiteral("lt"), 77};
    user.status = UserStatus::Failed;
    user.phase = QStringLiteral("create");
    user.targetUserId = 900077;
    user.attempts = 3;
    user.requestedAt = kT0;
    user.startedAt = kT0 + 1000;
    user.finishedAt = kT0 + 61'500;
    user.lastError = QStringLiteral("items: 2 records failed");
    writer->addUsers({user});
    writer->addUsers(usersWithStatuses(QStringLiteral("lt"), 3, 1)); // other users stay out
    writer->setProgress(user.user, 1, 1, 1, 1, 0);
    writer->setProgress(user.user, 2, 40, 40, 38, 2);
    writer->setProgress({QStringLiteral("lt"), 1}, 2, 5, 5, 5, 0);
    for (int i = 0; i < 2; ++i) {
        NewFailure f;
        f.user = user.user;
        f.modelId = 2;
        f.recordId = QString::number(5000 + i);
        f.errorClass = QStringLiteral("Invalid");
        f.failedAt = kT0 + 60'000 + i;
        writer->addFailure(f);
    }
    writer->addMapping(1, user.user, 77, 900077);
    writer->addMapping(2, user.user, 123, 456);
    writer->addMapping(2, {QStringLiteral("lt"), 1}, 124, 457);

    auto dossier = store->userDossier(user.user);
    REQUIRE_OK(dossier);
    const UserMigration &m = dossier->migration;
    QCOMPARE(m.status, UserStatus::Failed);
    QCOMPARE(m.phase, QStringLiteral("create"));
    QCOMPARE(m.targetUserId, std::optional<qint64>(900077));
    QCOMPARE(m.attempts, 3);
    QCOMPARE(m.requestedAt, std::optional<EpochMs>(kT0));
    QCOMPARE(m.startedAt, std::optional<EpochMs>(kT0 + 1000));
    QCOMPARE(m.finishedAt, std::optional<EpochMs>(kT0 + 61'500));
    QCOMPARE(m.lastError, user.lastError);
    QCOMPARE(dossier->progress.size(), 2);
    QCOMPARE(dossier->progress[1].model, QStringLiteral("items"));
    QCOMPARE(dossier->progress[1].created, 38);
    QCOMPARE(dossier->failures.size(), 2);
    QCOMPARE(dossier->failures[0].recordId, QStringLiteral("5001"));
    QCOMPARE(dossier->mappings.size(), 2);
    QCOMPARE(dossier->mappings[1].targetId, 456);

    auto other = store->userDossier({QStringLiteral("de"), 77});
    QVERIFY(!other.ok());
    QCOMPARE(other.error().kind, StoreError::Kind::NotFound);
    QVERIFY(other.error().message.contains(QStringLiteral("de:77")));
}

void ContractTest::auditPagesAndFilters()
{
    TestDatabase db(m_server);
    auto store = db.installedStore();
    auto writer = db.openWriter();
    seedCatalogue(*writer);
    for (int i = 1; i <= 12; ++i) {
        QueueChange change;
        change.queue = QStringLiteral("serialize");
        change.parallelism = 4 + i;
        change.reason = QStringLiteral("step %1").arg(i);
        change.by = Operator{i % 2 ? QStringLiteral("alice") : QStringLiteral("bob")};
        QVERIFY(store->updateQueue(change).ok());
    }
    AuditQuery query;
    query.limit = 5;
    QList<qint64> ids;
    QStringList reasons;
    for (;;) {
        auto page = store->audit(query);
        REQUIRE_OK(page);
        for (const AuditEntry &entry : page->entries) {
            ids << entry.id;
            reasons << entry.reason;
        }
        if (!page->nextBeforeId)
            break;
        query.beforeId = page->nextBeforeId;
    }
    QCOMPARE(ids.size(), 13); // twelve changes and the install
    QCOMPARE(reasons.first(), QStringLiteral("step 12"));
    for (int i = 1; i < ids.size(); ++i)
        QVERIFY(ids[i] < ids[i - 1]);

    AuditQuery byActor;
    byActor.actor = QStringLiteral("alice");
    auto alice = store->audit(byActor);
    REQUIRE_OK(alice);
    QCOMPARE(alice->entries.size(), 6);
    AuditQuery byAction;
    byAction.action = QStringLiteral("install_schema");
    auto installs = store->audit(byAction);
    REQUIRE_OK(installs);
    QCOMPARE(installs->entries.size(), 1);
    AuditQuery future;
    future.since = QDateTime::currentMSecsSinceEpoch() + 3'600'000;
    auto none = store->audit(future);
    REQUIRE_OK(none);
    QVERIFY(none->entries.isEmpty());
}
