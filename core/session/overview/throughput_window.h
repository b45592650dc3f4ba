#pragma once

// The throughput points of the chosen time range, kept current by small queries: after the
// first load, a refresh asks only for the buckets from the last complete one on and merges them
// in; points that fall out of the range are dropped.

#include "time_range.h"

namespace mc {

class ThroughputWindow
{
public:
    enum class Merge {
        Replaced, // the whole range was (re)loaded
        Appended, // only the newest buckets changed
        Ignored,  // an answer for another range or resolution
    };

    explicit ThroughputWindow(TimeRange range = {});

    void reset(TimeRange range);
    const TimeRange &range() const { return m_range; }
    bool isLoaded() const { return m_loadedUntil != 0; }

    // The query that brings the window up to serverNow: the whole range when nothing is loaded
    // yet, else the buckets from two before the end of what is loaded (so a bucket the workers
    // were still writing is read again) up to the bucket that holds serverNow.
    ThroughputQuery nextQuery(EpochMs serverNow) const;
    Merge merge(const ThroughputSeries &series, EpochMs serverNow);

    // Ordered by bucket start, then model, then queue, as the server returns them.
    const QList<ThroughputPoint> &points() const { return m_points; }
    EpochMs from() const { return m_from; }          // the range's first bucket
    EpochMs loadedUntil() const { return m_loadedUntil; } // exclusive

private:
    EpochMs rangeStart(EpochMs serverNow) const;

    TimeRange m_range;
    QList<ThroughputPoint> m_points;
    EpochMs m_from = 0;
    EpochMs m_loadedUntil = 0;
};

} // namespace mc
