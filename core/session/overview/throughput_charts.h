#pragma once

// Turns the throughput window into the series the overview charts draw: plain numbers, no
// drawing. Counts become rates per second (records) or running totals (users); gauges (queue
// depth, jobs in progress) are drawn as sampled, with a gap where no sample exists.

#include "throughput_window.h"

#include <QStringList>
#include <QVector>

namespace mc {

struct ChartSeries
{
    QString name;       // the legend text
    int colorIndex = 0; // stable per model (its migration order) or queue: the palette index
    bool dashed = false;
    bool rightAxis = false; // drawn against the chart's second value axis
    QVector<double> keys;   // bucket start, seconds since the epoch
    QVector<double> values; // NaN where a gauge has no sample
};

struct ChartData
{
    QString unit;           // of every value: "records/s", "jobs", "users"
    QString axisLabel;      // the value axis; the unit when empty
    QString rightAxisLabel; // the second value axis, for series with rightAxis
    QList<ChartSeries> series;
};

struct OverviewCharts
{
    ChartData records;  // records created per second, per model
    ChartData failures; // records failed per second, per model
    ChartData queues;   // per queue: depth (solid, left) and jobs in progress (dashed, right)
    ChartData users;    // users started, completed and failed since the range began
    double fromSeconds = 0;  // the range shown: its first bucket …
    double untilSeconds = 0; // … to now (the last bucket, still being written, is not drawn)
    int resolutionSeconds = 10;
};

// Buckets from the window's start up to the last complete one at now (see kSampleWriteLagMs):
// a bucket still being written is left out, so the lines do not dip at their end.
// modelOrder: model names in migration order, for stable colours and legend order.
OverviewCharts buildOverviewCharts(const ThroughputWindow &window, EpochMs now,
                                   const QStringList &modelOrder);

} // namespace mc
