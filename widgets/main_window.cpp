#include "main_window.h"

#include "alert_status_button.h"
#include "alerts_monitor.h"
#include "alerts_page.h"
#include "alerts_service.h"
#include "audit_page.h"
#include "audit_service.h"
#include "audit_watcher.h"
#include "connect_dialog.h"
#include "connection_indicator.h"
#include "connection_profile.h"
#include "connection_url.h"
#include "password_keychain.h"
#include "url_secret.h"
#include "controls_page.h"
#include "controls_service.h"
#include "database.h"
#include "desktop_notifier.h"
#include "environment_banner.h"
#include "export_dialog.h"
#include "failure_dialog.h"
#include "failures_page.h"
#include "failures_service.h"
#include "live_overview.h"
#include "overview_page.h"
#include "guarded_plan_dialog.h"
#include "plan_executor.h"
#include "plans_page.h"
#include "plans_service.h"
#include "recent_urls.h"
#include "retry_all_dialog.h"
#include "store_session.h"
#include "users_page.h"
#include "users_service.h"
#include "verify_counters_dialog.h"

#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QLabel>
#include <QListWidget>
#include <QMenuBar>
#include <QMessageBox>
#include <QSettings>
#include <QSplitter>
#include <QStackedWidget>
#include <QStatusBar>
#include <QVBoxLayout>

namespace mc::widgets {

namespace {

constexpr int kErrorMessageMs = 15'000;
constexpr int kNoticeMs = 10'000;

} // namespace

MainWindow::MainWindow(Database *database, LiveOverview *live, QWidget *parent)
    : QMainWindow(parent), m_database(database), m_live(live),
      m_failuresService(new FailuresService(database, this)),
      m_usersService(new UsersService(database, this)),
      m_controlsService(new ControlsService(database, this)),
      m_auditService(new AuditService(database, this)),
      m_plansService(new PlansService(database, this)),
      m_executor(new PlanExecutor(m_plansService, this)),
      m_alertsService(new AlertsService(database, this)),
      m_alertsMonitor(new AlertsMonitor(database, m_alertsService, this)),
      m_notifier(new DesktopNotifier(this)),
      m_splitter(new QSplitter(Qt::Horizontal, this)), m_navigation(new QListWidget(this)),
      m_pages(new QStackedWidget(this)), m_indicator(new ConnectionIndicator(this)),
      m_banner(new EnvironmentBanner(this)),
      m_alertStatus(new AlertStatusButton(this)),
      m_watcher(new AuditWatcher(m_auditService, this)), m_role(new QLabel(this))
{
    m_keychain = new PasswordKeychain(this);
    connect(m_keychain, &PasswordKeychain::failed, this, [this](const QString &, const QString &why) {
        statusBar()->showMessage(tr("Keychain: %1 (the password is asked instead).")
                                     .arg(why),
                                 kNoticeMs);
    });
    StoreSession *session = database->polling();
    setObjectName(QStringLiteral("mainWindow"));
    setWindowTitle(tr("Migration Console"));
    createPages();
    createMenus();

    m_splitter->setObjectName(QStringLiteral("navigationSplitter"));
    m_splitter->addWidget(m_navigation);
    m_splitter->addWidget(m_pages);
    m_splitter->setStretchFactor(1, 1);
    m_splitter->setCollapsible(1, false);
    m_splitter->setSizes({150, 1000});
    // The environment banner stays above every view.
    auto *central = new QWidget(this);
    auto *centralLayout = new QVBoxLayout(central);
    centralLayout->setContentsMargins(0, 0, 0, 0);
    centralLayout->setSpacing(0);
    centralLayout->addWidget(m_banner);
    centralLayout->addWidget(m_splitter, 1);
    setCentralWidget(central);

    statusBar()->addPermanentWidget(m_alertStatus);
    statusBar()->addPermanentWidget(m_indicator, 1);
    m_role->setObjectName(QStringLiteral("roleLabel"));
    statusBar()->addPermanentWidget(m_role);
    connect(database, &Database::accessChanged, this, &MainWindow::applyAccess);
    applyAccess(database->access());
    connect(session, &StoreSession::statusChanged, this, &MainWindow::showStatus);
    connect(session, &StoreSession::requestFailed, this, &MainWindow::showRequestError);
    connect(session, &StoreSession::opened, this, [this](const QString &url) {
        setWindowTitle(tr("%1 — Migration Console").arg(url));
    });
    showStatus(session->status());
    resize(1360, 860);
}

MainWindow::~MainWindow() = default;

void MainWindow::applyAccess(const RoleAccess &access)
{
    // "alice · support": who the server says this is, and the role that decides what is enabled.
    m_role->setText(access.known ? QStringLiteral("%1 · %2").arg(access.login, access.roleLabel())
                                 : QString());
    QStringList may;
    for (RoleAction action : RoleAccess::actions())
        if (access.known)
            may << QStringLiteral("%1: %2").arg(RoleAccess::key(action),
                                                access.may(action) ? tr("yes")
                                                                   : access.whyNot(action));
    m_role->setToolTip(may.join(QLatin1Char('\n')));
    m_failures->setAccess(access);
    m_users->setAccess(access);
    m_controls->setAccess(access);
    m_plans->setAccess(access);
    m_alerts->setAccess(access);
    m_verifyAction->setToolTip(access.may(RoleAction::RepairCounters)
                                   ? tr("Check every counter, and repair those that drifted")
                                   : tr("Check every counter (repair: %1)")
                                         .arg(access.whyNot(RoleAction::RepairCounters)));
}

void MainWindow::createPages()
{
    struct Entry
    {
        QString name;
        QWidget *page;
    };
    m_overview = new OverviewPage(m_live, this);
    m_failures = new FailuresPage(m_failuresService, this);
    m_users = new UsersPage(m_usersService, this);
    m_controls = new ControlsPage(m_controlsService, this);
    m_audit = new AuditPage(m_auditService, this);
    m_plans = new PlansPage(m_plansService, m_executor, this);
    m_alerts = new AlertsPage(m_alertsMonitor, m_alertsService, this);
    const Entry entries[] = {
        {tr("Overview"), m_overview},
        {tr("Failures"), m_failures},
        {tr("Users"), m_users},
        {tr("Controls"), m_controls},
        {tr("Audit"), m_audit},
        {tr("Plans"), m_plans},
        {tr("Alerts"), m_alerts},
    };
    wirePages();
    m_navigation->setObjectName(QStringLiteral("navigation"));
    m_navigation->setMinimumWidth(110);
    QFont font = m_navigation->font();
    font.setPointSizeF(font.pointSizeF() * 1.1);
    m_navigation->setFont(font);
    m_navigation->setSpacing(2);
    for (const Entry &entry : entries) {
        m_navigation->addItem(entry.name);
        m_pages->addWidget(entry.page);
    }
    connect(m_navigation, &QListWidget::currentRowChanged, m_pages,
            &QStackedWidget::setCurrentIndex);
    m_navigation->setCurrentRow(0);
}

void MainWindow::wirePages()
{
    // Cross-view navigation: a failure's user opens in Users, a user's failure in a window.
    connect(m_failures, &FailuresPage::userRequested, this, [this](const UserKey &user) {
        m_users->showUser(user);
        showPage(Page::Users);
    });
    connect(m_users, &UsersPage::failureRequested, this, [this](qint64 id) {
        auto *dialog = new FailureDialog(m_failuresService, id, this);
        dialog->setAttribute(Qt::WA_DeleteOnClose);
        dialog->show();
    });
    // The bulk actions on the Failures view's filter, each in its own dialog, on the bulk
    // connection.
    connect(m_failures, &FailuresPage::retryAllRequested, this, [this](const FailureFilter &f) {
        auto *dialog = new RetryAllDialog(m_failuresService, f, this);
        dialog->setAttribute(Qt::WA_DeleteOnClose);
        connect(dialog, &RetryAllDialog::retryEnded, m_failures, &FailuresPage::refresh);
        connect(dialog, &RetryAllDialog::guardedPlanRequested, this,
                [this](const FailureFilter &filter) {
                    openPlanDialog(new GuardedPlanDialog(m_plansService, filter, this));
                });
        dialog->open();
    });
    connect(m_failures, &FailuresPage::exportRequested, this, [this](const FailureFilter &f) {
        auto *dialog = new ExportDialog(m_failuresService, f, this);
        dialog->setAttribute(Qt::WA_DeleteOnClose);
        dialog->open();
    });
    // Changes by anyone (another console, migctl, this one) show as a notice within a poll, and
    // the views that show settings or the log refresh.
    m_controls->setAuditWatcher(m_watcher);
    connect(m_watcher, &AuditWatcher::notice, this, [this](const QString &text) {
        statusBar()->showMessage(text, kNoticeMs);
    });
    connect(m_watcher, &AuditWatcher::newEntries, m_audit, &AuditPage::refresh);
    connect(m_controls, &ControlsPage::notice, this, [this](const QString &text) {
        statusBar()->showMessage(text, kNoticeMs);
    });
    connect(m_controls, &ControlsPage::rampRequested, this,
            [this](const QString &flag, const QString &portal, int from, int to) {
                openPlanDialog(new GuardedPlanDialog(m_plansService, flag, portal, from, to, this));
            });
    connect(m_plans, &PlansPage::notice, this, [this](const QString &text) {
        statusBar()->showMessage(text, kNoticeMs);
    });
    // Alerts: every console evaluates them; the status bar shows what fires, a firing this
    // login was not told of yet becomes a desktop notification, whose action opens its view.
    connect(m_alertsMonitor, &AlertsMonitor::changed, this,
            [this] { m_alertStatus->showFiring(m_alertsMonitor->firing()); });
    connect(m_alertStatus, &QToolButton::clicked, this, [this] { showPage(Page::Alerts); });
    connect(m_alertsMonitor, &AlertsMonitor::notify, m_notifier, &DesktopNotifier::show);
    connect(m_notifier, &DesktopNotifier::activated, this, &MainWindow::openAlertLink);
    connect(m_alerts, &AlertsPage::linkRequested, this, &MainWindow::openAlertLink);
    connect(m_alerts, &AlertsPage::notice, this, [this](const QString &text) {
        statusBar()->showMessage(text, kNoticeMs);
    });
}

void MainWindow::openPlanDialog(GuardedPlanDialog *dialog)
{
    // A plan made: the Plans view shows it, and the executor (here or elsewhere) takes it on.
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &GuardedPlanDialog::planCreated, this, [this](qint64 id) {
        showPage(Page::Plans);
        m_plans->selectPlan(id);
        statusBar()->showMessage(tr("Plan %1 made; %2").arg(id).arg(m_executor->stateText()),
                                 kNoticeMs);
    });
    dialog->open();
}

void MainWindow::openAlertLink(const QString &link)
{
    if (link == QLatin1String("failures"))
        showPage(Page::Failures);
    else if (link.startsWith(QLatin1String("queue:")))
        showPage(Page::Controls);
    else if (link == QLatin1String("plans"))
        showPage(Page::Plans);
    else
        showPage(Page::Alerts);
    if (isMinimized())
        showNormal();
    raise();
    activateWindow();
}

void MainWindow::createMenus()
{
    QMenu *file = menuBar()->addMenu(tr("&File"));
    QAction *connectAction = file->addAction(tr("&Connect…"), this, &MainWindow::askForConnection);
    m_readOnlyAction = file->addAction(tr("&Read-only session"));
    m_readOnlyAction->setCheckable(true);
    m_readOnlyAction->setToolTip(tr("Connect so that the server refuses every write"));
    connectAction->setShortcut(QKeySequence::Open);
    QAction *reconnect =
        file->addAction(tr("&Reconnect Now"), m_database->polling(), &StoreSession::retryNow);
    reconnect->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_R));
    file->addAction(tr("&Disconnect"), m_database, &Database::close);
    file->addSeparator();
    QAction *quit = file->addAction(tr("&Quit"), this, &QWidget::close);
    quit->setShortcut(QKeySequence::Quit);
    quit->setMenuRole(QAction::QuitRole);

    QMenu *view = menuBar()->addMenu(tr("&View"));
    const QStringList pages{tr("&Overview"), tr("&Failures"), tr("&Users"), tr("&Controls"),
                            tr("&Audit"), tr("&Plans"), tr("A&lerts")};
    for (int i = 0; i < pages.size(); ++i) {
        QAction *action = view->addAction(pages[i], this, [this, i] { showPage(Page(i)); });
        action->setShortcut(QKeySequence(Qt::CTRL | Qt::Key(Qt::Key_1 + i)));
    }
    view->addSeparator();
    QMenu *ranges = view->addMenu(tr("&Time Range"));
    ranges->addActions(m_overview->rangeActions());
    ranges->addSeparator();
    ranges->addAction(m_overview->widerRangeAction());
    ranges->addAction(m_overview->narrowerRangeAction());
    view->addAction(m_overview->pauseAction());
    view->addAction(m_overview->refreshAction());
    view->addSeparator();
    QAction *fullScreen = view->addAction(tr("F&ull Screen"), this, [this](bool on) {
        setWindowState(on ? windowState() | Qt::WindowFullScreen
                          : windowState() & ~Qt::WindowFullScreen);
    });
    fullScreen->setCheckable(true);
    fullScreen->setShortcut(QKeySequence(Qt::Key_F11));

    QMenu *tools = menuBar()->addMenu(tr("&Tools"));
    m_verifyAction = tools->addAction(tr("&Verify Counters…"), this,
                                      &MainWindow::openVerifyCounters);

    QMenu *help = menuBar()->addMenu(tr("&Help"));
    QAction *about = help->addAction(tr("&About Migration Console"), this, &MainWindow::showAbout);
    about->setMenuRole(QAction::AboutRole);
    help->addAction(tr("About &Qt"), qApp, &QApplication::aboutQt)->setMenuRole(
        QAction::AboutQtRole);
}

void MainWindow::connectTo(const QString &url)
{
    QSettings settings;
    RecentUrls(settings).remember(url);
    QString target = url;
    auto parsed = ConnectionUrl::parse(url);
    if (parsed && m_readOnlyAction->isChecked() && !parsed->settings.readOnly) {
        parsed->settings.readOnly = true;
        target = parsed->toString();
    }
    m_readOnlySession = parsed && parsed->settings.readOnly;
    m_database->open(target);
    showPage(Page::Overview);
}

void MainWindow::connectRemembering(const QString &url)
{
    const QString key = PasswordKeychain::keyFor(url);
    if (key.isEmpty() || splitPassword(url).hasPassword
        || m_keychain->availability() == PasswordKeychain::Availability::Unavailable) {
        connectTo(url);
        return;
    }
    // Every read is answered once, with an empty password when none is remembered or the
    // keychain cannot be reached.
    auto *answer = new QObject(this);
    connect(m_keychain, &PasswordKeychain::passwordRead, answer,
            [this, answer, url, key](const QString &readKey, const QString &password) {
                if (readKey != key)
                    return;
                disconnect(m_keychain, nullptr, answer, nullptr);
                answer->deleteLater();
                connectTo(password.isEmpty() ? url : withPassword(url, password));
            });
    m_keychain->read(key);
}

void MainWindow::askForConnection()
{
    QSettings settings;
    ProfileStore profiles(settings);
    ConnectDialog dialog(RecentUrls(settings).urls(), profiles.profiles(), this);
    dialog.setProfileStore(&profiles);
    dialog.setKeychain(m_keychain);
    if (dialog.exec() == QDialog::Accepted)
        connectTo(dialog.url());
}

void MainWindow::showPage(Page page)
{
    m_navigation->setCurrentRow(int(page));
}

MainWindow::Page MainWindow::currentPage() const
{
    return Page(m_pages->currentIndex());
}

void MainWindow::showStatus(const ConnectionStatus &status)
{
    m_banner->showStatus(status, m_readOnlySession);
    m_indicator->showStatus(status);
}

void MainWindow::showRequestError(RequestKind kind, const StoreError &error)
{
    statusBar()->showMessage(tr("The %1 could not be read: %2")
                                 .arg(requestName(kind), error.message.section('\n', 0, 0)),
                             kErrorMessageMs);
}

void MainWindow::openVerifyCounters()
{
    if (!m_database->isOpen()) {
        statusBar()->showMessage(tr("Connect to a merge database first."), kNoticeMs);
        return;
    }
    auto *dialog = new VerifyCountersDialog(m_failuresService, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setAccess(m_database->access());
    connect(dialog, &VerifyCountersDialog::repaired, this, [this] {
        m_failures->refresh();
        m_overview->refreshAction()->trigger(); // the overview reads the repaired counters now
    });
    dialog->open();
}

void MainWindow::showAbout()
{
    QMessageBox::about(
        this, tr("About Migration Console"),
        tr("<h3>Migration Console %1</h3>"
           "<p>Shows where a live, per-user data migration stands — progress per model, "
           "throughput, queue depth, failures — and lets its operators steer it.</p>"
           "<p>Reads the merge database on PostgreSQL or MariaDB/MySQL. Built with Qt %2 and "
           "QCustomPlot.</p>")
            .arg(QCoreApplication::applicationVersion(), QString::fromLatin1(qVersion())));
}

void MainWindow::restoreSettings()
{
    QSettings settings;
    restoreGeometry(settings.value(QStringLiteral("window/geometry")).toByteArray());
    restoreState(settings.value(QStringLiteral("window/state")).toByteArray());
    m_splitter->restoreState(settings.value(QStringLiteral("window/splitter")).toByteArray());
    m_overview->restoreState(settings.value(QStringLiteral("overview/splitter")).toByteArray());
    m_failures->restoreState(settings.value(QStringLiteral("failures/layout")).toByteArray());
    if (auto range = TimeRange::fromLabel(settings.value(QStringLiteral("overview/range")).toString()))
        m_live->setRange(*range);
    const int interval = settings.value(QStringLiteral("overview/intervalMs"), 0).toInt();
    if (interval > 0)
        m_live->setIntervalMs(interval);
}

void MainWindow::saveSettings() const
{
    QSettings settings;
    settings.setValue(QStringLiteral("window/geometry"), saveGeometry());
    settings.setValue(QStringLiteral("window/state"), saveState());
    settings.setValue(QStringLiteral("window/splitter"), m_splitter->saveState());
    settings.setValue(QStringLiteral("overview/splitter"), m_overview->saveState());
    settings.setValue(QStringLiteral("failures/layout"), m_failures->saveState());
    settings.setValue(QStringLiteral("overview/range"), m_live->range().label);
    settings.setValue(QStringLiteral("overview/intervalMs"), m_live->intervalMs());
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    saveSettings();
    event->accept();
}

} // namespace mc::widgets
