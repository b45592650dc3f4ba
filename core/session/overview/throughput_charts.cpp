#include "throughput_charts.h"

#include <QHash>

#include <cmath>
#include <limits>

namespace mc {

namespace {

constexpr double kNoSample = std::numeric_limits<double>::quiet_NaN();

// Collects per-bucket values of named series over a fixed run of buckets.
class SeriesBuilder
{
public:
    SeriesBuilder(EpochMs from, qint64 width, int buckets)
        : m_from(from), m_width(width), m_buckets(buckets)
    {
    }

    ChartSeries &series(const QString &name, int colorIndex, bool dashed, double fill)
    {
        auto it = m_index.constFind(name);
        if (it != m_index.cend())
            return m_series[*it];
        ChartSeries s;
        s.name = name;
        s.colorIndex = colorIndex;
        s.dashed = dashed;
        s.keys.reserve(m_buckets);
        for (int b = 0; b < m_buckets; ++b)
            s.keys.append(double(m_from + b * m_width) / 1000.0);
        s.values.fill(fill, m_buckets);
        m_index.insert(name, m_series.size());
        m_series.append(std::move(s));
        return m_series.last();
    }

    // The bucket a point falls in, or -1 outside the run.
    int bucketOf(EpochMs at) const
    {
        if (at < m_from)
            return -1;
        const qint64 b = (at - m_from) / m_width;
        return b < m_buckets ? int(b) : -1;
    }

    QList<ChartSeries> take() { return std::move(m_series); }

private:
    EpochMs m_from;
    qint64 m_width;
    int m_buckets;
    QHash<QString, qsizetype> m_index;
    QList<ChartSeries> m_series;
};

} // namespace

OverviewCharts buildOverviewCharts(const ThroughputWindow &window, EpochMs now,
                                   const QStringList &modelOrder)
{
    const TimeRange &range = window.range();
    const qint64 width = range.resolutionMs();
    OverviewCharts charts;
    charts.resolutionSeconds = range.resolutionSeconds;
    charts.records.unit = QStringLiteral("records/s");
    charts.failures.unit = QStringLiteral("records/s");
    charts.queues.unit = QStringLiteral("jobs");
    // Depths run to thousands while a queue runs a handful of jobs: one axis each.
    charts.queues.axisLabel = QStringLiteral("jobs waiting");
    charts.queues.rightAxisLabel = QStringLiteral("jobs in progress");
    charts.users.unit = QStringLiteral("users");

    const EpochMs end = alignDown(now - kSampleWriteLagMs, width);
    const EpochMs from = window.isLoaded() ? window.from() : end - range.spanMs;
    charts.fromSeconds = double(from) / 1000.0;
    charts.untilSeconds = double(std::max(end, now)) / 1000.0;
    const int buckets = end > from ? int((end - from) / width) : 0;

    // Models in migration order first (stable colours), then any the catalogue does not know.
    QStringList models = modelOrder;
    QStringList queues;
    for (const ThroughputPoint &p : window.points()) {
        if (p.queue.isEmpty() && !models.contains(p.model))
            models.append(p.model);
        if (!p.queue.isEmpty() && !queues.contains(p.queue))
            queues.append(p.queue);
    }
    queues.sort();

    SeriesBuilder records(from, width, buckets);
    SeriesBuilder failures(from, width, buckets);
    SeriesBuilder gauges(from, width, buckets);
    QVector<double> started(buckets, 0.0), completed(buckets, 0.0), failed(buckets, 0.0);
    const double seconds = double(range.resolutionSeconds);

    for (const ThroughputPoint &p : window.points()) {
        const int b = records.bucketOf(p.bucketStart);
        if (b < 0)
            continue;
        // A user event is recorded once, in whichever series the worker wrote it to.
        started[b] += double(p.usersStarted);
        completed[b] += double(p.usersCompleted);
        failed[b] += double(p.usersFailed);
        if (p.queue.isEmpty()) {
            const int color = int(models.indexOf(p.model));
            records.series(p.model, color, false, 0.0).values[b] += double(p.recordsCreated) / seconds;
            failures.series(p.model, color, false, 0.0).values[b] += double(p.recordsFailed) / seconds;
        } else {
            const int color = int(queues.indexOf(p.queue));
            gauges.series(p.queue + QStringLiteral(" depth"), color, false, kNoSample)
                .values[b] = double(p.queueDepth);
            ChartSeries &running =
                gauges.series(p.queue + QStringLiteral(" in progress"), color, true, kNoSample);
            running.rightAxis = true;
            running.values[b] = double(p.jobsInProgress);
        }
    }

    // Legend order: migration order for models, name order for queues.
    auto ordered = [](QList<ChartSeries> list) {
        std::stable_sort(list.begin(), list.end(), [](const ChartSeries &a, const ChartSeries &b) {
            return a.colorIndex < b.colorIndex;
        });
        return list;
    };
    charts.records.series = ordered(records.take());
    charts.failures.series = ordered(failures.take());
    charts.queues.series = ordered(gauges.take());

    if (window.points().isEmpty())
        return charts; // no samples: every chart says so, none draws flat zero lines
    SeriesBuilder users(from, width, buckets);
    const std::pair<QString, QVector<double> *> totals[] = {
        {QStringLiteral("users started"), &started},
        {QStringLiteral("users completed"), &completed},
        {QStringLiteral("users failed"), &failed}};
    int color = 0;
    for (const auto &[name, perBucket] : totals) {
        ChartSeries &s = users.series(name, color, color == 2, 0.0);
        double sum = 0;
        for (int b = 0; b < buckets; ++b)
            s.values[b] = (sum += (*perBucket)[b]);
        ++color;
    }
    charts.users.series = users.take();
    return charts;
}

} // namespace mc
