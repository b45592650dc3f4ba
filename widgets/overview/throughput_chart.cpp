#include "throughput_chart.h"

#include "chart_palette.h"

#include <QDateTime>
#include <QLabel>
#include <QLocale>
#include <QMouseEvent>
#include <QToolTip>
#include <QVBoxLayout>

#include <qcustomplot.h>

#include <cmath>

namespace mc::widgets {

namespace {

constexpr int kFlushDelayMs = 40; // coalesces bursts of updates into one replot

QString timeText(double seconds, const QString &format)
{
    return QDateTime::fromMSecsSinceEpoch(qint64(seconds * 1000.0)).toString(format);
}

} // namespace

ThroughputChart::ThroughputChart(const QString &title, QWidget *parent)
    : QWidget(parent), m_title(new QLabel(title, this)), m_plot(new QCustomPlot(this))
{
    setObjectName(QStringLiteral("chart"));
    QFont titleFont = m_title->font();
    titleFont.setBold(true);
    m_title->setFont(titleFont);
    m_title->setToolTip(tr("Wheel to zoom and drag to pan the time axis; double-click to return "
                           "to the live range.\nClick a legend entry to hide or show its series. "
                           "Hover for exact values and operator actions."));
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(2);
    layout->addWidget(m_title);
    layout->addWidget(m_plot, 1);
    m_plot->setMinimumHeight(140);

    auto ticker = QSharedPointer<QCPAxisTickerDateTime>::create();
    ticker->setDateTimeSpec(Qt::LocalTime);
    m_plot->xAxis->setTicker(ticker);
    QFont small = font();
    small.setPointSizeF(small.pointSizeF() * 0.85);
    m_plot->xAxis->setTickLabelFont(small);
    m_plot->yAxis->setTickLabelFont(small);
    m_plot->yAxis->setLabelFont(small);
    m_plot->xAxis->grid()->setPen(QPen(QColor(0, 0, 0, 25)));
    m_plot->yAxis->grid()->setPen(QPen(QColor(0, 0, 0, 25)));
    m_plot->yAxis->setRange(0, 1);

    // The legend in its own column right of the plot, so it never covers the lines.
    m_plot->legend->setVisible(true);
    m_plot->legend->setFont(small);
    m_plot->legend->setBorderPen(Qt::NoPen);
    m_plot->legend->setBrush(Qt::NoBrush);
    m_plot->legend->setRowSpacing(0);
    m_plot->legend->setFillOrder(QCPLayoutGrid::foRowsFirst); // down, then a new column
    // Top-aligned: a spacer below takes the height the entries do not need.
    m_plot->axisRect()->insetLayout()->take(m_plot->legend);
    auto *legendColumn = new QCPLayoutGrid;
    m_plot->plotLayout()->addElement(0, 1, legendColumn);
    m_plot->plotLayout()->setColumnStretchFactor(1, 0.001);
    legendColumn->addElement(0, 0, m_plot->legend);
    legendColumn->addElement(1, 0, new QCPLayoutElement(m_plot));
    legendColumn->setRowStretchFactor(0, 0.001);
    legendColumn->setRowStretchFactor(1, 1);
    legendColumn->setMargins(QMargins(0, 4, 0, 0));
    m_plot->legend->setIconSize(22, 10);
    m_plot->yAxis2->setTickLabelFont(small);
    m_plot->yAxis2->setLabelFont(small);
    m_plot->legend->setSelectableParts(QCPLegend::spNone);

    m_plot->setInteractions(QCP::iRangeDrag | QCP::iRangeZoom);
    m_plot->axisRect()->setRangeDrag(Qt::Horizontal);
    m_plot->axisRect()->setRangeZoom(Qt::Horizontal);
    m_plot->setNoAntialiasingOnDrag(true);

    m_emptyText = new QCPItemText(m_plot);
    m_emptyText->position->setType(QCPItemPosition::ptAxisRectRatio);
    m_emptyText->position->setCoords(0.5, 0.5);
    m_emptyText->setText(tr("No throughput samples in this range"));
    m_emptyText->setColor(palette().color(QPalette::Disabled, QPalette::Text));

    connect(m_plot->xAxis, qOverload<const QCPRange &>(&QCPAxis::rangeChanged), this,
            [this](const QCPRange &range) {
                if (m_settingRange)
                    return;
                m_followLive = false;
                markDirty(Dirty::Rescale);
                emit userTimeRangeChanged(range.lower, range.upper, false);
            });
    // Label spacing needs the axis in its final place: after the layout, before drawing.
    connect(m_plot, &QCustomPlot::afterLayout, this, &ThroughputChart::spaceMarkerLabels);
    connect(m_plot, &QCustomPlot::mouseMove, this, &ThroughputChart::onMouseMove);
    connect(m_plot, &QCustomPlot::mouseDoubleClick, this, [this] {
        followLive();
        emit userTimeRangeChanged(m_from, m_until, true);
    });
    connect(m_plot, &QCustomPlot::legendClick, this,
            [this](QCPLegend *legend, QCPAbstractLegendItem *item, QMouseEvent *) {
                onLegendClick(legend, item);
            });
    m_plot->installEventFilter(this);

    m_flushTimer.setSingleShot(true);
    m_flushTimer.setInterval(kFlushDelayMs);
    connect(&m_flushTimer, &QTimer::timeout, this, &ThroughputChart::flush);
}

ThroughputChart::~ThroughputChart() = default;

QString ThroughputChart::title() const
{
    return m_title->text();
}

void ThroughputChart::setData(const ChartData &data, double fromSeconds, double untilSeconds,
                              int resolutionSeconds)
{
    bool sameSeries = data.series.size() == m_data.series.size();
    for (qsizetype i = 0; sameSeries && i < data.series.size(); ++i)
        sameSeries = data.series[i].name == m_data.series[i].name;
    m_data = data;
    m_from = fromSeconds;
    m_until = untilSeconds;
    m_resolution = resolutionSeconds;
    markDirty(sameSeries && m_plot->graphCount() == data.series.size() ? Dirty::Recalc
                                                                        : Dirty::Rebuild);
}

void ThroughputChart::setMarkers(const QList<OperatorMarker> &markers)
{
    m_markers = markers;
    placeMarkers(); // cheap: a few items; drawn with the next replot
    markDirty(Dirty::Replot);
}

void ThroughputChart::markDirty(Dirty level)
{
    if (level > m_dirty)
        m_dirty = level;
    if (!m_flushTimer.isActive())
        m_flushTimer.start();
}

void ThroughputChart::flushNow()
{
    m_flushTimer.stop();
    flush();
}

void ThroughputChart::flush()
{
    const Dirty level = std::exchange(m_dirty, Dirty::None);
    if (level >= Dirty::Rebuild)
        rebuild();
    if (level >= Dirty::Recalc)
        recalc();
    if (level >= Dirty::Rescale)
        rescaleValues();
    if (level >= Dirty::Replot)
        m_plot->replot(QCustomPlot::rpQueuedReplot);
}

void ThroughputChart::rebuild()
{
    m_plot->clearGraphs();
    for (const ChartSeries &series : std::as_const(m_data.series)) {
        QCPGraph *graph = m_plot->addGraph(m_plot->xAxis,
                                           series.rightAxis ? m_plot->yAxis2 : m_plot->yAxis);
        graph->setName(series.name);
        // One pixel wide: a wider pen goes through QPainter's stroker, and a day of 10 s buckets
        // for twenty models then takes seconds a frame instead of milliseconds (mc-bench-ui).
        QPen pen(seriesColor(series.colorIndex), 1.0);
        if (series.dashed)
            pen.setStyle(Qt::DashLine);
        graph->setPen(pen);
        graph->setVisible(!m_hidden.contains(series.name));
        if (auto *item = m_plot->legend->itemWithPlottable(graph)) {
            // QCustomPlot clips an entry to its box: room below the baseline for "_".
            item->setMargins(QMargins(0, 0, 0, 2));
            item->setTextColor(graph->visible() ? palette().color(QPalette::Text)
                                                : palette().color(QPalette::Disabled,
                                                                  QPalette::Text));
        }
    }
    m_emptyText->setVisible(m_data.series.isEmpty());
    m_plot->yAxis->setLabel(m_data.axisLabel.isEmpty() ? m_data.unit : m_data.axisLabel);
    const bool right = std::any_of(m_data.series.cbegin(), m_data.series.cend(),
                                   [](const ChartSeries &s) { return s.rightAxis; });
    m_plot->yAxis2->setVisible(right);
    m_plot->yAxis2->setLabel(m_data.rightAxisLabel);
    wrapLegend();
}

void ThroughputChart::wrapLegend()
{
    // As many rows as fit the plot's height; further series go into another column.
    const int rowHeight = std::max(10, QFontMetrics(m_plot->legend->font()).height() + 2);
    const int rows = std::max(1, (m_plot->height() - 24) / rowHeight);
    if (m_plot->legend->wrap() != rows) {
        m_plot->legend->setWrap(rows);
        m_plot->legend->setFillOrder(QCPLayoutGrid::foRowsFirst, true); // rearranges
    }
}

void ThroughputChart::recalc()
{
    for (int i = 0; i < m_plot->graphCount() && i < m_data.series.size(); ++i)
        m_plot->graph(i)->setData(m_data.series[i].keys, m_data.series[i].values, true);
    if (m_followLive)
        applyLiveRange();
}

void ThroughputChart::applyLiveRange()
{
    m_settingRange = true;
    m_plot->xAxis->setRange(m_from, std::max(m_until, m_from + m_resolution));
    m_settingRange = false;
    updateTickFormat();
}

void ThroughputChart::rescaleValues()
{
    updateTickFormat();
    for (QCPAxis *axis : {m_plot->yAxis, m_plot->yAxis2}) {
        QCPRange values(0, 0);
        bool any = false;
        for (int i = 0; i < m_plot->graphCount(); ++i) {
            QCPGraph *graph = m_plot->graph(i);
            if (!graph->visible() || graph->valueAxis() != axis)
                continue;
            bool found = false;
            const QCPRange range =
                graph->getValueRange(found, QCP::sdBoth, m_plot->xAxis->range());
            if (!found)
                continue;
            values = any ? QCPRange(std::min(values.lower, range.lower),
                                    std::max(values.upper, range.upper))
                         : range;
            any = true;
        }
        const double upper = any && values.upper > 0 ? values.upper * 1.12 : 1.0;
        axis->setRange(std::min(0.0, values.lower), upper);
    }
}

void ThroughputChart::updateTickFormat()
{
    auto ticker = qSharedPointerDynamicCast<QCPAxisTickerDateTime>(m_plot->xAxis->ticker());
    const double span = m_plot->xAxis->range().size();
    const QString format = span <= 600        ? QStringLiteral("HH:mm:ss")
                           : span <= 36 * 3600 ? QStringLiteral("HH:mm")
                                               : QStringLiteral("ddd d\nHH:mm");
    if (ticker && ticker->dateTimeFormat() != format)
        ticker->setDateTimeFormat(format);
}

void ThroughputChart::placeMarkers()
{
    for (QCPAbstractItem *item : std::as_const(m_markerItems))
        m_plot->removeItem(item);
    m_markerItems.clear();
    QFont small = font();
    small.setPointSizeF(small.pointSizeF() * 0.8);
    for (const OperatorMarker &marker : std::as_const(m_markers)) {
        const double key = double(marker.at) / 1000.0;
        auto *line = new QCPItemStraightLine(m_plot);
        line->setPen(QPen(markerColor(), 1.2, Qt::DashLine));
        line->point1->setCoords(key, 0);
        line->point2->setCoords(key, 1);
        auto *label = new QCPItemText(m_plot);
        label->position->setTypeX(QCPItemPosition::ptPlotCoords);
        label->position->setTypeY(QCPItemPosition::ptAxisRectRatio);
        label->position->setCoords(key, 0.02);
        label->setPositionAlignment(Qt::AlignRight | Qt::AlignTop);
        label->setRotation(-90);
        label->setFont(small);
        label->setColor(markerColor());
        label->setText(marker.label);
        label->setPadding(QMargins(2, 1, 2, 1));
        label->setBrush(QColor(255, 255, 255, 210)); // readable where it crosses the lines
        m_markerItems << line << label;
    }
}

void ThroughputChart::spaceMarkerLabels()
{
    // Labels of actions close together would overlap: keep the first, the others show as lines
    // with their tooltip only.
    const double minGap = QFontMetricsF(font()).height();
    double lastX = -1e9;
    for (QCPAbstractItem *item : std::as_const(m_markerItems)) {
        auto *label = qobject_cast<QCPItemText *>(item);
        if (!label)
            continue;
        const double x = m_plot->xAxis->coordToPixel(label->position->key());
        label->setVisible(x - lastX >= minGap);
        if (label->visible())
            lastX = x;
    }
}

QString ThroughputChart::formatValue(double value) const
{
    if (std::isnan(value))
        return tr("no sample");
    const bool whole = std::abs(value - std::round(value)) < 1e-9;
    return QLocale().toString(value, 'f', whole || std::abs(value) >= 100 ? 0 : 2);
}

QString ThroughputChart::toolTipAt(double key, double pixelTolerance) const
{
    const double x = m_plot->xAxis->coordToPixel(key);
    for (const OperatorMarker &marker : m_markers)
        if (std::abs(m_plot->xAxis->coordToPixel(double(marker.at) / 1000.0) - x)
            <= pixelTolerance)
            return marker.detail;
    if (m_resolution <= 0 || m_data.series.isEmpty() || key < m_from || key >= m_until)
        return {};
    const double bucket = m_from + std::floor((key - m_from) / m_resolution) * m_resolution;
    const QString format = m_until - m_from > 36 * 3600 ? QStringLiteral("ddd d HH:mm:ss")
                                                        : QStringLiteral("HH:mm:ss");
    QStringList lines{QStringLiteral("<b>%1 – %2</b>")
                          .arg(timeText(bucket, format),
                               timeText(bucket + m_resolution, QStringLiteral("HH:mm:ss")))};
    for (int i = 0; i < m_plot->graphCount(); ++i) {
        const QCPGraph *graph = m_plot->graph(i);
        if (!graph->visible())
            continue;
        auto it = graph->data()->findBegin(bucket, false);
        if (it == graph->data()->constEnd() || std::abs(it->key - bucket) > 1e-3)
            continue;
        lines << QStringLiteral("<span style='color:%1'>■</span> %2: %3 %4")
                     .arg(graph->pen().color().name(), graph->name().toHtmlEscaped(),
                          formatValue(it->value), m_data.unit);
    }
    return lines.join(QStringLiteral("<br>"));
}

void ThroughputChart::onMouseMove(QMouseEvent *event)
{
    if (event->buttons() != Qt::NoButton || !m_plot->axisRect()->rect().contains(event->pos())) {
        QToolTip::hideText();
        return;
    }
    const double key = m_plot->xAxis->pixelToCoord(event->position().x());
    const QString text = toolTipAt(key);
    if (text.isEmpty())
        QToolTip::hideText();
    else
        QToolTip::showText(event->globalPosition().toPoint(), text, m_plot);
}

void ThroughputChart::onLegendClick(QCPLegend *, QCPAbstractLegendItem *item)
{
    auto *plottableItem = qobject_cast<QCPPlottableLegendItem *>(item);
    if (!plottableItem)
        return;
    setSeriesVisible(plottableItem->plottable()->name(), !plottableItem->plottable()->visible());
}

QStringList ThroughputChart::seriesNames() const
{
    QStringList names;
    for (const ChartSeries &series : m_data.series)
        names << series.name;
    return names;
}

bool ThroughputChart::isSeriesVisible(const QString &name) const
{
    return seriesNames().contains(name) && !m_hidden.contains(name);
}

void ThroughputChart::setSeriesVisible(const QString &name, bool visible)
{
    if (visible)
        m_hidden.remove(name);
    else
        m_hidden.insert(name);
    for (int i = 0; i < m_plot->graphCount(); ++i) {
        QCPGraph *graph = m_plot->graph(i);
        if (graph->name() != name)
            continue;
        graph->setVisible(visible);
        if (auto *item = m_plot->legend->itemWithPlottable(graph))
            item->setTextColor(visible ? palette().color(QPalette::Text)
                                       : palette().color(QPalette::Disabled, QPalette::Text));
    }
    markDirty(Dirty::Rescale);
}

void ThroughputChart::followLive()
{
    m_followLive = true;
    applyLiveRange();
    markDirty(Dirty::Rescale);
}

void ThroughputChart::showTimeRange(double lower, double upper)
{
    m_followLive = false;
    m_settingRange = true;
    m_plot->xAxis->setRange(lower, upper);
    m_settingRange = false;
    markDirty(Dirty::Rescale);
}

double ThroughputChart::visibleFrom() const
{
    return m_plot->xAxis->range().lower;
}

double ThroughputChart::visibleUntil() const
{
    return m_plot->xAxis->range().upper;
}

bool ThroughputChart::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_plot && event->type() == QEvent::Resize) {
        wrapLegend();
        markDirty(Dirty::Replot);
    }
    if (watched == m_plot && event->type() == QEvent::Leave)
        QToolTip::hideText();
    return QWidget::eventFilter(watched, event);
}

} // namespace mc::widgets
