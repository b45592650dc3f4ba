// Contract: operator actions. Each test checks the rows and audit entries afterwards with plain
// SQL, not through the code under test.

#include "tst_contract.h"

#include "sql/sql_connection.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSet>
#include <QStringDecoder>
#include <QTest>

using namespace mc;
using namespace mc::test;

namespace {

qint64 addFailure(FleetWriter &writer, const UserKey &user, int model, const QString &message)
{
    NewFailure f;
    f.user = user;
    f.modelId = model;
    f.errorClass = QStringLiteral("Err");
    f.message = message;
    return writer.addFailure(f);
}

} // namespace

void ContractTest::retryExplicitUsersReportsEachOutcome()
{
    TestDatabase db(m_server);
    auto store = db.installedStore();
    auto writer = db.openWriter();
    seedCatalogue(*writer);
    addUsers(*writer, QStringLiteral("lt"), 1, 1, UserStatus::Failed);
    addUsers(*writer, QStringLiteral("lt"), 2, 1, UserStatus::Pending);
    addUsers(*writer, QStringLiteral("de"), 3, 1, UserStatus::Failed);
    addUsers(*writer, QStringLiteral("de"), 4, 1, UserStatus::Failed); // not asked for
    const qint64 failure = addFailure(*writer, {QStringLiteral("lt"), 1}, 2, QStringLiteral("x"));
    const qint64 untouched = addFailure(*writer, {QStringLiteral("de"), 4}, 2, QStringLiteral("y"));
    // A user asked for but not failed keeps its failed records unresolved.
    const qint64 pendingUsers = addFailure(*writer, {QStringLiteral("lt"), 2}, 2,
                                           QStringLiteral("z"));

    RetryRequest request;
    request.users = std::vector<UserKey>{{QStringLiteral("lt"), 1}, {QStringLiteral("lt"), 2},
                                         {QStringLiteral("lt"), 999}, {QStringLiteral("de"), 3},
                                         {QStringLiteral("lt"), 1}};
    request.reason = QStringLiteral("ticket SUP-42: card fixed");
    request.by = Operator{QStringLiteral("support-anna")};
    QList<RetryProgress> progress;
    BulkControl control;
    control.onProgress = [&](const RetryProgress &p) { progress << p; };
    auto report = store->retryUsers(request, control);
    REQUIRE_OK(report);
    QCOMPARE(report->total, 4);
    QCOMPARE(report->moved, 2);
    QCOMPARE(report->notFailed, 1);
    QCOMPARE(report->notFound, 1);
    QVERIFY(!report->cancelled);
    QCOMPARE(report->outcomes.size(), 4);
    QHash<QString, UserOutcome> byUser;
    for (const UserOutcome &outcome : report->outcomes)
        byUser.insert(outcome.user.toString(), outcome);
    QCOMPARE(byUser["lt:1"].kind, UserOutcome::Kind::Moved);
    QCOMPARE(byUser["lt:2"].kind, UserOutcome::Kind::NotFailed);
    QCOMPARE(byUser["lt:2"].statusBefore, UserStatus::Pending);
    QCOMPARE(byUser["lt:999"].kind, UserOutcome::Kind::NotFound);
    QCOMPARE(byUser["de:3"].kind, UserOutcome::Kind::Moved);
    QCOMPARE(progress.last().processed, 4);
    QCOMPARE(progress.last().moved, 2);

    QCOMPARE(statusOf(*writer, {QStringLiteral("lt"), 1}), QStringLiteral("pending"));
    QCOMPARE(statusOf(*writer, {QStringLiteral("lt"), 2}), QStringLiteral("pending"));
    QCOMPARE(statusOf(*writer, {QStringLiteral("de"), 3}), QStringLiteral("pending"));
    QCOMPARE(statusOf(*writer, {QStringLiteral("de"), 4}), QStringLiteral("failed"));
    // The moved user's failure now reads as retried, by whom; the others stay open.
    auto retried = store->failure(failure);
    REQUIRE_OK(retried);
    QCOMPARE(retried->row.resolution, QStringLiteral("retried"));
    QVERIFY(retried->resolvedBy.contains(QStringLiteral("support-anna")));
    QVERIFY(retried->resolvedAt.has_value());
    for (qint64 open : {untouched, pendingUsers}) {
        auto detail = store->failure(open);
        REQUIRE_OK(detail);
        QVERIFY(detail->row.resolution.isEmpty());
        QVERIFY(detail->resolvedBy.isEmpty());
    }
    FailureFilter openOnly;
    QList<qint64> open = allFailureIds(*store, openOnly, 10);
    std::sort(open.begin(), open.end());
    QCOMPARE(open, (QList<qint64>{untouched, pendingUsers}));
    openOnly.includeResolved = true;
    QCOMPARE(allFailureIds(*store, openOnly, 10).size(), 3);
    QCOMPARE(scalar(*writer, QStringLiteral("SELECT SUM(unresolved) FROM error_groups")), 2);
    QCOMPARE(scalar(*writer, QStringLiteral("SELECT COUNT(*) FROM queue_jobs WHERE queue_name = "
                                            "'serialize' AND state = 'pending'")),
             2);

    int entries = 0;
    const QSet<QString> audited = usersInRetryAudit(*store, &entries);
    QCOMPARE(entries, 2); // one batch per portal
    QCOMPARE(audited, (QSet<QString>{QStringLiteral("lt:1"), QStringLiteral("de:3")}));
    auto audit = store->audit({});
    REQUIRE_OK(audit);
    QCOMPARE(audit->entries[0].reason, request.reason);
    QCOMPARE(audit->entries[0].osUser, QStringLiteral("support-anna"));

    // Again: nobody is failed any more, so nothing moves and nothing is audited.
    auto again = store->retryUsers(request, {});
    REQUIRE_OK(again);
    QCOMPARE(again->moved, 0);
    QCOMPARE(again->notFailed, 3);
    usersInRetryAudit(*store, &entries);
    QCOMPARE(entries, 2);
    QCOMPARE(scalar(*writer, QStringLiteral("SELECT COUNT(*) FROM queue_jobs")), 2);
}

void ContractTest::retryByFilterMovesExactlyTheFilteredUsers()
{
    TestDatabase db(m_server);
    auto store = db.installedStore();
    auto writer = db.openWriter();
    seedCatalogue(*writer);
    addUsers(*writer, QStringLiteral("lt"), 1, 30, UserStatus::Failed);
    addUsers(*writer, QStringLiteral("de"), 1, 30, UserStatus::Failed);
    addUsers(*writer, QStringLiteral("lt"), 100, 5, UserStatus::Completed);
    QSet<QString> expected;
    for (int id = 1; id <= 30; ++id) {
        // lt users with an odd id fail on items with "timeout"; everyone else on other things.
        const bool match = id % 2 == 1;
        addFailure(*writer, {QStringLiteral("lt"), id}, match ? 2 : 3,
                   match ? QStringLiteral("read timeout after 30s") : QStringLiteral("other"));
        addFailure(*writer, {QStringLiteral("de"), id}, 2, QStringLiteral("read timeout"));
        if (match)
            expected.insert(QStringLiteral("lt:%1").arg(id));
    }
    // A completed user with a matching old failure is not retryable.
    addFailure(*writer, {QStringLiteral("lt"), 100}, 2, QStringLiteral("read timeout"));

    FailureFilter filter;
    filter.portal = QStringLiteral("lt");
    filter.modelId = 2;
    filter.searchText = QStringLiteral("timeout");
    auto count = store->countRetryableUsers(filter);
    REQUIRE_OK(count);
    QCOMPARE(*count, qint64(expected.size()));

    RetryRequest request;
    request.users = filter;
    request.reason = QStringLiteral("timeouts fixed by infra");
    request.by = tester();
    request.batchSize = 4;
    auto report = store->retryUsers(request, {});
    REQUIRE_OK(report);
    QCOMPARE(report->moved, qint64(expected.size()));
    QCOMPARE(report->batches, 4); // 15 users in batches of 4

    const sql::Rows pending = writer->connection().query(QStringLiteral(
        "SELECT source_portal, source_user_id FROM user_migrations WHERE status = 'pending'"));
    QSet<QString> moved;
    for (int r = 0; r < pending.size(); ++r)
        moved.insert(QStringLiteral("%1:%2").arg(pending.text(r, 0)).arg(pending.int64(r, 1)));
    QCOMPARE(moved, expected);
    QCOMPARE(scalar(*writer, QStringLiteral("SELECT COUNT(*) FROM user_migrations WHERE status = "
                                            "'failed'")),
             60 - expected.size());
    int entries = 0;
    QCOMPARE(usersInRetryAudit(*store, &entries), expected);
    QCOMPARE(*store->countRetryableUsers(filter), 0);
}

void ContractTest::bulkRetryCancelledHalfwayLeavesUsersMovedOrUntouched()
{
    TestDatabase db(m_server);
    auto store = db.installedStore();
    auto writer = db.openWriter();
    seedCatalogue(*writer);
    constexpr qint64 kUsers = 100'000;
    addUsers(*writer, QStringLiteral("lt"), 1, kUsers, UserStatus::Failed);
    writer->refreshStatistics();
    std::vector<UserKey> everyone;
    everyone.reserve(kUsers);
    for (qint64 id = 1; id <= kUsers; ++id)
        everyone.push_back({QStringLiteral("lt"), id});

    RetryRequest request;
    request.users = everyone;
    request.reason = QStringLiteral("bulk retry after fix");
    request.by = tester();
    std::atomic_bool cancel{false};
    BulkControl control;
    control.cancel = &cancel;
    int calls = 0;
    control.onProgress = [&](const RetryProgress &p) {
        ++calls;
        QVERIFY(p.total == kUsers);
        if (p.processed >= kUsers / 2)
            cancel = true; // the operator presses Cancel half-way
    };
    auto report = store->retryUsers(request, control);
    REQUIRE_OK(report);
    QVERIFY(report->cancelled);
    QCOMPARE(report->moved, kUsers / 2);
    QCOMPARE(calls, 51); // the start and fifty batches of 1000

    const qint64 pending = scalar(*writer, QStringLiteral("SELECT COUNT(*) FROM user_migrations "
                                                          "WHERE status = 'pending'"));
    const qint64 failed = scalar(*writer, QStringLiteral("SELECT COUNT(*) FROM user_migrations "
                                                         "WHERE status = 'failed'"));
    QCOMPARE(pending, report->moved);
    QCOMPARE(pending + failed, kUsers); // every user moved or untouched, nothing in between
    QCOMPARE(scalar(*writer, QStringLiteral("SELECT COUNT(*) FROM queue_jobs")), pending);

    int entries = 0;
    const QSet<QString> audited = usersInRetryAudit(*store, &entries);
    QCOMPARE(entries, 50);
    QCOMPARE(qint64(audited.size()), pending);
    const sql::Rows rows = writer->connection().query(QStringLiteral(
        "SELECT source_user_id FROM user_migrations WHERE status = 'pending'"));
    for (int r = 0; r < rows.size(); ++r)
        QVERIFY(audited.contains(QStringLiteral("lt:%1").arg(rows.int64(r, 0))));

    auto overview = store->overview({});
    REQUIRE_OK(overview);
    QCOMPARE(overview->users(UserStatus::Pending), pending);
    QCOMPARE(overview->users(UserStatus::Failed), failed);
}

void ContractTest::queueChangesAreVersionedAndAudited()
{
    TestDatabase db(m_server);
    auto store = db.installedStore();
    auto writer = db.openWriter();
    seedCatalogue(*writer);

    QueueChange change;
    change.queue = QStringLiteral("create_high");
    change.parallelism = 16;
    change.expectVersion = 1;
    change.reason = QStringLiteral("workers keep up; double it");
    change.by = Operator{QStringLiteral("lead-lina")};
    auto applied = store->updateQueue(change);
    REQUIRE_OK(applied);
    QCOMPARE(applied->parallelism, 16);
    QCOMPARE(applied->version, 2);
    QCOMPARE(applied->maxAttempts, 5);
    QVERIFY(applied->updatedBy.contains(QStringLiteral("lead-lina")));
    QCOMPARE(scalar(*writer, QStringLiteral("SELECT parallelism FROM queues WHERE name = "
                                            "'create_high'")),
             16);

    QueueChange pause;
    pause.queue = QStringLiteral("create_high");
    pause.paused = true;
    pause.reason = QStringLiteral("target DB maintenance");
    pause.by = change.by;
    auto paused = store->updateQueue(pause);
    REQUIRE_OK(paused);
    QVERIFY(paused->paused);
    QCOMPARE(paused->version, 3);
    auto twice = store->updateQueue(pause);
    QVERIFY(!twice.ok());
    QCOMPARE(twice.error().kind, StoreError::Kind::NothingToChange);
    pause.paused = false;
    REQUIRE_OK(store->updateQueue(pause));

    auto audit = store->audit({});
    REQUIRE_OK(audit);
    QCOMPARE(audit->entries.size(), 4); // three changes and the install
    const AuditEntry &first = audit->entries[2];
    QCOMPARE(first.action, QStringLiteral("set_queue"));
    QCOMPARE(first.target, QStringLiteral("queue:create_high"));
    QCOMPARE(first.before, QStringLiteral("{\"parallelism\":8}"));
    QCOMPARE(first.after, QStringLiteral("{\"parallelism\":16}"));
    QCOMPARE(first.reason, change.reason);
    QCOMPARE(audit->entries[1].after, QStringLiteral("{\"paused\":true}"));
    QCOMPARE(audit->entries[0].after, QStringLiteral("{\"paused\":false}"));

    QueueChange missing = change;
    missing.queue = QStringLiteral("nope");
    missing.expectVersion.reset();
    auto notFound = store->updateQueue(missing);
    QVERIFY(!notFound.ok());
    QCOMPARE(notFound.error().kind, StoreError::Kind::NotFound);
}

void ContractTest::staleVersionIsRefusedWithWhoChangedWhat()
{
    TestDatabase db(m_server);
    auto consoleA = db.installedStore();
    auto consoleB = db.openStore();
    auto writer = db.openWriter();
    seedCatalogue(*writer);
    auto loadedA = consoleA->overview({});
    auto loadedB = consoleB->overview({});
    REQUIRE_OK(loadedA);
    REQUIRE_OK(loadedB);
    const qint64 version = loadedB->queues[2].version; // serialize

    QueueChange a;
    a.queue = QStringLiteral("serialize");
    a.parallelism = 10;
    a.expectVersion = version;
    a.reason = QStringLiteral("A: more workers");
    a.by = Operator{QStringLiteral("alice")};
    REQUIRE_OK(consoleA->updateQueue(a));

    QueueChange b = a;
    b.parallelism = 1;
    b.reason = QStringLiteral("B: fewer workers");
    b.by = Operator{QStringLiteral("bob")};
    auto refused = consoleB->updateQueue(b);
    QVERIFY(!refused.ok());
    QCOMPARE(refused.error().kind, StoreError::Kind::Conflict);
    const QString message = refused.error().message;
    QVERIFY2(message.contains(QStringLiteral("alice")), qPrintable(message));
    QVERIFY2(message.contains(QStringLiteral("\"parallelism\":10")), qPrintable(message));
    QVERIFY2(message.contains(QStringLiteral("A: more workers")), qPrintable(message));
    QCOMPARE(scalar(*writer, QStringLiteral("SELECT parallelism FROM queues WHERE name = "
                                            "'serialize'")),
             10);
    QCOMPARE(scalar(*writer, QStringLiteral("SELECT COUNT(*) FROM audit_log WHERE action = "
                                            "'set_queue'")),
             1);

    RolloutChange ra{QStringLiteral("merge"), QStringLiteral("lt"), 1000,
                     loadedA->rollout[1].version, QStringLiteral("A: 10 %"), Operator{"alice"}};
    RolloutChange rb = ra;
    rb.basisPoints = 2500;
    rb.by = Operator{QStringLiteral("bob")};
    REQUIRE_OK(consoleA->setRollout(ra));
    auto rolloutRefused = consoleB->setRollout(rb);
    QVERIFY(!rolloutRefused.ok());
    QCOMPARE(rolloutRefused.error().kind, StoreError::Kind::Conflict);
    QVERIFY(rolloutRefused.error().message.contains(QStringLiteral("10.00")));
    QCOMPARE(writer->connection().query(QStringLiteral("SELECT percentage FROM rollout_flags "
                                                       "WHERE flag = 'merge' AND portal = 'lt'"))
                 .text(0, 0),
             QStringLiteral("10.00"));
}

void ContractTest::rolloutChangesAreVersionedAndAudited()
{
    TestDatabase db(m_server);
    auto store = db.installedStore();
    auto writer = db.openWriter();
    seedCatalogue(*writer);
    RolloutChange change{QStringLiteral("merge"), QStringLiteral("lt"), 1025, 1,
                         QStringLiteral("next step"), tester()};
    auto flag = store->setRollout(change);
    REQUIRE_OK(flag);
    QCOMPARE(flag->basisPoints, 1025);
    QCOMPARE(flag->percentage(), 10.25);
    QCOMPARE(flag->version, 2);
    QCOMPARE(writer->connection().query(QStringLiteral("SELECT percentage FROM rollout_flags "
                                                       "WHERE portal = 'lt'"))
                 .text(0, 0),
             QStringLiteral("10.25"));
    auto audit = store->audit({});
    REQUIRE_OK(audit);
    QCOMPARE(audit->entries[0].action, QStringLiteral("set_rollout"));
    QCOMPARE(audit->entries[0].target, QStringLiteral("rollout:merge:lt"));
    QCOMPARE(audit->entries[0].before, QStringLiteral("{\"percentage\":\"5.00\"}"));
    QCOMPARE(audit->entries[0].after, QStringLiteral("{\"percentage\":\"10.25\"}"));

    change.expectVersion = 2;
    change.basisPoints = 10'000;
    REQUIRE_OK(store->setRollout(change));
    change.expectVersion.reset();
    change.basisPoints = 0;
    auto down = store->setRollout(change);
    REQUIRE_OK(down);
    QCOMPARE(down->basisPoints, 0);
    change.portal = QStringLiteral("fr");
    auto missing = store->setRollout(change);
    QVERIFY(!missing.ok());
    QCOMPARE(missing.error().kind, StoreError::Kind::NotFound);
}

void ContractTest::invalidChangesAreRefusedWithoutWriting()
{
    TestDatabase db(m_server);
    auto store = db.installedStore();
    auto writer = db.openWriter();
    seedCatalogue(*writer);
    addUsers(*writer, QStringLiteral("lt"), 1, 3, UserStatus::Failed);

    auto expectInvalid = [](const auto &result) {
        QVERIFY(!result.ok());
        QCOMPARE(result.error().kind, StoreError::Kind::InvalidInput);
    };
    RetryRequest retry;
    retry.users = std::vector<UserKey>{{QStringLiteral("lt"), 1}};
    retry.reason = QStringLiteral("   ");
    expectInvalid(store->retryUsers(retry, {}));
    // A NUL: PostgreSQL cannot store it and MariaDB could; both refuse it the same way.
    retry.reason = QStringLiteral("ticket") + QChar(0) + QStringLiteral("42");
    expectInvalid(store->retryUsers(retry, {}));
    retry.reason = QStringLiteral("ok");
    retry.batchSize = 0;
    expectInvalid(store->retryUsers(retry, {}));

    QueueChange queue;
    queue.queue = QStringLiteral("serialize");
    queue.parallelism = -1;
    queue.reason = QStringLiteral("x");
    expectInvalid(store->updateQueue(queue));
    queue.parallelism = 2;
    queue.reason.clear();
    expectInvalid(store->updateQueue(queue));
    queue.reason = QStringLiteral("x");
    queue.parallelism.reset();
    queue.runEveryMs = 0;
    expectInvalid(store->updateQueue(queue));

    RolloutChange rollout{QStringLiteral("merge"), QStringLiteral("lt"), 10'001, {},
                          QStringLiteral("x"), tester()};
    expectInvalid(store->setRollout(rollout));
    rollout.basisPoints = -1;
    expectInvalid(store->setRollout(rollout));
    rollout.basisPoints = 500; // unchanged: refused as nothing to change
    auto unchanged = store->setRollout(rollout);
    QVERIFY(!unchanged.ok());
    QCOMPARE(unchanged.error().kind, StoreError::Kind::NothingToChange);

    QCOMPARE(scalar(*writer, QStringLiteral("SELECT COUNT(*) FROM user_migrations WHERE status = "
                                            "'failed'")),
             3);
    QCOMPARE(scalar(*writer, QStringLiteral("SELECT COUNT(*) FROM audit_log")), 1);
    QCOMPARE(scalar(*writer, QStringLiteral("SELECT version FROM queues WHERE name = "
                                            "'serialize'")),
             1);
}

void ContractTest::hostileStringsAreStoredAndMatchedLiterally()
{
    TestDatabase db(m_server);
    auto store = db.installedStore();
    auto writer = db.openWriter();
    seedCatalogue(*writer);
    addUsers(*writer, QStringLiteral("lt"), 1, 1, UserStatus::Failed);
    const QStringList strings = naughtyStrings();
    QVERIFY(strings.size() > 400);

    QHash<qint64, QString> messages;
    for (const QString &text : strings) {
        const QString message = QStringLiteral("before ") + text + QStringLiteral(" after");
        messages.insert(addFailure(*writer, {QStringLiteral("lt"), 1}, 2, message), message);
    }
    const qint64 failures = messages.size();
    int parallelism = 1;
    for (const QString &text : strings) {
        FailureFilter filter;
        filter.searchText = text;
        filter.matchCase = true; // either case: tst_contract_search.cpp
        QSet<qint64> expected;
        for (auto it = messages.cbegin(); it != messages.cend(); ++it)
            if (it.value().contains(text) || QStringLiteral("Err").contains(text))
                expected.insert(it.key());
        auto count = store->countFailures(filter);
        REQUIRE_OK(count);
        QVERIFY2(*count == expected.size(),
                 qPrintable(QStringLiteral("search %1: %2 rows, expected %3")
                                .arg(text).arg(*count).arg(expected.size())));
        auto page = store->failures(filter, std::nullopt, 1000);
        REQUIRE_OK(page);
        QSet<qint64> found;
        for (const FailureRow &row : page->rows)
            found.insert(row.id);
        QCOMPARE(found, expected);

        // The same string as an operator's reason is kept exactly.
        QueueChange change;
        change.queue = QStringLiteral("serialize");
        change.parallelism = ++parallelism;
        change.reason = text;
        const QString osUser = text.size() <= 255 ? text : QStringLiteral("long-name");
        change.by = Operator{osUser};
        if (text.trimmed().isEmpty())
            continue;
        REQUIRE_OK(store->updateQueue(change));
        auto audit = store->audit({});
        REQUIRE_OK(audit);
        QCOMPARE(audit->entries[0].reason, text);
        QCOMPARE(audit->entries[0].osUser, osUser);
    }
    for (auto it = messages.cbegin(); it != messages.cend(); ++it) {
        auto detail = store->failure(it.key());
        REQUIRE_OK(detail);
        QCOMPARE(detail->message, it.value());
    }
    // Hostile names of things that do not exist are looked up literally, never executed.
    QueueChange injection;
    injection.queue = QStringLiteral("serialize'; DROP TABLE queues; --");
    injection.parallelism = 3;
    injection.reason = QStringLiteral("x");
    auto refused = store->updateQueue(injection);
    QVERIFY(!refused.ok());
    QCOMPARE(refused.error().kind, StoreError::Kind::NotFound);
    QCOMPARE(scalar(*writer, QStringLiteral("SELECT COUNT(*) FROM queues")), 3);
    QCOMPARE(scalar(*writer, QStringLiteral("SELECT COUNT(*) FROM failed_records")), failures);
    QCOMPARE(scalar(*writer, QStringLiteral("SELECT COUNT(*) FROM user_migrations")), 1);
}
