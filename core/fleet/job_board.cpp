#include "job_board.h"

#include "fleet_connection.h"
#include "user_jobs.h"

namespace mc::fleet {

std::optional<JobKind> jobKindOf(const QString &queue, QString *throughputClass)
{
    if (queue == kSerializeQueue)
        return JobKind::Serialize;
    const QString prefix = QStringLiteral("create_");
    if (queue.startsWith(prefix) && queue.size() > prefix.size()) {
        if (throughputClass)
            *throughputClass = queue.mid(prefix.size());
        return JobKind::Create;
    }
    return std::nullopt;
}

JobBoard::JobBoard(sql::Connection &connection, QString workerName)
    : m_connection(connection), m_workerName(std::move(workerName))
{
}

ClaimResult JobBoard::claim(const QString &queue, qint64 leaseMs)
{
    QString throughputClass;
    const std::optional<JobKind> kind = jobKindOf(queue, &throughputClass);
    if (!kind)
        return ClaimResult{ClaimResult::Outcome::NoQueue, std::nullopt, {}};

    return inTransaction(m_connection, [&]() -> ClaimResult {
        using Outcome = ClaimResult::Outcome;
        ClaimResult result;
        // The queue row's lock makes the claims of one queue take turns, so "running <
        // parallelism" holds however many workers claim at once.
        sql::Rows rows = m_connection.query(
            QStringLiteral("SELECT name, parallelism, run_every_ms, max_attempts, paused FROM "
                           "queues WHERE name = $1 FOR UPDATE"),
            {queue});
        if (rows.empty()) {
            result.outcome = Outcome::NoQueue;
            return result;
        }
        result.settings = {rows.text(0, 0), rows.int32(0, 1), rows.int32(0, 2), rows.int32(0, 3),
                           rows.boolean(0, 4)};
        if (result.settings.paused) {
            result.outcome = Outcome::Paused;
            return result;
        }
        rows = m_connection.query(
            QStringLiteral("SELECT COALESCE(SUM(running), 0) FROM queue_counts WHERE "
                           "queue_name = $1"),
            {queue});
        const qint64 running = rows.int64(0, 0);
        if (running >= result.settings.parallelism) {
            result.outcome = Outcome::AtParallelism;
            return result;
        }

        rows = m_connection.query(
            QStringLiteral("SELECT id, source_portal, source_user_id, attempts FROM queue_jobs "
                           "WHERE queue_name = $1 AND state = 'pending' AND available_at <= "
                           "CURRENT_TIMESTAMP(3) ORDER BY available_at, id LIMIT 1 "
                           "FOR UPDATE SKIP LOCKED"),
            {queue});
        if (rows.empty()) {
            result.outcome = Outcome::Empty;
            return result;
        }
        ClaimedJob job;
        job.id = rows.int64(0, 0);
        job.queue = queue;
        job.kind = *kind;
        job.throughputClass = throughputClass;
        job.user = UserKey{rows.text(0, 1), rows.int64(0, 2)};
        job.attempt = rows.int32(0, 3) + 1;
        job.maxAttempts = result.settings.maxAttempts;
        job.runEveryMs = result.settings.runEveryMs;

        const sql::Rows user = m_connection.query(
            QStringLiteral("SELECT status, attempts FROM user_migrations WHERE source_portal = $1 "
                           "AND source_user_id = $2 FOR UPDATE"),
            {job.user.portal, job.user.userId});
        const std::optional<UserStatus> status = user.empty()
            ? std::nullopt
            : statusFromName(user.text(0, 0));
        const bool startable = status
            && (*kind == JobKind::Serialize
                    ? *status != UserStatus::Completed && *status != UserStatus::Failed
                    : *status == UserStatus::InProgress);
        if (!startable) {
            m_connection.exec(QStringLiteral("DELETE FROM queue_jobs WHERE id = $1"), {job.id});
            result.outcome = Outcome::Stale;
            return result;
        }
        job.userAttempts = user.int32(0, 1);

        job.claimToken = QStringLiteral("%1#%2").arg(m_workerName).arg(++m_claims);
        m_connection.exec(
            QStringLiteral("UPDATE queue_jobs SET state = 'running', attempts = attempts + 1, "
                           "claimed_at = CURRENT_TIMESTAMP(3), lease_expires_at = "
                           "{ts:{ms:CURRENT_TIMESTAMP(3)} + $2}, claimed_by = $3 WHERE id = $1"),
            {job.id, leaseMs, job.claimToken});
        if (*kind == JobKind::Serialize && *status != UserStatus::InProgress) {
            m_connection.exec(
                QStringLiteral("UPDATE user_migrations SET status = 'in_progress', phase = "
                               "'serialize', attempts = attempts + 1, started_at = "
                               "CURRENT_TIMESTAMP(3), finished_at = NULL, updated_at = "
                               "CURRENT_TIMESTAMP(3) WHERE source_portal = $1 AND "
                               "source_user_id = $2"),
                {job.user.portal, job.user.userId});
            job.userStarted = true;
            ++job.userAttempts;
        }
        result.outcome = Outcome::Claimed;
        result.job = job;
        return result;
    });
}

bool JobBoard::renewLease(const ClaimedJob &job, qint64 leaseMs)
{
    return m_connection.exec(
               QStringLiteral("UPDATE queue_jobs SET lease_expires_at = "
                              "{ts:{ms:CURRENT_TIMESTAMP(3)} + $2} WHERE id = $1 AND "
                              "claimed_by = $3 AND state = 'running'"),
               {job.id, leaseMs, job.claimToken})
        == 1;
}

bool JobBoard::release(const ClaimedJob &job)
{
    return m_connection.exec(
               QStringLiteral("UPDATE queue_jobs SET state = 'pending', attempts = "
                              "GREATEST(attempts - 1, 0), available_at = CURRENT_TIMESTAMP(3), "
                              "claimed_at = NULL, lease_expires_at = NULL, claimed_by = NULL "
                              "WHERE id = $1 AND claimed_by = $2 AND state = 'running'"),
               {job.id, job.claimToken})
        == 1;
}

ReclaimReport JobBoard::reclaimExpired(const QString &queue, int limit)
{
    ReclaimReport report;
    const sql::Rows candidates = m_connection.query(
        QStringLiteral("SELECT id, source_portal, source_user_id FROM queue_jobs WHERE "
                       "queue_name = $1 AND state = 'running' AND lease_expires_at < "
                       "CURRENT_TIMESTAMP(3) ORDER BY id LIMIT $2"),
        {queue, std::max(1, limit)});
    for (int r = 0; r < candidates.size(); ++r) {
        const qint64 jobId = candidates.int64(r, 0);
        const UserKey user{candidates.text(r, 1), candidates.int64(r, 2)};
        inTransaction(m_connection, [&] {
            const QList<UserJob> jobs = lockUserJobs(m_connection, user);
            const auto it = std::find_if(jobs.begin(), jobs.end(),
                                         [&](const UserJob &j) { return j.id == jobId; });
            if (it == jobs.end() || it->state != QLatin1String("running") || !it->leaseExpired)
                return; // finished or renewed meanwhile
            const std::optional<UserStatus> status = lockUser(m_connection, user);
            const sql::Rows settings = m_connection.query(
                QStringLiteral("SELECT max_attempts FROM queues WHERE name = $1"), {queue});
            const int maxAttempts = settings.empty() ? 1 : settings.int32(0, 0);
            if (!status || (*status != UserStatus::Pending && *status != UserStatus::InProgress)) {
                // The user finished (or a console moved it) while the job hung: drop the job.
                m_connection.exec(QStringLiteral("DELETE FROM queue_jobs WHERE id = $1"), {jobId});
                return;
            }
            if (it->attempts < maxAttempts) {
                m_connection.exec(
                    QStringLiteral("UPDATE queue_jobs SET state = 'pending', available_at = "
                                   "CURRENT_TIMESTAMP(3), claimed_at = NULL, lease_expires_at = "
                                   "NULL, claimed_by = NULL WHERE id = $1"),
                    {jobId});
                ++report.requeued;
                return;
            }
            failUser(m_connection, user,
                     QStringLiteral("Merge::LeaseExpired: job %1 in queue '%2' lost its worker "
                                    "(%3) on attempt %4 of %5")
                         .arg(jobId)
                         .arg(queue, it->claimedBy)
                         .arg(it->attempts)
                         .arg(maxAttempts));
            report.failedUsers.append(user);
        });
    }
    return report;
}

} // namespace mc::fleet
