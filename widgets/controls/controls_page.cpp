#include "controls_page.h"

#include "audit_watcher.h"
#include "message_banner.h"
#include "queue_editor.h"
#include "queue_settings_model.h"
#include "rollout_editor.h"
#include "controls_service.h"

#include <QComboBox>
#include <QDateTime>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QScrollArea>
#include <QSettings>
#include <QSplitter>
#include <QTimer>
#include <QVBoxLayout>

namespace mc::widgets {

namespace {

constexpr int kIntervalsMs[] = {1000, 2000, 5000, 10'000, 30'000};
const QString kIntervalKey = QStringLiteral("controls/refreshIntervalMs");

QString key(const QString &flag, const QString &portal)
{
    return flag + QLatin1Char(':') + portal;
}

} // namespace

ControlsPage::ControlsPage(ControlsService *service, QWidget *parent)
    : QWidget(parent), m_service(service), m_timer(new QTimer(this)),
      m_queues(new QueueEditor(service, this)), m_banner(new MessageBanner(this)),
      m_rolloutBox(new QWidget(this)), m_rolloutLayout(new QVBoxLayout(m_rolloutBox)),
      m_noRollout(new QLabel(tr("No rollout flags."), m_rolloutBox)),
      m_by(Operator::fromEnvironment())
{
    setObjectName(QStringLiteral("controlsPage"));
    m_banner->setObjectName(QStringLiteral("controlsBanner"));
    m_timer->setInterval(
        QSettings().value(kIntervalKey, kDefaultRefreshMs).toInt());
    connect(m_timer, &QTimer::timeout, this, &ControlsPage::poll);
    connect(m_queues, &QueueEditor::refreshRequested, this, &ControlsPage::refreshNow);
    connect(m_queues, &QueueEditor::changed, this, &ControlsPage::notice);
    // Every queue in sight, the rest for the rollout; a message above the table makes room
    // for itself instead of hiding rows.
    connect(m_queues, &QueueEditor::preferredHeightChanged, this, [this] {
        QTimer::singleShot(0, this, &ControlsPage::fitQueues);
    });

    auto *queues = new QGroupBox(tr("Queues"), this);
    auto *queuesLayout = new QVBoxLayout(queues);
    queuesLayout->addWidget(m_queues);

    m_rolloutLayout->setContentsMargins(0, 0, 0, 0);
    m_rolloutLayout->setSpacing(8);
    m_noRollout->setForegroundRole(QPalette::PlaceholderText);
    m_rolloutLayout->addWidget(m_noRollout);
    m_rolloutLayout->addStretch(1);
    auto *scroll = new QScrollArea(this);
    scroll->setWidget(m_rolloutBox);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    auto *rollout = new QGroupBox(tr("Rollout: share of each portal's users admitted"), this);
    auto *rolloutLayout = new QVBoxLayout(rollout);
    rolloutLayout->addWidget(scroll);

    m_queuesBox = queues;
    m_splitter = new QSplitter(Qt::Vertical, this);
    m_splitter->setObjectName(QStringLiteral("controlsSplitter"));
    m_splitter->addWidget(queues);
    m_splitter->addWidget(rollout);
    m_splitter->setChildrenCollapsible(false);
    m_splitter->setStretchFactor(0, 0);
    m_splitter->setStretchFactor(1, 1);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(8, 6, 8, 6);
    layout->setSpacing(6);
    layout->addWidget(createToolBar());
    layout->addWidget(m_banner);
    layout->addWidget(m_splitter, 1);
    setConnected(false);
    connect(service, &FeatureService::connectionChanged, this, &ControlsPage::databaseChanged);
    if (service->isConnected())
        databaseChanged(true);
}

ControlsPage::~ControlsPage() = default;

QWidget *ControlsPage::createToolBar()
{
    auto *bar = new QWidget(this);
    auto *row = new QHBoxLayout(bar);
    row->setContentsMargins(0, 0, 0, 0);
    row->setSpacing(6);
    m_refresh = new QPushButton(tr("Refresh"), bar);
    m_refresh->setObjectName(QStringLiteral("refreshButton"));
    m_refresh->setShortcut(QKeySequence::Refresh);
    m_refresh->setToolTip(tr("Refresh now (F5); staged edits stay"));
    connect(m_refresh, &QPushButton::clicked, this, &ControlsPage::refreshNow);
    row->addWidget(m_refresh);
    row->addWidget(new QLabel(tr("every"), bar));
    m_interval = new QComboBox(bar);
    m_interval->setObjectName(QStringLiteral("refreshInterval"));
    for (int ms : kIntervalsMs)
        m_interval->addItem(tr("%1 s").arg(ms / 1000), ms);
    m_interval->setCurrentIndex(std::max(0, m_interval->findData(m_timer->interval())));
    connect(m_interval, &QComboBox::activated, this,
            [this](int index) { setRefreshIntervalMs(m_interval->itemData(index).toInt()); });
    row->addWidget(m_interval);
    row->addSpacing(10);
    m_status = new QLabel(bar);
    m_status->setObjectName(QStringLiteral("refreshStatus"));
    m_status->setForegroundRole(QPalette::PlaceholderText);
    row->addWidget(m_status, 1);
    return bar;
}

void ControlsPage::databaseChanged(bool open)
{
    m_fitted = false;
    m_timer->stop();
    m_inFlight = false;
    m_again = false;
    m_queues->clear();
    for (RolloutEditor *editor : std::as_const(m_rollouts))
        delete editor;
    m_rollouts.clear();
    m_noRollout->show();
    m_banner->clearMessage();
    setConnected(false);
    if (!open) {
        m_status->setText(tr("Not connected to a merge database."));
        return;
    }
    m_status->setText(tr("Connecting…"));
    m_timer->start();
    poll();
}

void ControlsPage::setAuditWatcher(AuditWatcher *watcher)
{
    disconnect(m_watcherConnection);
    m_watcher = watcher;
    if (!watcher)
        return;
    m_watcherConnection =
        connect(watcher, &AuditWatcher::newEntries, this, [this](const QList<AuditEntry> &entries) {
            for (const AuditEntry &entry : entries)
                if (entry.action == QLatin1String("set_queue")
                    || entry.action == QLatin1String("set_rollout")) {
                    refreshNow();
                    return;
                }
        });
}

void ControlsPage::setAccess(const RoleAccess &access)
{
    m_access = access;
    m_queues->setAccess(access);
    for (RolloutEditor *editor : std::as_const(m_rollouts))
        editor->setAccess(access);
}

void ControlsPage::setOperator(const Operator &by)
{
    m_by = by;
    m_queues->setOperator(by);
    for (RolloutEditor *editor : std::as_const(m_rollouts))
        editor->setOperator(by);
}

void ControlsPage::setRefreshIntervalMs(int ms)
{
    ms = std::max(200, ms);
    m_timer->setInterval(ms);
    QSettings().setValue(kIntervalKey, ms);
    const int index = m_interval->findData(ms);
    if (index >= 0)
        m_interval->setCurrentIndex(index);
}

int ControlsPage::refreshIntervalMs() const
{
    return m_timer->interval();
}

void ControlsPage::refreshNow()
{
    if (!m_service->isConnected())
        return;
    if (m_inFlight) {
        m_again = true; // the answer on its way may predate what prompted this
        return;
    }
    m_timer->start(); // the next tick counts from now
    poll();
}

void ControlsPage::poll()
{
    if (!m_service->isConnected() || m_inFlight)
        return;
    m_inFlight = true;
    m_service->readSettings(
        this,
        [this](const Result<OverviewSnapshot> &result) {
            m_inFlight = false;
            if (result) {
                if (m_banner->kind() == MessageBanner::Kind::Error)
                    m_banner->clearMessage();
                setConnected(true);
                showSnapshot(*result);
                m_status->setText(tr("Updated %1")
                                      .arg(QDateTime::currentDateTime().toString(
                                          QStringLiteral("HH:mm:ss"))));
                emit refreshed();
            } else {
                if (result.error().kind == StoreError::Kind::Connection)
                    setConnected(false);
                m_banner->showMessage(MessageBanner::Kind::Error,
                                      tr("Could not read the queues and rollout flags: %1")
                                          .arg(result.error().message));
                m_status->setText(tr("Refresh failed; retrying"));
            }
            if (m_again) {
                m_again = false;
                poll();
            }
        });
}

void ControlsPage::showSnapshot(const OverviewSnapshot &snapshot)
{
    m_queues->showQueues(snapshot.queues);
    showRollout(snapshot.rollout);
    if (!m_fitted)
        fitQueues(); // once shown and laid out
}

void ControlsPage::showRollout(const QList<RolloutFlag> &flags)
{
    QStringList seen;
    for (const RolloutFlag &flag : flags) {
        const QString id = key(flag.flag, flag.portal);
        seen << id;
        RolloutEditor *editor = m_rollouts.value(id);
        if (!editor)
            editor = addRolloutEditor(flag);
        editor->showFlag(flag);
    }
    for (auto it = m_rollouts.begin(); it != m_rollouts.end();) {
        if (seen.contains(it.key())) {
            ++it;
        } else {
            delete it.value();
            it = m_rollouts.erase(it);
        }
    }
    m_noRollout->setVisible(m_rollouts.isEmpty());
}

RolloutEditor *ControlsPage::addRolloutEditor(const RolloutFlag &flag)
{
    auto *editor = new RolloutEditor(m_service, flag, m_rolloutBox);
    editor->setOperator(m_by);
    editor->setAccess(m_access);
    editor->setConnected(m_connected);
    connect(editor, &RolloutEditor::refreshRequested, this, &ControlsPage::refreshNow);
    connect(editor, &RolloutEditor::changed, this, &ControlsPage::notice);
    connect(editor, &RolloutEditor::rampRequested, this, &ControlsPage::rampRequested);
    // In the overview's order: before the stretch at the end.
    m_rolloutLayout->insertWidget(m_rolloutLayout->count() - 1, editor);
    m_rollouts.insert(key(flag.flag, flag.portal), editor);
    return editor;
}

void ControlsPage::setConnected(bool connected)
{
    m_connected = connected;
    m_queues->setConnected(connected);
    for (RolloutEditor *editor : std::as_const(m_rollouts))
        editor->setConnected(connected);
    m_refresh->setEnabled(m_service->isConnected());
}

void ControlsPage::fitQueues()
{
    const QList<int> sizes = m_splitter->sizes();
    const int wanted = m_queues->preferredHeight() + m_queuesBox->height() - m_queues->height();
    const int total = sizes.value(0) + sizes.value(1);
    if (m_queues->model()->rowCount() == 0 || total < wanted + 100
        || (m_fitted && sizes.value(0) >= wanted))
        return;
    m_fitted = true;
    m_splitter->setSizes({wanted, total - wanted});
}

QList<RolloutEditor *> ControlsPage::rolloutEditors() const
{
    return m_rollouts.values();
}

RolloutEditor *ControlsPage::rolloutEditor(const QString &flag, const QString &portal) const
{
    return m_rollouts.value(key(flag, portal));
}

} // namespace mc::widgets
