#pragma once

// The live overview: every few seconds (2 s by default; pausable) it asks the session for a
// snapshot, then for the throughput buckets and operator actions that are new since the last
// refresh, and keeps what the overview page shows: the snapshot with its KPIs, the per-model
// progress model, the throughput window of the chosen range and the operator markers.

#include "model_progress_model.h"
#include "operator_markers.h"
#include "overview_kpis.h"
#include "throughput_charts.h"
#include "throughput_window.h"

#include <QElapsedTimer>
#include <QMap>
#include <QObject>
#include <QTimer>

namespace mc {

class StoreSession;

class LiveOverview : public QObject
{
    Q_OBJECT

public:
    static constexpr int kDefaultIntervalMs = 2000;
    // Percentiles read every completed user of the range (no counter keeps them): not on every
    // refresh, but on a range change and then at most this often.
    static constexpr int kMigrationTimesEveryMs = 30'000;

    explicit LiveOverview(StoreSession *session, QObject *parent = nullptr);

    ModelProgressModel *progressModel() { return &m_progress; }
    StoreSession *session() const { return m_session; }

    bool hasSnapshot() const { return m_hasSnapshot; }
    const OverviewSnapshot &snapshot() const { return m_snapshot; }
    const OverviewKpis &kpis() const { return m_kpis; }
    const MigrationTimes &migrationTimes() const { return m_times; }
    const ThroughputWindow &throughput() const { return m_window; }
    const ThroughputQuery &lastMergedQuery() const { return m_lastMerged; }
    OverviewCharts charts() const;
    const QList<OperatorMarker> &markers() const { return m_markers; }

    const TimeRange &range() const { return m_window.range(); }
    void setRange(const TimeRange &range); // reloads the whole range

    int intervalMs() const { return m_timer.interval(); }
    void setIntervalMs(int ms);
    bool isPaused() const { return m_paused; }
    void setPaused(bool paused);
    void refreshNow();

    // The server's clock, from the latest snapshot plus the time since it arrived.
    EpochMs serverNow() const;

signals:
    void snapshotChanged();
    void throughputChanged(bool wholeRange);
    void markersChanged();
    void rangeChanged();
    void pausedChanged(bool paused);
    void intervalChanged(int ms);

private:
    void reset();
    void onOverview(const OverviewSnapshot &snapshot);
    void onThroughput(const ThroughputSeries &series);
    void onAudit(const AuditPage &page);
    void onMigrationTimes(const MigrationTimes &times);
    void fetchMigrationTimes(EpochMs now);
    void fetchSeries(); // throughput and audit, as far as they are not on their way already

    StoreSession *m_session;
    QTimer m_timer;
    bool m_paused = false;

    ModelProgressModel m_progress;
    OverviewSnapshot m_snapshot;
    bool m_hasSnapshot = false;
    QElapsedTimer m_sinceSnapshot;
    OverviewKpis m_kpis;
    MigrationTimes m_times;
    QElapsedTimer m_sinceTimesAsked; // invalid: ask with the next refresh

    ThroughputWindow m_window;
    ThroughputQuery m_lastMerged;
    EpochMs m_mergedAt = 0;

    QMap<qint64, AuditEntry> m_actions; // by id
    QList<OperatorMarker> m_markers;
};

} // namespace mc
