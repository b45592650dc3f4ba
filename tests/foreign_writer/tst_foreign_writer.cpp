// Foreign writers: multi-row inserts, upserts (and REPLACE on MariaDB), bulk status moves,
// deleting users with their children.

#include "tst_foreign_writer.h"

#include "sql/sql_connection.h"

#include <QTest>

using namespace mc;
using namespace mc::test;

void ForeignWriterTest::initTestCase()
{
    m_server = TestServer::fromEnvironment();
    // The server must be there: a missing server fails the suite, it never skips it.
    auto probe = openStore(m_server.admin.toString());
    QVERIFY2(probe.ok(), qPrintable(QStringLiteral("%1 server not reachable at %2: %3")
                                        .arg(m_server.backend, m_server.admin.redacted(),
                                             probe.ok() ? QString() : probe.error().message)));
}

ForeignWriterTest::Scene ForeignWriterTest::scene(bool populated)
{
    Scene s;
    s.db = std::make_unique<TestDatabase>(m_server);
    s.store = s.db->installedStore();
    s.writer = s.db->openWriter();
    seedCatalogue(*s.writer);
    if (populated)
        populate(s);
    return s;
}

void ForeignWriterTest::exec(Scene &s, const QString &sql)
{
    s.writer->connection().exec(sql);
}

void ForeignWriterTest::populate(Scene &s)
{
    QStringList users, records, progress, jobs;
    for (int id = 1; id <= 40; ++id) {
        const char *status = id <= 20 ? "failed" : id <= 30 ? "in_progress" : "pending";
        users << QStringLiteral("('lt', %1, '%2')").arg(id).arg(QLatin1String(status));
        if (id <= 20) {
            for (const char *at : {"2025-01-01 00:00:00", "2025-02-01 00:00:00"})
                records << QStringLiteral("('lt', %1, 1, 'Net::Timeout', 'timeout after %2 ms', "
                                          "'%3')")
                               .arg(id)
                               .arg(id * 100)
                               .arg(QLatin1String(at));
            records << QStringLiteral("('lt', %1, 2, 'Api::Invalid', 'item \"%2\" refused', "
                                      "'2025-06-01 00:00:00')")
                           .arg(id)
                           .arg(id);
        } else if (id <= 30) {
            progress << QStringLiteral("('lt', %1, 1, 10, 10, 4, 0), ('lt', %1, 3, 7, 7, 0, 1)")
                            .arg(id);
            jobs << QStringLiteral("('create_high', 'lt', %1, 1, 'running')").arg(id);
        } else {
            jobs << QStringLiteral("('serialize', 'lt', %1, 0, 'pending')").arg(id);
        }
    }
    exec(s, QStringLiteral("INSERT INTO user_migrations (source_portal, source_user_id, status) "
                           "VALUES ") + users.join(QStringLiteral(", ")));
    exec(s, QStringLiteral("INSERT INTO failed_records (source_portal, source_user_id, model_id, "
                           "error_class, message, failed_at) VALUES ")
                + records.join(QStringLiteral(", ")));
    exec(s, QStringLiteral("INSERT INTO model_progress (source_portal, source_user_id, model_id, "
                           "records_total, serialized, created, failed) VALUES ")
                + progress.join(QStringLiteral(", ")));
    exec(s, QStringLiteral("INSERT INTO queue_jobs (queue_name, source_portal, source_user_id, "
                           "model_id, state) VALUES ")
                + jobs.join(QStringLiteral(", ")));
}

MigctlRun ForeignWriterTest::migctl(Scene &s, const QStringList &arguments)
{
    return MigctlRunner(s.db->url()).run(arguments);
}

void ForeignWriterTest::settle(Scene &s, const char *step)
{
    verifyCountersEqualCounts(s.writer->connection());
    if (QTest::currentTestFailed()) {
        qWarning("counters wrong after: %s", step);
        return;
    }
    QCOMPARE(scalar(*s.writer, QStringLiteral("SELECT COUNT(*) FROM error_groups WHERE "
                                              "unresolved < 0 OR failures < 0")),
             0);
    const MigctlRun run = migctl(s, {QStringLiteral("verify")});
    QVERIFY2(run.exitCode == 0, qPrintable(QStringLiteral("after %1: %2")
                                               .arg(QLatin1String(step), run.describe())));
}

void ForeignWriterTest::failAgain(Scene &s, const QString &ids)
{
    exec(s, QStringLiteral("INSERT INTO failed_records (source_portal, source_user_id, model_id, "
                           "error_class, message) SELECT source_portal, source_user_id, 3, "
                           "'Net::Reset', 'connection reset by peer' FROM user_migrations WHERE "
                           "source_portal = 'lt' AND source_user_id IN (%1)")
                .arg(ids));
}

void ForeignWriterTest::multiRowInserts()
{
    Scene s = scene(false);
    SETTLE(s, "an empty database");
    populate(s); // one multi-row INSERT per table
    SETTLE(s, "multi-row inserts of users, failed records, progress and jobs");
    exec(s, QStringLiteral("INSERT INTO user_migrations (source_portal, source_user_id, status) "
                           "SELECT 'de', source_user_id, status FROM user_migrations WHERE "
                           "source_portal = 'lt'"));
    SETTLE(s, "INSERT … SELECT of 40 users");
    QCOMPARE(scalar(*s.writer, QStringLiteral("SELECT COUNT(*) FROM user_migrations")), 80);
}

void ForeignWriterTest::upsertsAndReplace()
{
    Scene s = scene();
    if (postgres()) {
        exec(s, QStringLiteral("INSERT INTO user_migrations (source_portal, source_user_id, "
                               "status) VALUES ('lt', 1, 'completed'), ('lt', 31, 'failed'), "
                               "('lt', 100, 'pending') ON CONFLICT (source_portal, "
                               "source_user_id) DO UPDATE SET status = EXCLUDED.status"));
        SETTLE(s, "INSERT … ON CONFLICT DO UPDATE of users (two updated, one new)");
        exec(s, QStringLiteral("INSERT INTO model_progress (source_portal, source_user_id, "
                               "model_id, records_total, created) VALUES ('lt', 21, 1, 10, 10), "
                               "('lt', 21, 2, 5, 1) ON CONFLICT (source_portal, source_user_id, "
                               "model_id) DO UPDATE SET created = EXCLUDED.created"));
        SETTLE(s, "INSERT … ON CONFLICT DO UPDATE of model progress");
        exec(s, QStringLiteral("INSERT INTO queue_jobs (queue_name, source_portal, "
                               "source_user_id, model_id) VALUES ('serialize', 'lt', 31, 0), "
                               "('serialize', 'lt', 100, 0) ON CONFLICT (source_portal, "
                               "source_user_id, queue_name, model_id) DO UPDATE SET state = "
                               "'running'"));
        SETTLE(s, "INSERT … ON CONFLICT DO UPDATE of jobs (one claimed, one new)");
        exec(s, QStringLiteral("INSERT INTO queue_jobs (queue_name, source_portal, "
                               "source_user_id, model_id) VALUES ('serialize', 'lt', 32, 0) "
                               "ON CONFLICT DO NOTHING"));
        SETTLE(s, "INSERT … ON CONFLICT DO NOTHING");
        return;
    }
    exec(s, QStringLiteral("INSERT INTO user_migrations (source_portal, source_user_id, status) "
                           "VALUES ('lt', 1, 'completed'), ('lt', 31, 'failed'), ('lt', 100, "
                           "'pending') ON DUPLICATE KEY UPDATE status = VALUES(status)"));
    SETTLE(s, "INSERT … ON DUPLICATE KEY UPDATE of users (two updated, one new)");
    exec(s, QStringLiteral("INSERT INTO model_progress (source_portal, source_user_id, model_id, "
                           "records_total, created) VALUES ('lt', 21, 1, 10, 10), ('lt', 21, 2, "
                           "5, 1) ON DUPLICATE KEY UPDATE created = VALUES(created)"));
    SETTLE(s, "INSERT … ON DUPLICATE KEY UPDATE of model progress");
    exec(s, QStringLiteral("INSERT INTO queue_jobs (queue_name, source_portal, source_user_id, "
                           "model_id) VALUES ('serialize', 'lt', 31, 0), ('serialize', 'lt', "
                           "100, 0) ON DUPLICATE KEY UPDATE state = 'running'"));
    SETTLE(s, "INSERT … ON DUPLICATE KEY UPDATE of jobs (one claimed, one new)");
    exec(s, QStringLiteral("REPLACE INTO model_progress (source_portal, source_user_id, model_id, "
                           "records_total, serialized, created) VALUES ('lt', 22, 1, 50, 50, 50), "
                           "('lt', 22, 2, 3, 3, 0)"));
    SETTLE(s, "REPLACE of model progress (one replaced, one new)");
    exec(s, QStringLiteral("REPLACE INTO queue_jobs (id, queue_name, source_portal, "
                           "source_user_id, model_id, state) SELECT id, 'create_low', "
                           "source_portal, source_user_id, 3, 'pending' FROM queue_jobs WHERE "
                           "source_user_id = 23"));
    SETTLE(s, "REPLACE of a job into another queue");
    exec(s, QStringLiteral("REPLACE INTO failed_records (id, source_portal, source_user_id, "
                           "model_id, error_class, message) SELECT id, source_portal, "
                           "source_user_id, model_id, 'Api::Gone', 'gone' FROM failed_records "
                           "WHERE source_user_id = 2"));
    SETTLE(s, "REPLACE of failed records (re-grouped)");
}

void ForeignWriterTest::bulkStatusMovesAndDeletingUsersWithChildren()
{
    Scene s = scene();
    exec(s, QStringLiteral("UPDATE user_migrations SET status = 'completed', finished_at = "
                           "CURRENT_TIMESTAMP(3) WHERE status = 'in_progress'"));
    SETTLE(s, "a bulk move of 10 users to completed");
    exec(s, QStringLiteral("UPDATE queue_jobs SET state = 'running' WHERE state = 'pending'"));
    SETTLE(s, "a bulk claim of every pending job");
    exec(s, QStringLiteral("UPDATE model_progress SET created = serialized"));
    SETTLE(s, "a bulk progress update");
    const QString users = QStringLiteral("source_portal = 'lt' AND source_user_id IN (1, 2, 21, "
                                         "22, 31)");
    for (const char *table : {"failed_records", "model_progress", "queue_jobs", "id_mappings"})
        exec(s, QStringLiteral("DELETE FROM %1 WHERE %2").arg(QLatin1String(table), users));
    exec(s, QStringLiteral("DELETE FROM user_migrations WHERE ") + users);
    SETTLE(s, "deleting five users with their children");
    QCOMPARE(scalar(*s.writer, QStringLiteral("SELECT COUNT(*) FROM user_migrations")), 35);
}

QTEST_GUILESS_MAIN(ForeignWriterTest)
