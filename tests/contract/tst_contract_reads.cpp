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

namespace {

#define REQUIRE_OK(result)                                                                      \
    QVERIFY2((result).ok(), qPrintable((result).ok() ? QString() : (result).error().message))

constexpr EpochMs kT0 = 1'764'000'000'000; // 2025-11-24 16:00:00 UTC, a multiple of 10 s

std::vector<NewUser> usersWithStatuses(const QString &portal, int count, qint64 firstId)
{
    std::vector<NewUser> users;
    for (int i = 0; i < count; ++i) {
        NewUser user;
        user.user = UserKey{portal, firstId + i};
        user.status = kAllUserStatuses[i % 5];
        users.push_back(user);
    }
    return users;
}

QList<qint64> pageIds(const FailurePage &page)
{
    QList<qint64> ids;
    for (const FailureRow &row : page.rows)
        ids << row.id;
    return ids;
}

QList<qint64> allFailureIds(MergeStore &store, const FailureFilter &filter, int pageSize)
{
    QList<qint64> ids;
    std::optional<FailureCursor> cursor;
    for (int guard = 0; guard < 10'000; ++guard) {
        auto page = store.failures(filter, cursor, pageSize);
        if (!page.ok())
            qFatal("failures page failed: %s", qPrintable(page.error().message));
        ids += pageIds(*page);
        if (!page->next)
            break;
        cursor = page->next;
    }
    return ids;
}

} // namespace

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

void ContractTest::failuresPageByKeysetWithoutGapsOrRepeats()
{
    TestDatabase db(m_server);
    auto store = db.installedStore();
    auto writer = db.openWriter();
    seedCatalogue(*writer);
    writer->addUsers(usersWithStatuses(QStringLiteral("lt"), 10, 1));
    QList<QPair<EpochMs, qint64>> written;
    for (int i = 0; i < 257; ++i) {
        NewFailure failure;
        failure.user = {QStringLiteral("lt"), 1 + i % 10};
        failure.modelId = 2;
        failure.errorClass = QStringLiteral("ActiveRecord::RecordInvalid");
        failure.message = QStringLiteral("Validation failed for item %1").arg(i);
        failure.failedAt = kT0 + (i / 7) * 1000; // runs of 7 equal timestamps: ties on failed_at
        written.append({*failure.failedAt, writer->addFailure(failure)});
    }
    // Newest first; within one timestamp the higher id first.
    std::sort(written.begin(), written.end(), [](const auto &a, const auto &b) { return a > b; });
    QList<qint64> expected;
    for (const auto &entry : written)
        expected << entry.second;
    for (int pageSize : {1, 7, 50, 300}) {
        const QList<qint64> ids = allFailureIds(*store, {}, pageSize);
        QCOMPARE(ids.size(), 257);
        QCOMPARE(QSet<qint64>(ids.begin(), ids.end()).size(), 257);
        QCOMPARE(ids, expected);
    }
    auto page = store->failures({}, std::nullopt, 50);
    REQUIRE_OK(page);
    QVERIFY(page->next);
    const auto decoded = FailureCursor::decode(page->next->encode());
    QVERIFY(decoded);
    QCOMPARE(decoded->id, page->rows.last().id);
    QCOMPARE(page->rows[0].model, QStringLiteral("items"));
    QCOMPARE(page->rows[0].messageExcerpt, QStringLiteral("Validation failed for item 256"));

    auto tooBig = store->failures({}, std::nullopt, 0);
    QVERIFY(!tooBig.ok());
    QCOMPARE(tooBig.error().kind, StoreError::Kind::InvalidInput);
}

void ContractTest::failureFiltersNarrowToExactlyTheMatchingRows()
{
    TestDatabase db(m_server);
    auto store = db.installedStore();
    auto writer = db.openWriter();
    seedCatalogue(*writer);
    writer->addUsers(usersWithStatuses(QStringLiteral("lt"), 20, 1));
    writer->addUsers(usersWithStatuses(QStringLiteral("de"), 20, 1));

    struct Written
    {
        qint64 id;
        NewFailure failure;
    };
    QList<Written> written;
    const QString classes[] = {QStringLiteral("Timeout"), QStringLiteral("KeyError"),
                               QStringLiteral("timeout")};
    for (int i = 0; i < 120; ++i) {
        NewFailure f;
        f.user = {i % 3 == 0 ? QStringLiteral("de") : QStringLiteral("lt"), 1 + i % 20};
        f.modelId = 1 + i % 3;
        f.errorClass = classes[i % 3];
        f.message = i % 4 == 0 ? QStringLiteral("user 50% done: _x_ [%1]").arg(i)
                               : QStringLiteral("Price too HIGH %1").arg(i);
        f.failedAt = kT0 + i * 60'000;
        written.append({writer->addFailure(f), f});
    }
    // Resolve a few so "include resolved" matters.
    writer->connection().exec(QStringLiteral("UPDATE failed_records SET resolution = 'ignored' "
                                             "WHERE id IN ($1, $2, $3)"),
                              {written[0].id, written[5].id, written[50].id});
    const QSet<qint64> resolved{written[0].id, written[5].id, written[50].id};

    qsizetype matched = -1; // rows the last check expected
    auto check = [&](const FailureFilter &filter,
                     const std::function<bool(const NewFailure &)> &want) {
        QList<qint64> expected;
        for (const Written &w : written)
            if (want(w.failure) && (filter.includeResolved || !resolved.contains(w.id)))
                expected.prepend(w.id);
        matched = expected.size();
        const QList<qint64> ids = allFailureIds(*store, filter, 16);
        QCOMPARE(ids, expected);
        auto count = store->countFailures(filter);
        QVERIFY(count.ok());
        QCOMPARE(*count, qint64(expected.size()));
    };

    FailureFilter none;
    check(none, [](const NewFailure &) { return true; });
    QCOMPARE(matched, 117);
    none.includeResolved = true;
    check(none, [](const NewFailure &) { return true; });
    QCOMPARE(matched, 120);

    FailureFilter byModel;
    byModel.modelId = 2;
    check(byModel, [](const NewFailure &f) { return f.modelId == 2; });

    FailureFilter byClass; // exact and case-sensitive: "Timeout" is not "timeout"
    byClass.errorClass = QStringLiteral("Timeout");
    check(byClass, [](const NewFailure &f) { return f.errorClass == "Timeout"; });
    QCOMPARE(matched, 39);

    FailureFilter byPortal;
    byPortal.portal = QStringLiteral("de");
    check(byPortal, [](const NewFailure &f) { return f.user.portal == "de"; });

    FailureFilter byTime;
    byTime.since = kT0 + 10 * 60'000;
    byTime.until = kT0 + 20 * 60'000; // until is exclusive
    check(byTime, [](const NewFailure &f) {
                 return *f.failedAt >= kT0 + 10 * 60'000 && *f.failedAt < kT0 + 20 * 60'000;
             });
    QCOMPARE(matched, 10);

    FailureFilter byText; // LIKE wildcards are literal characters here
    byText.messageText = QStringLiteral("50% done: _x_");
    check(byText, [](const NewFailure &f) { return f.message.contains("50% done: _x_"); });
    QCOMPARE(matched, 29);
    byText.messageText = QStringLiteral("%");
    check(byText, [](const NewFailure &f) { return f.message.contains('%'); });
    byText.messageText = QStringLiteral("high"); // case-sensitive: "HIGH" does not match
    check(byText, [](const NewFailure &) { return false; });
    QCOMPARE(matched, 0);

    FailureFilter combined;
    combined.modelId = 1;
    combined.portal = QStringLiteral("de");
    combined.messageText = QStringLiteral("Price");
    combined.since = kT0;
    check(combined, [](const NewFailure &f) {
        return f.modelId == 1 && f.user.portal == "de" && f.message.contains("Price");
    });
}

void ContractTest::payloadsRoundTripByteForByte()
{
    TestDatabase db(m_server);
    auto store = db.installedStore();
    auto writer = db.openWriter();
    seedCatalogue(*writer);
    writer->addUsers(usersWithStatuses(QStringLiteral("lt"), 1, 1));

    QByteArray allBytes;
    for (int b = 0; b < 256; ++b)
        allBytes.append(char(b));
    QByteArray large(5 * 1024 * 1024, Qt::Uninitialized);
    QRandomGenerator random(42);
    random.fillRange(reinterpret_cast<quint32 *>(large.data()), large.size() / 4);
    const QList<QPair<QByteArray, QString>> payloads{
        {QStringLiteral("{\"name\":\"Žemaitė 🚀 مرحبا\",\"q\":\"it's \\\"x\\\"\"}").toUtf8(),
         QStringLiteral("application/json")},
        {allBytes, QStringLiteral("application/octet-stream")},
        {QByteArray("\xff\xfe{\"broken\": \xc3\x28}", 16), QStringLiteral("application/json")},
        {QByteArray(), QStringLiteral("application/json")},
        {large, QStringLiteral("application/octet-stream")},
    };
    for (const auto &[payload, type] : payloads) {
        NewFailure f;
        f.user = {QStringLiteral("lt"), 1};
        f.modelId = 2;
        f.errorClass = QStringLiteral("Payload");
        f.message = QStringLiteral("multi\nline message ✓");
        f.backtrace = QStringLiteral("app/a.rb:1:in `x'\napp/b.rb:2");
        f.payload = payload;
        f.contentType = type;
        const qint64 id = writer->addFailure(f);
        auto detail = store->failure(id);
        REQUIRE_OK(detail);
        QCOMPARE(detail->payload.size(), payload.size());
        QVERIFY(detail->payload == payload);
        QCOMPARE(detail->row.payloadSize, qint64(payload.size()));
        QCOMPARE(detail->contentType, type);
        QCOMPARE(detail->message, f.message);
        QCOMPARE(detail->backtrace, f.backtrace);
        QCOMPARE(detail->row.messageExcerpt, QStringLiteral("multi"));
        QCOMPARE(detail->fingerprint.size(), 32);
    }
}

void ContractTest::errorGroupsFoldNumbersAndQuotedValues()
{
    TestDatabase db(m_server);
    auto store = db.installedStore();
    auto writer = db.openWriter();
    seedCatalogue(*writer);
    writer->addUsers(usersWithStatuses(QStringLiteral("lt"), 5, 1));
    auto add = [&](int model, const QString &cls, const QString &message, EpochMs at) {
        NewFailure f;
        f.user = {QStringLiteral("lt"), 1};
        f.modelId = model;
        f.errorClass = cls;
        f.message = message;
        f.failedAt = at;
        return writer->addFailure(f);
    };
    add(2, QStringLiteral("RecordNotFound"), QStringLiteral("Couldn't find Item with 'id'=17"), kT0);
    add(2, QStringLiteral("RecordNotFound"), QStringLiteral("Couldn't find Item with 'id'=9031"),
        kT0 + 5000);
    const qint64 third = add(3, QStringLiteral("RecordNotFound"),
                             QStringLiteral("Couldn't find Item with 'id'=4"), kT0 + 9000);
    add(2, QStringLiteral("Timeout"), QStringLiteral("Couldn't find Item with 'id'=17"), kT0 + 1);
    add(1, QStringLiteral("RecordNotFound"), QStringLiteral("name \"Ann\" is taken"), kT0 + 2);
    add(1, QStringLiteral("RecordNotFound"), QStringLiteral("name \"Bob\" is taken"), kT0 + 3);

    auto groups = store->errorGroups();
    REQUIRE_OK(groups);
    QCOMPARE(groups->size(), 3);
    const ErrorGroup &top = groups->at(0);
    QCOMPARE(top.errorClass, QStringLiteral("RecordNotFound"));
    // The apostrophe of "Couldn't" opens a quoted value: crude, but the same on both backends.
    QCOMPARE(top.messagePattern, QStringLiteral("Couldn?id'=#"));
    QCOMPARE(top.failures, 3);
    QCOMPARE(top.unresolved, 3);
    QCOMPARE(top.firstSeen, kT0);
    QCOMPARE(top.lastSeen, kT0 + 9000);
    QCOMPARE(top.models, (QStringList{QStringLiteral("items"), QStringLiteral("followers")}));
    QCOMPARE(groups->at(1).failures, 2);
    QCOMPARE(groups->at(1).messagePattern, QStringLiteral("name ? is taken"));
    QCOMPARE(groups->at(2).errorClass, QStringLiteral("Timeout"));

    // A group's fingerprint filters the failures; resolving one lowers its unresolved count.
    FailureFilter filter;
    filter.fingerprint = top.fingerprint;
    QCOMPARE(allFailureIds(*store, filter, 10).size(), 3);
    writer->connection().exec(
        QStringLiteral("UPDATE failed_records SET resolution = 'ignored' WHERE id = $1"), {third});
    groups = store->errorGroups();
    REQUIRE_OK(groups);
    QCOMPARE(groups->at(0).failures, 3);
    QCOMPARE(groups->at(0).unresolved, 2);
    auto count = store->countFailures(filter);
    QVERIFY(count.ok());
    QCOMPARE(*count, 2);
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
