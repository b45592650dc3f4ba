#include "throughput_recorder.h"

#include "bulk_insert.h"
#include "fleet_connection.h"

namespace mc::fleet {

NewSample &ThroughputRecorder::sampleFor(EpochMs at, int modelId, const QString &queue)
{
    const EpochMs bucket = at - (at % kBucketMs);
    auto it = m_samples.find(Key{bucket, modelId, queue});
    if (it == m_samples.end()) {
        NewSample sample;
        sample.bucketStart = bucket;
        sample.modelId = modelId;
        sample.queue = queue;
        it = m_samples.insert(Key{bucket, modelId, queue}, sample);
    }
    return *it;
}

void ThroughputRecorder::addRecords(EpochMs at, int modelId, qint64 created, qint64 failed)
{
    std::lock_guard lock(m_mutex);
    NewSample &s = sampleFor(at, modelId, QString());
    s.recordsCreated += created;
    s.recordsFailed += failed;
}

void ThroughputRecorder::addUsers(EpochMs at, const QString &queue, qint64 started,
                                  qint64 completed, qint64 failed)
{
    std::lock_guard lock(m_mutex);
    NewSample &s = sampleFor(at, 0, queue);
    s.usersStarted += started;
    s.usersCompleted += completed;
    s.usersFailed += failed;
}

void ThroughputRecorder::observeQueue(EpochMs at, const QString &queue, qint64 depth,
                                      qint64 inProgress)
{
    std::lock_guard lock(m_mutex);
    NewSample &s = sampleFor(at, 0, queue);
    s.queueDepth = std::max(s.queueDepth, depth);
    s.jobsInProgress = std::max(s.jobsInProgress, inProgress);
}

bool ThroughputRecorder::isEmpty() const
{
    std::lock_guard lock(m_mutex);
    return m_samples.isEmpty();
}

void ThroughputRecorder::flush(sql::Connection &connection)
{
    QMap<Key, NewSample> taken;
    {
        std::lock_guard lock(m_mutex);
        taken.swap(m_samples);
    }
    if (taken.isEmpty())
        return;
    try {
        write(connection, taken.values());
    } catch (...) {
        std::lock_guard lock(m_mutex);
        // Put them back, merged with what arrived meanwhile.
        for (auto it = taken.cbegin(); it != taken.cend(); ++it) {
            NewSample &s = sampleFor(it->bucketStart, it->modelId, it->queue);
            s.recordsCreated += it->recordsCreated;
            s.recordsFailed += it->recordsFailed;
            s.usersStarted += it->usersStarted;
            s.usersCompleted += it->usersCompleted;
            s.usersFailed += it->usersFailed;
            s.queueDepth = std::max(s.queueDepth, it->queueDepth);
            s.jobsInProgress = std::max(s.jobsInProgress, it->jobsInProgress);
        }
        throw;
    }
}

void ThroughputRecorder::write(sql::Connection &connection, const QList<NewSample> &samples)
{
    const QString merge = connection.backend() == sql::Backend::PostgreSQL
        ? QStringLiteral(
              " ON CONFLICT (bucket_start, model_id, queue_name) DO UPDATE SET "
              "records_created = throughput_samples.records_created + EXCLUDED.records_created, "
              "records_failed = throughput_samples.records_failed + EXCLUDED.records_failed, "
              "users_started = throughput_samples.users_started + EXCLUDED.users_started, "
              "users_completed = throughput_samples.users_completed + EXCLUDED.users_completed, "
              "users_failed = throughput_samples.users_failed + EXCLUDED.users_failed, "
              "queue_depth = GREATEST(throughput_samples.queue_depth, EXCLUDED.queue_depth), "
              "jobs_in_progress = GREATEST(throughput_samples.jobs_in_progress, "
              "EXCLUDED.jobs_in_progress)")
        : QStringLiteral(
              " ON DUPLICATE KEY UPDATE records_created = records_created + "
              "VALUES(records_created), records_failed = records_failed + VALUES(records_failed), "
              "users_started = users_started + VALUES(users_started), users_completed = "
              "users_completed + VALUES(users_completed), users_failed = users_failed + "
              "VALUES(users_failed), queue_depth = GREATEST(queue_depth, VALUES(queue_depth)), "
              "jobs_in_progress = GREATEST(jobs_in_progress, VALUES(jobs_in_progress))");
    const auto body = [&] {
        BulkInsert insert(connection,
                          QStringLiteral("INSERT INTO throughput_samples (bucket_start, model_id, "
                                         "queue_name, records_created, records_failed, "
                                         "users_started, users_completed, users_failed, "
                                         "queue_depth, jobs_in_progress) VALUES "),
                          QStringLiteral("({ts:?}, ?, ?, ?, ?, ?, ?, ?, ?, ?)"), merge, 500);
        for (const NewSample &s : samples)
            insert.add({s.bucketStart, s.modelId, s.queue, s.recordsCreated, s.recordsFailed,
                        s.usersStarted, s.usersCompleted, s.usersFailed, s.queueDepth,
                        s.jobsInProgress});
        insert.flush();
    };
    if (connection.inTransaction())
        body();
    else
        inTransaction(connection, body);
}

} // namespace mc::fleet
