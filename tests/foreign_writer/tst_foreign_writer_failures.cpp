// Foreign writers and failed records: retention deletes before and after retries, resolution by
// a worker, a worker that retries users itself, re-fingerprinting updates. The case: a
// record retried through retry_count still has resolution NULL, and must not be taken off the
// open count a second time.

#include "tst_foreign_writer.h"

#include "sql/sql_connection.h"

#include <QTest>

using namespace mc;
using namespace mc::test;

namespace {

RetryRequest retryOf(const QString &portal, qint64 first, qint64 last)
{
    RetryRequest request;
    std::vector<UserKey> users;
    for (qint64 id = first; id <= last; ++id)
        users.push_back({portal, id});
    request.users = users;
    request.reason = QStringLiteral("foreign-writer test");
    request.by = tester();
    request.batchSize = 4; // several batches
    return request;
}

} // namespace

void ForeignWriterTest::retentionDeletesBeforeAndAfterRetries()
{
    Scene s = scene();
    exec(s, QStringLiteral("DELETE FROM failed_records WHERE failed_at < '2025-01-15 00:00:00'"));
    SETTLE(s, "retention deletes the oldest records before any retry");

    auto retried = s.store->retryUsers(retryOf(QStringLiteral("lt"), 1, 10), {});
    REQUIRE_OK(retried);
    QCOMPARE(retried->moved, 10);
    SETTLE(s, "the console retries users 1–10");

    failAgain(s, QStringLiteral("1, 2, 3"));
    exec(s, QStringLiteral("UPDATE user_migrations SET status = 'failed' WHERE source_portal = "
                           "'lt' AND source_user_id IN (1, 2, 3)"));
    SETTLE(s, "three retried users fail again");

    // Retention after the retry: the retried records of users 1–10 go, and so do open ones.
    exec(s, QStringLiteral("DELETE FROM failed_records WHERE failed_at < '2025-03-01 00:00:00'"));
    SETTLE(s, "retention deletes retried and open records after the retry");
    exec(s, QStringLiteral("DELETE FROM failed_records WHERE failed_at < '2025-07-01 00:00:00'"));
    SETTLE(s, "retention deletes everything but today's failures");
    QCOMPARE(scalar(*s.writer, QStringLiteral("SELECT SUM(unresolved) FROM error_groups")), 3);
}

void ForeignWriterTest::workerResolvesAndReopensRecords()
{
    Scene s = scene();
    auto retried = s.store->retryUsers(retryOf(QStringLiteral("lt"), 1, 8), {});
    REQUIRE_OK(retried);
    SETTLE(s, "the console retries users 1–8");
    // A worker marks records of users 5–12 resolved: 5–8 were retried, 9–12 were open.
    exec(s, QStringLiteral("UPDATE failed_records SET resolution = 'resolved', resolved_by = "
                           "'worker', resolved_at = CURRENT_TIMESTAMP(3) WHERE source_portal = "
                           "'lt' AND source_user_id BETWEEN 5 AND 12"));
    SETTLE(s, "a worker resolves retried and open records");
    exec(s, QStringLiteral("UPDATE failed_records SET resolution = 'ignored' WHERE model_id = 2 "
                           "AND resolution IS NULL"));
    SETTLE(s, "a worker ignores every open record of a model");
    exec(s, QStringLiteral("UPDATE failed_records SET resolution = NULL, resolved_by = NULL, "
                           "resolved_at = NULL WHERE resolution IS NOT NULL"));
    SETTLE(s, "a worker reopens every marked record");
    exec(s, QStringLiteral("DELETE FROM failed_records WHERE source_portal = 'lt' AND "
                           "source_user_id BETWEEN 4 AND 9"));
    SETTLE(s, "retention deletes reopened, retried and open records");
}

void ForeignWriterTest::workerRetriesUsersItself()
{
    Scene s = scene();
    // As the console does, by hand: retry_count + 1 and a serialize job.
    exec(s, QStringLiteral("INSERT INTO queue_jobs (queue_name, source_portal, source_user_id) "
                           "SELECT 'serialize', source_portal, source_user_id FROM "
                           "user_migrations WHERE status = 'failed' AND source_user_id <= 6"));
    exec(s, QStringLiteral("UPDATE user_migrations SET status = 'pending', retry_count = "
                           "retry_count + 1, retried_at = CURRENT_TIMESTAMP(3), retried_by = "
                           "'worker' WHERE status = 'failed' AND source_user_id <= 6"));
    SETTLE(s, "a worker retries six users with retry_count");
    // Without retry_count: the users move, their records stay open.
    exec(s, QStringLiteral("UPDATE user_migrations SET status = 'pending' WHERE status = "
                           "'failed' AND source_user_id BETWEEN 7 AND 12"));
    SETTLE(s, "a worker moves six failed users to pending without retry_count");
    failAgain(s, QStringLiteral("1, 7"));
    exec(s, QStringLiteral("UPDATE user_migrations SET status = 'failed', retry_count = "
                           "retry_count + 2 WHERE source_user_id IN (1, 7)"));
    SETTLE(s, "users fail again and a worker bumps retry_count by two");
    exec(s, QStringLiteral("UPDATE user_migrations SET retry_count = 0 WHERE source_user_id <= 3"));
    SETTLE(s, "a worker resets retry_count (its records reopen)");
}

void ForeignWriterTest::errorClassAndMessageUpdatesRegroup()
{
    Scene s = scene();
    auto retried = s.store->retryUsers(retryOf(QStringLiteral("lt"), 1, 5), {});
    REQUIRE_OK(retried);
    const qint64 groupsBefore =
        scalar(*s.writer, QStringLiteral("SELECT COUNT(*) FROM error_groups WHERE failures > 0"));
    exec(s, QStringLiteral("UPDATE failed_records SET error_class = 'Net::Refused' WHERE "
                           "source_user_id BETWEEN 3 AND 8 AND model_id = 1"));
    SETTLE(s, "error class rewritten for retried and open records");
    QCOMPARE(scalar(*s.writer,
                    QStringLiteral("SELECT COUNT(*) FROM error_groups WHERE failures > 0")),
             groupsBefore + 1);
    exec(s, QStringLiteral("UPDATE failed_records SET message = 'item refused, no reason' "
                           "WHERE model_id = 2 AND source_user_id <= 10"));
    SETTLE(s, "messages rewritten (a new pattern)");
    exec(s, QStringLiteral("UPDATE failed_records SET model_id = 3 WHERE source_user_id IN "
                           "(2, 12)"));
    SETTLE(s, "records moved to another model");
}
