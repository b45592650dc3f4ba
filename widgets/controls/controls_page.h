#pragma once

// The Controls view, for the migration lead: the queues' live settings (parallelism, run
// frequency, max attempts, pause) with staged edits applied by an explicit Apply…, and each
// portal's rollout percentage with a preview before apply. Every write asks for a reason, is
// guarded by the row's version, and shows a conflict with another operator's change instead of
// overwriting it.
//
// The page refreshes every 2 s (a setting) through the controls service, never touching staged
// edits, and at once when an AuditWatcher reports a queue or rollout change.

#include "operations.h"
#include "role_access.h"

#include <QMap>
#include <QPointer>
#include <QWidget>

class QComboBox;
class QLabel;
class QPushButton;
class QSplitter;
class QTimer;
class QVBoxLayout;

namespace mc {
class AuditWatcher;
class ControlsService;
}

namespace mc::widgets {

class MessageBanner;
class QueueEditor;
class RolloutEditor;

class ControlsPage : public QWidget
{
    Q_OBJECT

public:
    static constexpr int kDefaultRefreshMs = 2000;

    // Shows the service's database; a closed one clears the view.
    explicit ControlsPage(ControlsService *service, QWidget *parent = nullptr);
    ~ControlsPage() override;

    // Refreshes at once when the watcher reports a queue or rollout change (optional).
    void setAuditWatcher(AuditWatcher *watcher);
    // Who this console acts as in the audit log; Operator::fromEnvironment() by default.
    void setOperator(const Operator &by);
    // What the login may do: actions its role may not take are disabled with why.
    void setAccess(const RoleAccess &access);
    void setRefreshIntervalMs(int ms); // remembered in the settings
    int refreshIntervalMs() const;
    void refreshNow();

    QueueEditor *queueEditor() const { return m_queues; }
    QList<RolloutEditor *> rolloutEditors() const;
    RolloutEditor *rolloutEditor(const QString &flag, const QString &portal) const;
    QPushButton *refreshButton() const { return m_refresh; }
    MessageBanner *banner() const { return m_banner; }
    bool isConnected() const { return m_connected; }

signals:
    // Our own change went through: one line for the status bar.
    void notice(const QString &text);
    void rampRequested(const QString &flag, const QString &portal, int fromBasisPoints,
                       int toBasisPoints);
    // A fresh overview is shown (after every refresh that succeeded).
    void refreshed();

private:
    QWidget *createToolBar();
    void poll();
    void showSnapshot(const OverviewSnapshot &snapshot);
    void showRollout(const QList<RolloutFlag> &flags);
    void setConnected(bool connected);
    void databaseChanged(bool open);
    void fitQueues();
    RolloutEditor *addRolloutEditor(const RolloutFlag &flag);

    ControlsService *m_service;
    QTimer *m_timer;
    QueueEditor *m_queues;
    QWidget *m_queuesBox = nullptr;
    QSplitter *m_splitter = nullptr;
    MessageBanner *m_banner;
    QWidget *m_rolloutBox;
    QVBoxLayout *m_rolloutLayout;
    QLabel *m_noRollout;
    QMap<QString, RolloutEditor *> m_rollouts; // by "flag:portal"
    QComboBox *m_interval = nullptr;
    QPushButton *m_refresh = nullptr;
    QLabel *m_status = nullptr;
    QPointer<AuditWatcher> m_watcher;
    QMetaObject::Connection m_watcherConnection;
    Operator m_by;
    RoleAccess m_access;
    bool m_inFlight = false;
    bool m_again = false;
    bool m_connected = false;
    bool m_fitted = false; // the splitter was fitted to the queues after connecting
};

} // namespace mc::widgets
