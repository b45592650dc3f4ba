#pragma once

// The overview's latest throughput buckets folded into what an operator asks: how many users
// complete per minute now, and when the backlog (pending + in progress) drains at that rate.

#include "domain.h"

#include <QList>

namespace mc::cli {

struct BucketTotals
{
    EpochMs bucketStart = 0;
    qint64 usersStarted = 0;
    qint64 usersCompleted = 0;
    qint64 usersFailed = 0;
    qint64 recordsCreated = 0;
    qint64 recordsFailed = 0;
    qint64 queueDepth = 0; // summed over the queue series
};

struct ThroughputSummary
{
    static constexpr int kBucketSeconds = 10;
    static constexpr int kBuckets = 6;           // one minute of base buckets
    static constexpr qint64 kStaleAfterMs = 120'000; // no newer sample for 2 min: rate unknown

    QList<BucketTotals> buckets; // oldest first
    std::optional<EpochMs> latestBucket;
    bool stale = false;            // the newest bucket ended long before the snapshot
    double usersCompletedPerMinute = 0.0;
    qint64 backlogUsers = 0;       // pending + in progress
    std::optional<qint64> etaSeconds; // absent when the rate is 0

    // User counts are summed over the model series (a queue series carries depth and jobs).
    static ThroughputSummary from(const OverviewSnapshot &overview);
};

} // namespace mc::cli
