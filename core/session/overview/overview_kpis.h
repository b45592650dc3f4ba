#pragma once

// The figures on the overview's tiles, computed from one snapshot.

#include "domain.h"

#include <optional>

namespace mc {

struct OverviewKpis
{
    qint64 requested = 0; // every user migration, whatever its status
    qint64 notStarted = 0; // status nil: requested, nothing serialised yet
    qint64 pending = 0;
    qint64 inProgress = 0;
    qint64 completed = 0;
    qint64 failed = 0;
    std::optional<double> failureRate; // failed ÷ (completed + failed); none before either
    double completedPerMinute = 0;     // over the last complete minute of throughput samples
    qint64 backlog = 0;                // pending + in progress
    std::optional<qint64> etaSeconds;  // backlog ÷ rate; none while nothing completes

    // Single-user migration time (finished − started) of the users completed in the range;
    // from MigrationTimes, which LiveOverview fetches less often than the snapshot.
    qint64 timedUsers = 0;
    std::optional<qint64> p50Ms;
    std::optional<qint64> p95Ms;
    std::optional<qint64> p99Ms;
};

// The rate counts the last six complete base buckets before the snapshot was taken, so a fleet
// that stopped an hour ago shows 0/min, not its old rate.
OverviewKpis computeKpis(const OverviewSnapshot &snapshot, const MigrationTimes &times = {});

// Figures of the snapshot no database could hold — negative counts — each in words ("failed users:
// -467"). Counters that drifted from their tables show this way; Verify Counters… repairs them.
QStringList impossibleFigures(const OverviewSnapshot &snapshot);

// The one line every view shows in place of an impossible figure.
QString counterDriftText(const QStringList &figures);

} // namespace mc
