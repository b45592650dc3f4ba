#pragma once

// The one chart widget of the console: a QCustomPlot with a time axis, one line per series, a
// legend that hides and shows series on click, hover tooltips with exact values, zoom and pan on
// the time axis (double-click returns to the live range) and operator actions as vertical markers.
//
// Work is coalesced by weight on one timer, as Wireshark's IO graph does: new points for the same
// series only recalculate, a different set of series rebuilds the graphs, a hidden series or a
// moved marker only replots.

#include "operator_markers.h"
#include "throughput_charts.h"

#include <QSet>
#include <QTimer>
#include <QWidget>

class QCPAbstractItem;
class QCPAbstractLegendItem;
class QCPItemText;
class QCPLegend;
class QCustomPlot;
class QLabel;
class QMouseEvent;

namespace mc::widgets {

class ThroughputChart : public QWidget
{
    Q_OBJECT

public:
    enum class Dirty { None, Replot, Rescale, Recalc, Rebuild }; // by weight

    explicit ThroughputChart(const QString &title, QWidget *parent = nullptr);
    ~ThroughputChart() override;

    void setData(const ChartData &data, double fromSeconds, double untilSeconds,
                 int resolutionSeconds);
    void setMarkers(const QList<OperatorMarker> &markers);

    // The time axis: following the live range until the user zooms or pans.
    bool isFollowingLive() const { return m_followLive; }
    void followLive();
    void showTimeRange(double lower, double upper); // from a sibling chart; not echoed
    double visibleFrom() const;
    double visibleUntil() const;

    // What the chart shows, for tests and tools.
    QString title() const;
    QStringList seriesNames() const;
    bool isSeriesVisible(const QString &name) const;
    void setSeriesVisible(const QString &name, bool visible);
    int markerCount() const { return int(m_markers.size()); }
    QString toolTipAt(double keySeconds, double pixelTolerance = 6) const;
    void flushNow(); // apply pending work at once instead of on the timer

signals:
    // The user zoomed or panned (followLive false) or asked for the live range again (true).
    void userTimeRangeChanged(double lower, double upper, bool followLive);

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void markDirty(Dirty level);
    void flush();
    void rebuild();
    void recalc();
    void rescaleValues();
    void placeMarkers();
    void wrapLegend();
    void spaceMarkerLabels();
    void updateTickFormat();
    void applyLiveRange();
    void onMouseMove(QMouseEvent *event);
    void onLegendClick(QCPLegend *legend, QCPAbstractLegendItem *item);
    QString formatValue(double value) const;

    QLabel *m_title;
    QCustomPlot *m_plot;
    QCPItemText *m_emptyText = nullptr;
    QTimer m_flushTimer;
    Dirty m_dirty = Dirty::None;

    ChartData m_data;
    double m_from = 0;
    double m_until = 0;
    int m_resolution = 10;
    QList<OperatorMarker> m_markers;
    QList<QCPAbstractItem *> m_markerItems;
    QSet<QString> m_hidden; // series the user hid; kept across rebuilds
    bool m_followLive = true;
    bool m_settingRange = false;
};

} // namespace mc::widgets
