#pragma once

// The time ranges the overview charts offer, each with the bucket width the server groups by.

#include "domain.h"

#include <QList>

namespace mc {

inline constexpr qint64 kBaseBucketMs = 10'000; // the width of a throughput sample
// Workers write a bucket's samples within a few seconds after it ends (merge-sim every 2 s): a
// bucket counts as complete only this long after its end, so lines do not dip at their end.
inline constexpr qint64 kSampleWriteLagMs = 5'000;

struct TimeRange
{
    enum class Preset { Minutes15, Hour1, Hours6, Hours24, Days7 };

    Preset preset = Preset::Minutes15;
    qint64 spanMs = 15 * 60'000;
    int resolutionSeconds = 10; // a multiple of the base bucket, so the server can group by it
    QString label;              // "15 m", "1 h", …

    qint64 resolutionMs() const { return qint64(resolutionSeconds) * 1000; }

    static TimeRange fromPreset(Preset preset);
    static QList<TimeRange> all();
    static std::optional<TimeRange> fromLabel(const QString &label); // "15m", "1 h", "7d", …

    friend bool operator==(const TimeRange &a, const TimeRange &b) { return a.preset == b.preset; }
};

// Floor to a multiple of width (width > 0); correct for negative times too.
EpochMs alignDown(EpochMs at, qint64 width);

} // namespace mc
