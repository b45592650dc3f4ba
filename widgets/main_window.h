#pragma once

// The console's main window: navigation between the views, menus and shortcuts, the connection
// in the status bar, the connect dialog, and window layout kept across runs.

#include "role_access.h"
#include "session_types.h"

#include <QMainWindow>

class QLabel;
class QListWidget;
class QSplitter;
class QStackedWidget;

namespace mc {
class AlertsMonitor;
class AlertsService;
class AuditService;
class AuditWatcher;
class ControlsService;
class Database;
class FailuresService;
class LiveOverview;
class PlanExecutor;
class PlansService;
class PasswordKeychain;
class UsersService;
struct ConnectionStatus;
}

namespace mc::widgets {

class AlertsPage;
class AlertStatusButton;
class AuditPage;
class DesktopNotifier;
class ConnectionIndicator;
class EnvironmentBanner;
class ControlsPage;
class FailuresPage;
class OverviewPage;
class GuardedPlanDialog;
class PlansPage;
class UsersPage;

class MainWindow : public QMainWindow
{
    Q_OBJECT

public:
    enum class Page { Overview, Failures, Users, Controls, Audit, Plans, Alerts };

    // The views show `database`; `live` is the overview's refresher on its polling connection.
    MainWindow(Database *database, LiveOverview *live, QWidget *parent = nullptr);
    ~MainWindow() override;

    void connectTo(const QString &url); // and remember it (without its password)
    // connectTo, with the password the keychain remembers for the URL's server when the URL has
    // none (the keychain is asked without waiting; no answer or no service: as given).
    void connectRemembering(const QString &url);
    void askForConnection();            // the connect dialog

    void showPage(Page page);
    Page currentPage() const;

    OverviewPage *overviewPage() const { return m_overview; }
    FailuresPage *failuresPage() const { return m_failures; }
    UsersPage *usersPage() const { return m_users; }
    ControlsPage *controlsPage() const { return m_controls; }
    AuditPage *auditPage() const { return m_audit; }
    PlansPage *plansPage() const { return m_plans; }
    AlertsPage *alertsPage() const { return m_alerts; }
    AlertStatusButton *alertStatus() const { return m_alertStatus; }
    AlertsMonitor *alertsMonitor() const { return m_alertsMonitor; }
    DesktopNotifier *notifier() const { return m_notifier; }
    // Where an alert points ("failures", "queue:NAME", "plans"): the window comes forward there.
    void openAlertLink(const QString &link);
    ConnectionIndicator *connectionIndicator() const { return m_indicator; }
    QLabel *roleLabel() const { return m_role; }
    EnvironmentBanner *environmentBanner() const { return m_banner; }
    QAction *readOnlyAction() const { return m_readOnlyAction; }
    QAction *verifyCountersAction() const { return m_verifyAction; }

    void restoreSettings(); // geometry, splitters, page, range, refresh interval
    void saveSettings() const;

protected:
    void closeEvent(QCloseEvent *event) override;

private:
    void createPages();
    void wirePages();
    void createMenus();
    void showStatus(const ConnectionStatus &status);
    void showRequestError(RequestKind kind, const StoreError &error);
    void showAbout();
    void applyAccess(const RoleAccess &access);
    void openVerifyCounters();
    void openPlanDialog(GuardedPlanDialog *dialog);

    Database *m_database;
    LiveOverview *m_live;
    FailuresService *m_failuresService;
    UsersService *m_usersService;
    ControlsService *m_controlsService;
    AuditService *m_auditService;
    PlansService *m_plansService;
    PlanExecutor *m_executor;
    AlertsService *m_alertsService;
    AlertsMonitor *m_alertsMonitor;
    DesktopNotifier *m_notifier;
    QSplitter *m_splitter;
    QListWidget *m_navigation;
    QStackedWidget *m_pages;
    OverviewPage *m_overview = nullptr;
    FailuresPage *m_failures = nullptr;
    UsersPage *m_users = nullptr;
    ControlsPage *m_controls = nullptr;
    AuditPage *m_audit = nullptr;
    PlansPage *m_plans = nullptr;
    AlertsPage *m_alerts = nullptr;
    ConnectionIndicator *m_indicator;
    EnvironmentBanner *m_banner;
    AlertStatusButton *m_alertStatus;
    QAction *m_readOnlyAction = nullptr;
    PasswordKeychain *m_keychain = nullptr; // remembered passwords, for the connect dialog
    bool m_readOnlySession = false;
    AuditWatcher *m_watcher;
    QAction *m_verifyAction = nullptr;
    QLabel *m_role;
};

} // namespace mc::widgets
