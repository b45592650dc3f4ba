#pragma once

// The Overview: KPI tiles, the four throughput charts and the per-model progress table, fed by a
// LiveOverview. Its toolbar chooses the time range and the refresh interval and pauses live
// refresh; the same actions sit in the main window's View menu.

#include <QWidget>

class QAction;
class QActionGroup;
class QComboBox;
class QLabel;
class QSortFilterProxyModel;
class QSplitter;
class QTableView;

namespace mc {
class LiveOverview;
}

namespace mc::widgets {

class KpiStrip;
class MessageBanner;
class OverviewChartsPanel;

class OverviewPage : public QWidget
{
    Q_OBJECT

public:
    explicit OverviewPage(LiveOverview *live, QWidget *parent = nullptr);

    KpiStrip *kpis() const { return m_kpis; }
    OverviewChartsPanel *charts() const { return m_charts; }
    MessageBanner *driftBanner() const { return m_drift; }
    QTableView *progressTable() const { return m_table; }
    QSortFilterProxyModel *progressProxy() const { return m_proxy; }
    QComboBox *intervalBox() const { return m_interval; }

    QAction *pauseAction() const { return m_pause; }
    QAction *refreshAction() const { return m_refresh; }
    QList<QAction *> rangeActions() const;
    QAction *widerRangeAction() const { return m_wider; }
    QAction *narrowerRangeAction() const { return m_narrower; }

    QByteArray saveState() const;
    bool restoreState(const QByteArray &state);

private:
    QWidget *createToolBar();
    void showSnapshot();
    void showThroughput();
    void showRange();
    void stepRange(int step);
    void showLiveState();

    LiveOverview *m_live;
    KpiStrip *m_kpis;
    OverviewChartsPanel *m_charts;
    MessageBanner *m_drift; // an impossible (negative) counter, named, with a pointer to Verify
    QTableView *m_table;
    QSortFilterProxyModel *m_proxy;
    QSplitter *m_splitter;
    QComboBox *m_interval = nullptr;
    QLabel *m_liveLabel = nullptr;
    QAction *m_pause;
    QAction *m_refresh;
    QAction *m_wider;
    QAction *m_narrower;
    QActionGroup *m_ranges;
};

} // namespace mc::widgets
