#include "live_overview.h"

#include "store_session.h"

namespace mc {

namespace {

constexpr int kAuditLimit = 1000;

} // namespace

LiveOverview::LiveOverview(StoreSession *session, QObject *parent)
    : QObject(parent), m_session(session),
      m_window(TimeRange::fromPreset(TimeRange::Preset::Hour1))
{
    m_timer.setInterval(kDefaultIntervalMs);
    connect(&m_timer, &QTimer::timeout, this, [this] {
        // A refresh still on its way is not stacked up behind: a slow server gets one at a time.
        if (!m_session->isBusy(RequestKind::Overview))
            m_session->requestOverview();
    });
    connect(session, &StoreSession::opened, this, [this] {
        reset();
        refreshNow();
    });
    connect(session, &StoreSession::statusChanged, this, [this](const ConnectionStatus &status) {
        if (status.state == ConnectionStatus::State::Closed && m_hasSnapshot)
            reset(); // disconnected on purpose: old figures would only mislead
    });
    connect(session, &StoreSession::overviewArrived, this, &LiveOverview::onOverview);
    connect(session, &StoreSession::throughputArrived, this, &LiveOverview::onThroughput);
    connect(session, &StoreSession::auditArrived, this, &LiveOverview::onAudit);
    connect(session, &StoreSession::migrationTimesArrived, this, &LiveOverview::onMigrationTimes);
    m_timer.start();
}

void LiveOverview::reset()
{
    m_hasSnapshot = false;
    m_snapshot = {};
    m_kpis = {};
    m_times = {};
    m_sinceTimesAsked.invalidate();
    m_progress.setProgress({});
    m_window.reset(m_window.range());
    m_lastMerged = {};
    m_actions.clear();
    m_markers.clear();
    emit snapshotChanged();
    emit throughputChanged(true);
    emit markersChanged();
}

void LiveOverview::setRange(const TimeRange &range)
{
    if (range == m_window.range())
        return;
    m_window.reset(range);
    m_actions.clear();
    m_markers.clear();
    emit rangeChanged();
    emit throughputChanged(true);
    emit markersChanged();
    if (m_hasSnapshot) {
        // Supersedes any refresh of the old range still on its way.
        m_session->requestThroughput(m_window.nextQuery(serverNow()));
        AuditQuery audit;
        audit.since = m_window.nextQuery(serverNow()).from;
        audit.limit = kAuditLimit;
        m_session->requestAudit(audit);
        fetchMigrationTimes(serverNow());
    } else {
        m_sinceTimesAsked.invalidate();
    }
}

void LiveOverview::setIntervalMs(int ms)
{
    ms = std::max(ms, 250);
    if (ms == m_timer.interval())
        return;
    m_timer.setInterval(ms);
    emit intervalChanged(ms);
}

void LiveOverview::setPaused(bool paused)
{
    if (paused == m_paused)
        return;
    m_paused = paused;
    if (paused)
        m_timer.stop();
    else
        m_timer.start();
    emit pausedChanged(paused);
    if (!paused)
        refreshNow();
}

void LiveOverview::refreshNow()
{
    m_session->requestOverview();
}

EpochMs LiveOverview::serverNow() const
{
    if (!m_hasSnapshot)
        return QDateTime::currentMSecsSinceEpoch();
    return m_snapshot.takenAt + m_sinceSnapshot.elapsed();
}

OverviewCharts LiveOverview::charts() const
{
    QStringList models;
    for (const ModelProgress &model : m_snapshot.models)
        models << model.model;
    return buildOverviewCharts(m_window, m_mergedAt ? m_mergedAt : serverNow(), models);
}

void LiveOverview::onOverview(const OverviewSnapshot &snapshot)
{
    m_snapshot = snapshot;
    m_hasSnapshot = true;
    m_sinceSnapshot.start();
    m_kpis = computeKpis(snapshot, m_times);
    m_progress.setProgress(snapshot.models);
    emit snapshotChanged();
    fetchSeries();
}

void LiveOverview::fetchSeries()
{
    const EpochMs now = serverNow();
    if (!m_session->isBusy(RequestKind::Throughput))
        m_session->requestThroughput(m_window.nextQuery(now));
    if (!m_session->isBusy(RequestKind::Audit)) {
        // Entries from the newest one known on (the same instant may hold more), deduplicated.
        AuditQuery audit;
        audit.since = m_window.nextQuery(now).from;
        if (!m_actions.isEmpty())
            audit.since = std::max(*audit.since, m_actions.last().at);
        audit.limit = kAuditLimit;
        m_session->requestAudit(audit);
    }
    if (!m_sinceTimesAsked.isValid() || m_sinceTimesAsked.elapsed() >= kMigrationTimesEveryMs)
        fetchMigrationTimes(now);
}

void LiveOverview::fetchMigrationTimes(EpochMs now)
{
    // Supersedes one still on its way (a range change): the newest range wins.
    m_session->requestMigrationTimes(m_window.nextQuery(now).from, now + 1);
    m_sinceTimesAsked.start();
}

void LiveOverview::onMigrationTimes(const MigrationTimes &times)
{
    m_times = times;
    if (!m_hasSnapshot)
        return;
    m_kpis = computeKpis(m_snapshot, m_times);
    emit snapshotChanged();
}

void LiveOverview::onThroughput(const ThroughputSeries &series)
{
    const EpochMs now = serverNow();
    const ThroughputWindow::Merge how = m_window.merge(series, now);
    if (how == ThroughputWindow::Merge::Ignored)
        return;
    m_lastMerged = series.query;
    m_mergedAt = now;
    emit throughputChanged(how == ThroughputWindow::Merge::Replaced);
}

void LiveOverview::onAudit(const AuditPage &page)
{
    const EpochMs start = m_window.isLoaded() ? m_window.from()
                                              : m_window.nextQuery(serverNow()).from;
    bool changed = false;
    for (const AuditEntry &entry : page.entries) {
        if (entry.at < start || !isMarkedAction(entry.action) || m_actions.contains(entry.id))
            continue;
        m_actions.insert(entry.id, entry);
        changed = true;
    }
    // Actions that fell out of the range.
    while (!m_actions.isEmpty() && m_actions.first().at < start) {
        m_actions.erase(m_actions.begin());
        changed = true;
    }
    if (!changed)
        return;
    m_markers = operatorMarkers(m_actions.values());
    emit markersChanged();
}

} // namespace mc
