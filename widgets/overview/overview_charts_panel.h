#pragma once

// The overview's four charts in a grid, their time axes kept together: zooming or panning one
// moves the others; a double-click on any returns all to the live range.

#include "operator_markers.h"
#include "throughput_charts.h"

#include <QWidget>

namespace mc::widgets {

class ThroughputChart;

class OverviewChartsPanel : public QWidget
{
    Q_OBJECT

public:
    explicit OverviewChartsPanel(QWidget *parent = nullptr);

    void showCharts(const OverviewCharts &charts);
    void showMarkers(const QList<OperatorMarker> &markers);
    void followLive();

    // Object names: chart_records, chart_failures, chart_queues, chart_users.
    ThroughputChart *chart(const QString &objectName) const;
    const QList<ThroughputChart *> &charts() const { return m_charts; }

private:
    void onUserTimeRange(ThroughputChart *source, double lower, double upper, bool live);

    QList<ThroughputChart *> m_charts;
};

} // namespace mc::widgets
