#include "fleet_writer.h"

#include "sql_params.h"

namespace mc {

namespace {

QVariant optionalValue(const std::optional<qint64> &value)
{
    return value ? QVariant(*value) : QVariant();
}

} // namespace

std::unique_ptr<FleetWriter> FleetWriter::open(const ConnectionUrl &url)
{
    return std::make_unique<FleetWriter>(url.backend == sql::Backend::PostgreSQL
                                             ? sql::connectPostgres(url.settings)
                                             : sql::connectMariaDb(url.settings));
}

FleetWriter::FleetWriter(std::unique_ptr<sql::Connection> connection)
    : m_connection(std::move(connection))
{
}

FleetWriter::~FleetWriter() = default;

void FleetWriter::addPortal(const Portal &portal)
{
    m_connection->exec(QStringLiteral("INSERT INTO portals (code, name, role) VALUES ($1, $2, $3)"),
                       {portal.code, portal.name,
                        portal.role.isEmpty() ? QStringLiteral("source") : portal.role});
}

void FleetWriter::addModel(const Model &model)
{
    m_connection->exec(
        QStringLiteral("INSERT INTO models (id, name, migration_order, consent, query_scope, "
                       "skip_portals, throughput_class) VALUES ($1, $2, $3, $4, $5, $6, $7)"),
        {model.id, model.name, model.migrationOrder, model.consent, model.queryScope,
         model.skipPortals.join(QLatin1Char(',')),
         model.throughputClass.isEmpty() ? QStringLiteral("high") : model.throughputClass});
}

void FleetWriter::addQueue(const QString &name, int parallelism, int runEveryMs, int maxAttempts)
{
    m_connection->exec(QStringLiteral("INSERT INTO queues (name, parallelism, run_every_ms, "
                                      "max_attempts) VALUES ($1, $2, $3, $4)"),
                       {name, parallelism, runEveryMs, maxAttempts});
}

void FleetWriter::addRolloutFlag(const QString &flag, const QString &portal, int basisPoints)
{
    m_connection->exec(
        QStringLiteral("INSERT INTO rollout_flags (flag, portal, percentage) VALUES ($1, $2, $3)"),
        {flag, portal,
         QStringLiteral("%1.%2").arg(basisPoints / 100).arg(basisPoints % 100, 2, 10,
                                                            QLatin1Char('0'))});
}

void FleetWriter::addUsers(const std::vector<NewUser> &users)
{
    constexpr size_t kRowsPerStatement = 500;
    for (size_t start = 0; start < users.size(); start += kRowsPerStatement) {
        const size_t end = std::min(users.size(), start + kRowsPerStatement);
        QVariantList params;
        QString values;
        for (size_t i = start; i < end; ++i) {
            const NewUser &u = users[i];
            if (!values.isEmpty())
                values += QStringLiteral(", ");
            const QString requested = u.requestedAt
                ? QStringLiteral("{ts:%1}").arg(bind(params, *u.requestedAt))
                : QStringLiteral("CURRENT_TIMESTAMP(3)");
            values += QStringLiteral("(%1, %2, %3, %4, %5, %6, %7, {ts:%8}, {ts:%9}, %10)")
                          .arg(bind(params, u.user.portal), bind(params, u.user.userId),
                               bind(params, optionalValue(u.targetUserId)),
                               bind(params, statusName(u.status)), bind(params, u.phase),
                               bind(params, u.attempts), requested,
                               bind(params, optionalValue(u.startedAt)),
                               bind(params, optionalValue(u.finishedAt)))
                          .arg(bind(params, u.lastError.isEmpty() ? QVariant() : u.lastError));
        }
        m_connection->exec(QStringLiteral("INSERT INTO user_migrations (source_portal, "
                                          "source_user_id, target_user_id, status, phase, "
                                          "attempts, requested_at, started_at, finished_at, "
                                          "last_error) VALUES ")
                               + values,
                           params);
    }
}

void FleetWriter::setUserStatus(const UserKey &user, UserStatus status)
{
    m_connection->exec(QStringLiteral("UPDATE user_migrations SET status = $1, updated_at = "
                                      "CURRENT_TIMESTAMP(3) WHERE source_portal = $2 AND "
                                      "source_user_id = $3"),
                       {statusName(status), user.portal, user.userId});
}

void FleetWriter::setProgress(const UserKey &user, int modelId, qint64 total, qint64 serialized,
                              qint64 created, qint64 failed)
{
    const QString upsert = m_connection->backend() == sql::Backend::PostgreSQL
        ? QStringLiteral("ON CONFLICT (source_portal, source_user_id, model_id) DO UPDATE SET "
                         "records_total = EXCLUDED.records_total, serialized = "
                         "EXCLUDED.serialized, created = EXCLUDED.created, failed = "
                         "EXCLUDED.failed, updated_at = EXCLUDED.updated_at")
        : QStringLiteral("ON DUPLICATE KEY UPDATE records_total = VALUES(records_total), "
                         "serialized = VALUES(serialized), created = VALUES(created), "
                         "failed = VALUES(failed), updated_at = VALUES(updated_at)");
    m_connection->exec(QStringLiteral("INSERT INTO model_progress (source_portal, source_user_id, "
                                      "model_id, records_total, serialized, created, failed, "
                                      "updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, "
                                      "CURRENT_TIMESTAMP(3)) ")
                           + upsert,
                       {user.portal, user.userId, modelId, total, serialized, created, failed});
}

qint64 FleetWriter::addFailure(const NewFailure &f)
{
    QVariantList params{f.user.portal, f.user.userId, f.modelId, f.recordId, f.phase,
                        f.payload, f.contentType, f.errorClass, f.message, f.backtrace,
                        f.attempt};
    const QString failedAt = f.failedAt
        ? QStringLiteral("{ts:%1}").arg(bind(params, *f.failedAt))
        : QStringLiteral("CURRENT_TIMESTAMP(3)");
    const sql::Rows rows = m_connection->query(
        QStringLiteral("INSERT INTO failed_records (source_portal, source_user_id, model_id, "
                       "record_id, phase, payload, content_type, error_class, message, backtrace, "
                       "attempt, failed_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, "
                       "%1) RETURNING id")
            .arg(failedAt),
        params);
    return rows.int64(0, 0);
}

void FleetWriter::addMapping(int modelId, const UserKey &user, qint64 sourceId, qint64 targetId)
{
    m_connection->exec(QStringLiteral("INSERT INTO id_mappings (model_id, source_portal, "
                                      "source_id, target_id, source_user_id) VALUES ($1, $2, $3, "
                                      "$4, $5)"),
                       {modelId, user.portal, sourceId, targetId, user.userId});
}

void FleetWriter::addSample(const NewSample &s)
{
    m_connection->exec(
        QStringLiteral("INSERT INTO throughput_samples (bucket_start, model_id, queue_name, "
                       "records_created, records_failed, users_started, users_completed, "
                       "users_failed, queue_depth, jobs_in_progress) VALUES ({ts:$1}, $2, $3, "
                       "$4, $5, $6, $7, $8, $9, $10)"),
        {s.bucketStart, s.modelId, s.queue, s.recordsCreated, s.recordsFailed, s.usersStarted,
         s.usersCompleted, s.usersFailed, s.queueDepth, s.jobsInProgress});
}

void FleetWriter::refreshStatistics()
{
    m_connection->execScript(m_connection->backend() == sql::Backend::PostgreSQL
                                 ? QStringLiteral("ANALYZE")
                                 : QStringLiteral("ANALYZE TABLE user_migrations, model_progress, "
                                                  "failed_records, id_mappings, queue_jobs"));
}

qint64 FleetWriter::addJob(const QString &queue, const UserKey &user, bool running, int modelId)
{
    const sql::Rows rows = m_connection->query(
        QStringLiteral("INSERT INTO queue_jobs (queue_name, source_portal, source_user_id, "
                       "model_id, state) VALUES ($1, $2, $3, $4, $5) RETURNING id"),
        {queue, user.portal, user.userId, modelId,
         running ? QStringLiteral("running") : QStringLiteral("pending")});
    return rows.int64(0, 0);
}

void FleetWriter::finishJob(qint64 jobId)
{
    m_connection->exec(QStringLiteral("DELETE FROM queue_jobs WHERE id = $1"), {jobId});
}

} // namespace mc
