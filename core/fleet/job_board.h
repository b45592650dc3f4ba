#pragma once

// Claiming work from the queues, as a worker does: FOR UPDATE SKIP LOCKED, honouring each
// queue's paused switch and parallelism (jobs running < parallelism) read live in the claim's
// own transaction; leases that a live worker renews; and the reclaim of expired leases, so work
// a killed worker held goes back to the queue and no user stays in_progress for ever.

#include "fleet_settings.h"
#include "sql/sql_connection.h"

namespace mc::fleet {

enum class JobKind { Serialize, Create };

// What a queue's jobs do, from its name: "serialize", or "create_<throughput class>".
std::optional<JobKind> jobKindOf(const QString &queue, QString *throughputClass = nullptr);

struct ClaimedJob
{
    qint64 id = 0;
    QString queue;
    JobKind kind = JobKind::Serialize;
    QString throughputClass; // of a create job
    UserKey user;
    int attempt = 1;         // this attempt's number, 1 for the first
    int maxAttempts = 1;     // the queue's setting when claimed
    int runEveryMs = 1000;
    QString claimToken;      // queue_jobs.claimed_by: who holds the job, unique per claim
    int userAttempts = 0;    // user_migrations.attempts (runs of this user)
    bool userStarted = false; // this claim moved the user from pending to in_progress
};

struct ClaimResult
{
    enum class Outcome {
        Claimed,
        Empty,         // nothing due
        Paused,
        AtParallelism, // running ≥ parallelism (0 stops new claims)
        NoQueue,
        Stale,         // the job's user had finished or gone: the job was removed, try again
    };
    Outcome outcome = Outcome::Empty;
    std::optional<ClaimedJob> job;
    QueueSettings settings;
};

struct ReclaimReport
{
    int requeued = 0;         // back to pending, its attempt used up
    QList<UserKey> failedUsers; // the lease expired on their last attempt
};

class JobBoard
{
public:
    // workerName goes into claimed_by (with a sequence number per claim).
    JobBoard(sql::Connection &connection, QString workerName);

    ClaimResult claim(const QString &queue, qint64 leaseMs);
    // Extends a claim's lease; false when the job is no longer this claim's.
    bool renewLease(const ClaimedJob &job, qint64 leaseMs);
    // Gives an unfinished job back (shutdown): pending again, the attempt not counted.
    bool release(const ClaimedJob &job);
    // Jobs of the queue whose lease expired: pending again while attempts remain, else their
    // user fails with "Merge::LeaseExpired". At most `limit` a call.
    ReclaimReport reclaimExpired(const QString &queue, int limit);

private:
    sql::Connection &m_connection;
    QString m_workerName;
    qint64 m_claims = 0;
};

} // namespace mc::fleet
