#include "overview_page.h"

#include "kpi_strip.h"
#include "live_overview.h"
#include "message_banner.h"
#include "overview_kpis.h"
#include "overview_charts_panel.h"
#include "progress_bar_delegate.h"
#include "store_session.h"

#include <QAction>
#include <QActionGroup>
#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QTableView>
#include <QToolButton>
#include <QVBoxLayout>

namespace mc::widgets {

namespace {

constexpr int kIntervalsMs[] = {1000, 2000, 5000, 10'000, 30'000};

} // namespace

OverviewPage::OverviewPage(LiveOverview *live, QWidget *parent)
    : QWidget(parent), m_live(live), m_kpis(new KpiStrip(this)),
      m_charts(new OverviewChartsPanel(this)), m_drift(new MessageBanner(this)),
      m_table(new QTableView(this)),
      m_proxy(new QSortFilterProxyModel(this)), m_splitter(new QSplitter(Qt::Vertical, this)),
      m_pause(new QAction(tr("&Pause Live Refresh"), this)),
      m_refresh(new QAction(tr("&Refresh Now"), this)),
      m_wider(new QAction(tr("&Wider Time Range"), this)),
      m_narrower(new QAction(tr("&Narrower Time Range"), this)), m_ranges(new QActionGroup(this))
{
    setObjectName(QStringLiteral("overviewPage"));
    m_pause->setObjectName(QStringLiteral("pauseAction"));
    m_pause->setCheckable(true);
    m_pause->setShortcuts({QKeySequence(Qt::Key_Pause), QKeySequence(Qt::CTRL | Qt::Key_Period)});
    m_pause->setToolTip(tr("Pause live refresh (Pause or Ctrl+.)"));
    m_refresh->setShortcut(QKeySequence::Refresh);
    m_refresh->setToolTip(tr("Refresh now (F5)"));
    m_wider->setShortcut(QKeySequence::ZoomOut);
    m_narrower->setShortcut(QKeySequence::ZoomIn);
    connect(m_pause, &QAction::toggled, m_live, &LiveOverview::setPaused);
    connect(m_refresh, &QAction::triggered, m_live, &LiveOverview::refreshNow);
    connect(m_wider, &QAction::triggered, this, [this] { stepRange(+1); });
    connect(m_narrower, &QAction::triggered, this, [this] { stepRange(-1); });

    const QList<TimeRange> ranges = TimeRange::all();
    for (int i = 0; i < ranges.size(); ++i) {
        auto *action = new QAction(ranges[i].label, m_ranges);
        action->setObjectName(QStringLiteral("range_") + QString(ranges[i].label).remove(QLatin1Char(' ')));
        action->setCheckable(true);
        action->setData(i);
        action->setToolTip(tr("Show the last %1, in buckets of %2 s")
                               .arg(ranges[i].label)
                               .arg(ranges[i].resolutionSeconds));
        connect(action, &QAction::triggered, this,
                [this, range = ranges[i]] { m_live->setRange(range); });
    }

    m_proxy->setSourceModel(live->progressModel());
    m_proxy->setSortRole(ModelProgressModel::SortRole);
    m_table->setModel(m_proxy);
    m_table->setObjectName(QStringLiteral("progressTable"));
    m_table->setItemDelegateForColumn(ModelProgressModel::Progress, new ProgressBarDelegate(this));
    m_table->setSortingEnabled(true);
    m_table->sortByColumn(ModelProgressModel::Order, Qt::AscendingOrder);
    m_table->setAlternatingRowColors(true);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->verticalHeader()->hide();
    m_table->verticalHeader()->setDefaultSectionSize(fontMetrics().height() + 10);
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::Interactive);
    m_table->horizontalHeader()->setStretchLastSection(false);
    m_table->horizontalHeader()->setSectionResizeMode(ModelProgressModel::Progress,
                                                      QHeaderView::Stretch);
    m_table->setColumnWidth(ModelProgressModel::Order, 60);
    m_table->setColumnWidth(ModelProgressModel::ModelName, 150);
    for (int c = ModelProgressModel::RecordsTotal; c <= ModelProgressModel::Failed; ++c)
        m_table->setColumnWidth(c, 110);
    m_table->setColumnWidth(ModelProgressModel::FailurePercent, 90);

    m_splitter->setObjectName(QStringLiteral("overviewSplitter"));
    m_splitter->addWidget(m_charts);
    m_splitter->addWidget(m_table);
    m_splitter->setStretchFactor(0, 3);
    m_splitter->setStretchFactor(1, 1);
    // Room for the charts and about nine table rows, until the operator moves the handle.
    m_splitter->setSizes({560, (fontMetrics().height() + 10) * 9 + 30});
    m_splitter->setChildrenCollapsible(false);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(8, 6, 8, 6);
    layout->setSpacing(6);
    layout->addWidget(createToolBar());
    m_drift->setObjectName(QStringLiteral("counterDriftBanner"));
    layout->addWidget(m_drift);
    layout->addWidget(m_kpis);
    layout->addWidget(m_splitter, 1);

    connect(live, &LiveOverview::snapshotChanged, this, &OverviewPage::showSnapshot);
    connect(live, &LiveOverview::throughputChanged, this, &OverviewPage::showThroughput);
    connect(live, &LiveOverview::markersChanged, this,
            [this] { m_charts->showMarkers(m_live->markers()); });
    connect(live, &LiveOverview::rangeChanged, this, &OverviewPage::showRange);
    connect(live, &LiveOverview::pausedChanged, this, &OverviewPage::showLiveState);
    connect(live, &LiveOverview::intervalChanged, this, &OverviewPage::showLiveState);
    connect(live->session(), &StoreSession::statusChanged, this, &OverviewPage::showLiveState);
    showRange();
    showLiveState();
    showSnapshot();
    showThroughput();
}

QWidget *OverviewPage::createToolBar()
{
    auto *bar = new QWidget(this);
    auto *row = new QHBoxLayout(bar);
    row->setContentsMargins(0, 0, 0, 0);
    row->setSpacing(4);
    row->addWidget(new QLabel(tr("Time range:"), bar));
    for (QAction *action : m_ranges->actions()) {
        auto *button = new QToolButton(bar);
        button->setDefaultAction(action);
        button->setAutoRaise(false);
        button->setMinimumWidth(44);
        row->addWidget(button);
    }
    row->addSpacing(16);
    auto *pause = new QToolButton(bar);
    pause->setDefaultAction(m_pause);
    pause->setText(tr("Pause"));
    pause->setMinimumWidth(64);
    auto *refresh = new QToolButton(bar);
    refresh->setDefaultAction(m_refresh);
    refresh->setText(tr("Refresh"));
    row->addWidget(pause);
    row->addWidget(refresh);
    row->addSpacing(8);
    row->addWidget(new QLabel(tr("every"), bar));
    m_interval = new QComboBox(bar);
    m_interval->setObjectName(QStringLiteral("refreshInterval"));
    for (int ms : kIntervalsMs)
        m_interval->addItem(tr("%1 s").arg(ms / 1000), ms);
    connect(m_interval, &QComboBox::activated, this,
            [this](int index) { m_live->setIntervalMs(m_interval->itemData(index).toInt()); });
    row->addWidget(m_interval);
    row->addSpacing(8);
    m_liveLabel = new QLabel(bar);
    m_liveLabel->setObjectName(QStringLiteral("liveLabel"));
    row->addWidget(m_liveLabel);
    row->addStretch(1);
    return bar;
}

QList<QAction *> OverviewPage::rangeActions() const
{
    return m_ranges->actions();
}

void OverviewPage::showSnapshot()
{
    if (m_live->hasSnapshot())
        m_kpis->showKpis(m_live->kpis());
    else
        m_kpis->showNothing();
    // An impossible figure is never shown silently: the banner names it and points to Verify.
    const QStringList impossible =
        m_live->hasSnapshot() ? impossibleFigures(m_live->snapshot()) : QStringList();
    if (impossible.isEmpty())
        m_drift->clearMessage();
    else
        m_drift->showMessage(MessageBanner::Kind::Warning, counterDriftText(impossible));
}

void OverviewPage::showThroughput()
{
    m_charts->showCharts(m_live->charts());
}

void OverviewPage::showRange()
{
    const QList<TimeRange> ranges = TimeRange::all();
    for (QAction *action : m_ranges->actions())
        action->setChecked(ranges.value(action->data().toInt()) == m_live->range());
    m_charts->followLive();
    showLiveState();
}

void OverviewPage::stepRange(int step)
{
    const QList<TimeRange> ranges = TimeRange::all();
    const int current = int(ranges.indexOf(m_live->range()));
    const int next = std::clamp(current + step, 0, int(ranges.size()) - 1);
    m_live->setRange(ranges[next]);
}

void OverviewPage::showLiveState()
{
    {
        const QSignalBlocker block(m_pause);
        m_pause->setChecked(m_live->isPaused());
    }
    const int index = m_interval->findData(m_live->intervalMs());
    if (index >= 0)
        m_interval->setCurrentIndex(index);
    const ConnectionStatus &status = m_live->session()->status();
    if (m_live->isPaused())
        m_liveLabel->setText(tr("<b style='color:#b06000'>Paused</b>"));
    else if (status.isConnected())
        m_liveLabel->setText(tr("<span style='color:#2e9d4a'>●</span> Live"));
    else if (status.lastRefresh && m_live->hasSnapshot())
        m_liveLabel->setText(tr("<span style='color:#d03b3b'>○</span> Not live: figures from %1")
                                 .arg(status.lastRefresh->toString(QStringLiteral("HH:mm:ss"))));
    else
        m_liveLabel->setText(tr("<span style='color:#999999'>○</span> Not connected"));
}

QByteArray OverviewPage::saveState() const
{
    return m_splitter->saveState();
}

bool OverviewPage::restoreState(const QByteArray &state)
{
    return m_splitter->restoreState(state);
}

} // namespace mc::widgets
