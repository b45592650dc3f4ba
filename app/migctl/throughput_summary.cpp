#include "throughput_summary.h"

#include <QMap>

#include <cmath>

namespace mc::cli {

ThroughputSummary ThroughputSummary::from(const OverviewSnapshot &overview)
{
    ThroughputSummary summary;
    QMap<EpochMs, BucketTotals> byStart;
    for (const ThroughputPoint &point : overview.latestThroughput) {
        BucketTotals &bucket = byStart[point.bucketStart];
        bucket.bucketStart = point.bucketStart;
        // A user event is counted once, in the series its worker wrote it to (merge-sim uses
        // the queue series; see docs/SCHEMA.md), so users are summed over every series.
        bucket.usersStarted += point.usersStarted;
        bucket.usersCompleted += point.usersCompleted;
        bucket.usersFailed += point.usersFailed;
        if (point.queue.isEmpty()) {
            bucket.recordsCreated += point.recordsCreated;
            bucket.recordsFailed += point.recordsFailed;
        } else {
            bucket.queueDepth += point.queueDepth;
        }
    }
    summary.buckets = byStart.values();

    qint64 completed = 0;
    for (const BucketTotals &bucket : std::as_const(summary.buckets))
        completed += bucket.usersCompleted;
    if (!summary.buckets.isEmpty()) {
        summary.latestBucket = summary.buckets.last().bucketStart;
        const EpochMs latestEnd = *summary.latestBucket + kBucketSeconds * 1000;
        summary.stale = overview.takenAt - latestEnd > kStaleAfterMs;
    }
    if (!summary.stale)
        summary.usersCompletedPerMinute =
            double(completed) * 60.0 / double(kBuckets * kBucketSeconds);

    summary.backlogUsers =
        overview.users(UserStatus::Pending) + overview.users(UserStatus::InProgress);
    if (summary.usersCompletedPerMinute > 0.0)
        summary.etaSeconds = qint64(std::ceil(double(summary.backlogUsers) * 60.0
                                              / summary.usersCompletedPerMinute));
    return summary;
}

} // namespace mc::cli
