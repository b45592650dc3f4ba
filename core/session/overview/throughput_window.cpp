#include "throughput_window.h"

#include <algorithm>

namespace mc {

ThroughputWindow::ThroughputWindow(TimeRange range) : m_range(std::move(range)) {}

void ThroughputWindow::reset(TimeRange range)
{
    m_range = std::move(range);
    m_points.clear();
    m_from = 0;
    m_loadedUntil = 0;
}

EpochMs ThroughputWindow::rangeStart(EpochMs serverNow) const
{
    return alignDown(serverNow - m_range.spanMs, m_range.resolutionMs());
}

ThroughputQuery ThroughputWindow::nextQuery(EpochMs serverNow) const
{
    const qint64 width = m_range.resolutionMs();
    ThroughputQuery query;
    query.resolutionSeconds = m_range.resolutionSeconds;
    query.until = alignDown(serverNow, width) + width;
    query.from = isLoaded() ? std::max(rangeStart(serverNow), m_loadedUntil - 2 * width)
                            : rangeStart(serverNow);
    query.from = std::min(query.from, query.until - width);
    return query;
}

ThroughputWindow::Merge ThroughputWindow::merge(const ThroughputSeries &series, EpochMs serverNow)
{
    const ThroughputQuery &query = series.query;
    if (query.resolutionSeconds != m_range.resolutionSeconds)
        return Merge::Ignored;
    if (!isLoaded() && query.from > rangeStart(serverNow))
        return Merge::Ignored; // a shorter range's answer: it does not cover this one
    const bool whole = !isLoaded() || query.from <= m_from;
    if (!whole && query.from > m_loadedUntil)
        return Merge::Ignored; // would leave a gap: the next query reloads from m_loadedUntil

    // Drop what the answer covers, then append it (both are ordered by bucket start).
    auto firstCovered = std::lower_bound(
        m_points.begin(), m_points.end(), query.from,
        [](const ThroughputPoint &point, EpochMs at) { return point.bucketStart < at; });
    m_points.erase(firstCovered, m_points.end());
    m_points.append(series.points);
    m_loadedUntil = std::max(m_loadedUntil, query.until);

    m_from = rangeStart(serverNow);
    auto firstKept = std::lower_bound(
        m_points.begin(), m_points.end(), m_from,
        [](const ThroughputPoint &point, EpochMs at) { return point.bucketStart < at; });
    m_points.erase(m_points.begin(), firstKept);
    return whole ? Merge::Replaced : Merge::Appended;
}

} // namespace mc
