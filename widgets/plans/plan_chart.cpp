#include "plan_chart.h"

#include "chart_palette.h"

#include <QLabel>
#include <QVBoxLayout>

#include <qcustomplot.h>

namespace mc::widgets {

PlanChart::PlanChart(QWidget *parent)
    : QWidget(parent), m_plot(new QCustomPlot(this)), m_caption(new QLabel(this))
{
    setObjectName(QStringLiteral("planChart"));
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    m_caption->setObjectName(QStringLiteral("planChartCaption"));
    layout->addWidget(m_caption);
    layout->addWidget(m_plot, 1);
    m_plot->setMinimumHeight(180);
    auto ticker = QSharedPointer<QCPAxisTickerDateTime>::create();
    ticker->setDateTimeFormat(QStringLiteral("HH:mm:ss"));
    ticker->setDateTimeSpec(Qt::UTC);
    m_plot->xAxis->setTicker(ticker);
    m_plot->yAxis->setLabel(tr("failed of finished, %"));
    QFont small = font();
    small.setPointSizeF(small.pointSizeF() * 0.9);
    m_plot->xAxis->setTickLabelFont(small);
    m_plot->yAxis->setTickLabelFont(small);
    m_plot->yAxis->setLabelFont(small);
    m_plot->legend->setVisible(true);
    m_plot->legend->setFont(small);
    m_plot->legend->setBrush(QColor(255, 255, 255, 220));
    m_plot->axisRect()->insetLayout()->setInsetAlignment(0, Qt::AlignTop | Qt::AlignLeft);

    QCPGraph *rate = m_plot->addGraph();
    rate->setName(tr("failure rate"));
    rate->setPen(QPen(seriesColor(0), 2));
    rate->setLineStyle(QCPGraph::lsStepLeft);
    rate->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssCircle, 4));
    QCPGraph *threshold = m_plot->addGraph();
    threshold->setName(tr("halts above"));
    QPen dashed(QColor(200, 40, 40), 1.5, Qt::DashLine);
    threshold->setPen(dashed);
    clear();
}

void PlanChart::clear()
{
    m_plot->graph(0)->data()->clear();
    m_plot->graph(1)->data()->clear();
    m_caption->setText(tr("Select a plan to see its failure rate against its threshold."));
    m_plot->replot();
}

int PlanChart::pointCount() const
{
    return m_plot->graph(0)->dataCount();
}

void PlanChart::setPlan(const Plan &plan)
{
    QVector<double> keys, rates;
    for (const PlanSample &sample : plan.samples) {
        keys << double(sample.at) / 1000.0;
        rates << sample.figures.rateBasisPoints() / 100.0;
    }
    const double start = double(plan.createdAt) / 1000.0;
    const double end = std::max(keys.isEmpty() ? start : keys.last(),
                                double(plan.updatedAt) / 1000.0);
    if (!keys.isEmpty() && isActive(plan.state)) { // the rate holds until the next sample
        keys << end;
        rates << rates.last();
    }
    m_plot->graph(0)->setData(keys, rates, true);
    const double threshold = plan.haltAboveBasisPoints / 100.0;
    m_plot->graph(1)->setData({start, std::max(end, start + 1)}, {threshold, threshold}, true);
    double top = threshold * 1.6;
    for (double r : rates)
        top = std::max(top, r * 1.1);
    m_plot->yAxis->setRange(0, std::min(100.0, std::max(top, 1.0)));
    m_plot->xAxis->setRange(start, std::max(end, start + 1));
    const QString now = plan.figures.finished
        ? tr("%1 % now (%2 failed of %3 finished)")
              .arg(basisPointsText(plan.figures.rateBasisPoints()))
              .arg(plan.figures.failed)
              .arg(plan.figures.finished)
        : tr("no user has finished yet");
    m_caption->setText(tr("Plan %1: %2; halts above %3 % once %4 of its users have finished")
                           .arg(plan.id)
                           .arg(now, basisPointsText(plan.haltAboveBasisPoints))
                           .arg(plan.minFinished));
    m_plot->replot();
}

} // namespace mc::widgets
