#include "migration_steps.h"

#include "bulk_insert.h"
#include "fleet_connection.h"
#include "sql_params.h"
#include "user_jobs.h"

#include <algorithm>

namespace mc::fleet {

bool MigrationSteps::holdsClaim(const ClaimedJob &job, int *otherJobs)
{
    const QList<UserJob> jobs = lockUserJobs(m_connection, job.user);
    bool ours = false;
    int others = 0;
    for (const UserJob &j : jobs) {
        if (j.id == job.id)
            ours = j.state == QLatin1String("running") && j.claimedBy == job.claimToken;
        else
            ++others;
    }
    if (otherJobs)
        *otherJobs = others;
    return ours && lockUser(m_connection, job.user) == UserStatus::InProgress;
}

StepOutcome MigrationSteps::completeSerialize(const ClaimedJob &job,
                                              const QList<ModelRecords> &models,
                                              const QStringList &createQueues,
                                              qint64 targetUserId)
{
    const bool postgres = m_connection.backend() == sql::Backend::PostgreSQL;
    return inTransaction(m_connection, [&] {
        if (!holdsClaim(job, nullptr))
            return StepOutcome::LostClaim;
        QList<ModelRecords> sorted = models;
        std::sort(sorted.begin(), sorted.end(), [](const ModelRecords &a, const ModelRecords &b) {
            return a.modelId < b.modelId;
        });
        QList<int> ids;
        for (const ModelRecords &m : std::as_const(sorted))
            ids << m.modelId;
        lockModelTotals(m_connection, ids);
        BulkInsert progress(
            m_connection,
            QStringLiteral("INSERT INTO model_progress (source_portal, source_user_id, model_id, "
                           "records_total, serialized, created, failed, updated_at) VALUES "),
            QStringLiteral("(?, ?, ?, ?, ?, 0, 0, CURRENT_TIMESTAMP(3))"),
            postgres ? QStringLiteral(" ON CONFLICT (source_portal, source_user_id, model_id) DO "
                                      "UPDATE SET records_total = EXCLUDED.records_total, "
                                      "serialized = EXCLUDED.serialized, created = 0, "
                                      "updated_at = EXCLUDED.updated_at")
                     : QStringLiteral(" ON DUPLICATE KEY UPDATE records_total = "
                                      "VALUES(records_total), serialized = VALUES(serialized), "
                                      "created = 0, updated_at = VALUES(updated_at)"),
            100);
        for (const ModelRecords &m : std::as_const(sorted))
            progress.add({job.user.portal, job.user.userId, m.modelId, m.records, m.records});
        progress.flush();

        QStringList present;
        if (!createQueues.isEmpty()) {
            QVariantList params;
            const QString in = bindList(params, createQueues);
            const sql::Rows rows = m_connection.query(
                QStringLiteral("SELECT name FROM queues WHERE name IN (%1) ORDER BY name").arg(in),
                params);
            for (int r = 0; r < rows.size(); ++r)
                present << rows.text(r, 0);
        }
        if (present.isEmpty()) {
            // Nothing to create (no create queue): the user is done with serializing.
            m_connection.exec(QStringLiteral("DELETE FROM queue_jobs WHERE id = $1"), {job.id});
            m_connection.exec(
                QStringLiteral("UPDATE user_migrations SET status = 'completed', phase = "
                               "'create', target_user_id = COALESCE(target_user_id, $3), "
                               "finished_at = CURRENT_TIMESTAMP(3), last_error = NULL, "
                               "updated_at = CURRENT_TIMESTAMP(3) WHERE source_portal = $1 AND "
                               "source_user_id = $2"),
                {job.user.portal, job.user.userId, targetUserId});
            return StepOutcome::UserCompleted;
        }
        BulkInsert jobs(m_connection,
                        QStringLiteral("INSERT INTO queue_jobs (queue_name, source_portal, "
                                       "source_user_id) VALUES "),
                        QStringLiteral("(?, ?, ?)"),
                        ignoreDuplicates(m_connection.backend(),
                                         QStringLiteral("queue_jobs.attempts")),
                        10);
        for (const QString &queue : std::as_const(present))
            jobs.add({queue, job.user.portal, job.user.userId});
        jobs.flush();
        // After the inserts: queue counters are taken in name order (create_… before serialize).
        m_connection.exec(QStringLiteral("DELETE FROM queue_jobs WHERE id = $1"), {job.id});
        m_connection.exec(
            QStringLiteral("UPDATE user_migrations SET phase = 'create', target_user_id = "
                           "COALESCE(target_user_id, $3), updated_at = CURRENT_TIMESTAMP(3) "
                           "WHERE source_portal = $1 AND source_user_id = $2"),
            {job.user.portal, job.user.userId, targetUserId});
        return StepOutcome::Done;
    });
}

StepOutcome MigrationSteps::completeCreate(const ClaimedJob &job,
                                           const QList<ModelRecords> &models,
                                           const QList<ModelMappings> &mappings)
{
    return inTransaction(m_connection, [&] {
        int otherJobs = 0;
        if (!holdsClaim(job, &otherJobs))
            return StepOutcome::LostClaim;
        if (!models.isEmpty()) {
            QVariantList params{job.user.portal, job.user.userId};
            QList<int> ids;
            for (const ModelRecords &m : models)
                ids << m.modelId;
            lockModelTotals(m_connection, ids);
            const QString in = bindList(params, ids);
            m_connection.exec(
                QStringLiteral("UPDATE model_progress SET created = serialized, updated_at = "
                               "CURRENT_TIMESTAMP(3) WHERE source_portal = $1 AND "
                               "source_user_id = $2 AND model_id IN (%1)")
                    .arg(in),
                params);
        }
        BulkInsert insert(
            m_connection,
            QStringLiteral("INSERT INTO id_mappings (model_id, source_portal, source_id, "
                           "target_id, source_user_id) VALUES "),
            QStringLiteral("(?, ?, ?, ?, ?)"),
            ignoreDuplicates(m_connection.backend(), QStringLiteral("id_mappings.target_id")),
            50);
        for (const ModelMappings &m : mappings)
            for (const RecordMapping &mapping : m.mappings)
                insert.add({m.modelId, job.user.portal, mapping.sourceId, mapping.targetId,
                            job.user.userId});
        insert.flush();
        m_connection.exec(QStringLiteral("DELETE FROM queue_jobs WHERE id = $1"), {job.id});
        if (otherJobs > 0)
            return StepOutcome::Done;
        m_connection.exec(
            QStringLiteral("UPDATE user_migrations SET status = 'completed', finished_at = "
                           "CURRENT_TIMESTAMP(3), last_error = NULL, updated_at = "
                           "CURRENT_TIMESTAMP(3) WHERE source_portal = $1 AND source_user_id = $2"),
            {job.user.portal, job.user.userId});
        return StepOutcome::UserCompleted;
    });
}

StepOutcome MigrationSteps::failAttempt(const ClaimedJob &job, int modelId, const QString &phase,
                                        const SimulatedFailure &failure, qint64 backoffMs)
{
    const bool postgres = m_connection.backend() == sql::Backend::PostgreSQL;
    return inTransaction(m_connection, [&] {
        if (!holdsClaim(job, nullptr))
            return StepOutcome::LostClaim;
        lockModelTotals(m_connection, {modelId});
        m_connection.exec(
            QStringLiteral("INSERT INTO failed_records (source_portal, source_user_id, model_id, "
                           "record_id, phase, payload, content_type, error_class, message, "
                           "backtrace, attempt) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, "
                           "$11)"),
            {job.user.portal, job.user.userId, modelId, failure.recordId, phase, failure.payload,
             failure.contentType, failure.errorClass, failure.message, failure.backtrace,
             job.attempt});
        m_connection.exec(
            QStringLiteral("INSERT INTO model_progress (source_portal, source_user_id, model_id, "
                           "failed, updated_at) VALUES ($1, $2, $3, 1, CURRENT_TIMESTAMP(3))")
                + (postgres ? QStringLiteral(" ON CONFLICT (source_portal, source_user_id, "
                                             "model_id) DO UPDATE SET failed = "
                                             "model_progress.failed + 1, updated_at = "
                                             "EXCLUDED.updated_at")
                            : QStringLiteral(" ON DUPLICATE KEY UPDATE failed = failed + 1, "
                                             "updated_at = VALUES(updated_at)")),
            {job.user.portal, job.user.userId, modelId});

        // The queue's max attempts as it is now, not as it was at the claim.
        const sql::Rows settings = m_connection.query(
            QStringLiteral("SELECT max_attempts FROM queues WHERE name = $1"), {job.queue});
        const int maxAttempts = settings.empty() ? job.maxAttempts : settings.int32(0, 0);
        if (job.attempt < maxAttempts) {
            m_connection.exec(
                QStringLiteral("UPDATE queue_jobs SET state = 'pending', available_at = "
                               "{ts:{ms:CURRENT_TIMESTAMP(3)} + $2}, claimed_at = NULL, "
                               "lease_expires_at = NULL, claimed_by = NULL WHERE id = $1"),
                {job.id, backoffMs});
            return StepOutcome::Requeued;
        }
        failUser(m_connection, job.user, failure.lastError());
        return StepOutcome::UserFailed;
    });
}

} // namespace mc::fleet
