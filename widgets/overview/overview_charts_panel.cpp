#include "overview_charts_panel.h"

#include "throughput_chart.h"

#include <QGridLayout>

namespace mc::widgets {

OverviewChartsPanel::OverviewChartsPanel(QWidget *parent) : QWidget(parent)
{
    auto *grid = new QGridLayout(this);
    grid->setContentsMargins(0, 0, 0, 0);
    grid->setHorizontalSpacing(12);
    grid->setVerticalSpacing(8);
    const std::pair<const char *, QString> charts[] = {
        {"chart_records", tr("Records created per second, by model")},
        {"chart_failures", tr("Records failed per second, by model")},
        {"chart_queues", tr("Queue depth (solid, left) vs jobs in progress (dashed, right)")},
        {"chart_users", tr("Users started vs completed since the range began")}};
    int index = 0;
    for (const auto &[name, title] : charts) {
        auto *chart = new ThroughputChart(title, this);
        chart->setObjectName(QString::fromLatin1(name));
        grid->addWidget(chart, index / 2, index % 2);
        connect(chart, &ThroughputChart::userTimeRangeChanged, this,
                [this, chart](double lower, double upper, bool live) {
                    onUserTimeRange(chart, lower, upper, live);
                });
        m_charts << chart;
        ++index;
    }
}

ThroughputChart *OverviewChartsPanel::chart(const QString &objectName) const
{
    for (ThroughputChart *chart : m_charts)
        if (chart->objectName() == objectName)
            return chart;
    return nullptr;
}

void OverviewChartsPanel::showCharts(const OverviewCharts &charts)
{
    const ChartData *data[] = {&charts.records, &charts.failures, &charts.queues, &charts.users};
    for (int i = 0; i < m_charts.size(); ++i)
        m_charts[i]->setData(*data[i], charts.fromSeconds, charts.untilSeconds,
                             charts.resolutionSeconds);
}

void OverviewChartsPanel::showMarkers(const QList<OperatorMarker> &markers)
{
    for (ThroughputChart *chart : std::as_const(m_charts))
        chart->setMarkers(markers);
}

void OverviewChartsPanel::followLive()
{
    for (ThroughputChart *chart : std::as_const(m_charts))
        chart->followLive();
}

void OverviewChartsPanel::onUserTimeRange(ThroughputChart *source, double lower, double upper,
                                          bool live)
{
    for (ThroughputChart *chart : std::as_const(m_charts)) {
        if (chart == source)
            continue;
        if (live)
            chart->followLive();
        else
            chart->showTimeRange(lower, upper);
    }
}

} // namespace mc::widgets
