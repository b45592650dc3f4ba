#pragma once

// Throughput samples as the fleet writes them: counts collected in memory per 10 s bucket and
// series, written every few seconds with one upsert that adds counts and keeps the maximum of
// gauges, so any number of workers and processes can write the same bucket.
//   model series (queue ''):  records_created, records_failed
//   queue series (model 0):   users_started (serialize), users_completed / users_failed (the
//                             queue whose job finished the user), queue_depth, jobs_in_progress
// Thread-safe: workers record, one thread flushes.

#include "domain.h"
#include "fleet_writer.h"
#include "sql/sql_connection.h"

#include <QMap>

#include <mutex>

namespace mc::fleet {

inline constexpr qint64 kBucketMs = 10'000;

class ThroughputRecorder
{
public:
    void addRecords(EpochMs at, int modelId, qint64 created, qint64 failed);
    void addUsers(EpochMs at, const QString &queue, qint64 started, qint64 completed,
                  qint64 failed);
    void observeQueue(EpochMs at, const QString &queue, qint64 depth, qint64 inProgress);

    // Writes everything collected since the last flush; on an error the samples are kept for
    // the next flush and the error is rethrown.
    void flush(sql::Connection &connection);
    bool isEmpty() const;

    // The upsert itself, for writers with samples of their own (the seeder's history).
    static void write(sql::Connection &connection, const QList<NewSample> &samples);

private:
    using Key = std::tuple<EpochMs, int, QString>;
    NewSample &sampleFor(EpochMs at, int modelId, const QString &queue); // lock held

    mutable std::mutex m_mutex;
    QMap<Key, NewSample> m_samples;
};

} // namespace mc::fleet
