#pragma once

// What a worker writes when a claimed job's work is done or has failed, each in one short
// transaction that first checks the claim is still the worker's (a job whose lease expired may
// have gone to another worker):
//   serialize done → model progress of every model, the job replaced by one create job per
//                    throughput class, phase create, the target user id;
//   create done    → created = serialized for the class's models, a sample of id mappings; the
//                    user completes with its last job;
//   attempt failed → a failed record, progress failed + 1; the job waits and is retried until
//                    the queue's max attempts, then the user fails with its last error.

#include "failure_factory.h"
#include "job_board.h"

namespace mc::fleet {

struct ModelRecords
{
    int modelId = 0;
    qint64 records = 0;
};

struct ModelMappings
{
    int modelId = 0;
    QList<RecordMapping> mappings;
};

enum class StepOutcome {
    Done,          // the job is finished; the user goes on
    UserCompleted, // … and it was the user's last job
    Requeued,      // a failed attempt: the job waits for its next attempt
    UserFailed,    // a failed last attempt: the user is failed
    LostClaim,     // the job is no longer this worker's: nothing was written
};

class MigrationSteps
{
public:
    explicit MigrationSteps(sql::Connection &connection) : m_connection(connection) {}

    StepOutcome completeSerialize(const ClaimedJob &job, const QList<ModelRecords> &models,
                                  const QStringList &createQueues, qint64 targetUserId);
    StepOutcome completeCreate(const ClaimedJob &job, const QList<ModelRecords> &models,
                               const QList<ModelMappings> &mappings);
    // `backoffMs`: how long the job waits before its next attempt.
    StepOutcome failAttempt(const ClaimedJob &job, int modelId, const QString &phase,
                            const SimulatedFailure &failure, qint64 backoffMs);

private:
    // Locks the user's jobs and row; false when the claim is no longer ours or the user is not
    // in progress.
    bool holdsClaim(const ClaimedJob &job, int *otherJobs);

    sql::Connection &m_connection;
};

} // namespace mc::fleet
