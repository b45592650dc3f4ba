#pragma once

// The Alerts view: every shared rule with its alert's state, what tripped it and its condition;
// the latest firings below. The selected alert opens its matching view (failures, the queue);
// a lead mutes its notifications for a time, unmutes, disables or enables it (with a reason, in
// the audit log); other roles see those buttons disabled with why.

#include "role_access.h"

#include <QWidget>

class QLabel;
class QPushButton;
class QTableView;

namespace mc {
class AlertHistoryModel;
class AlertRulesModel;
class AlertsMonitor;
class AlertsService;
struct AlertRuleChange;
struct AlertsSnapshot;
}

namespace mc::widgets {

class AlertsPage : public QWidget
{
    Q_OBJECT

public:
    AlertsPage(AlertsMonitor *monitor, AlertsService *service, QWidget *parent = nullptr);

    void setAccess(const RoleAccess &access);
    void selectRule(const QString &rule);

    QTableView *rulesView() const { return m_rules; }
    QTableView *historyView() const { return m_history; }
    QPushButton *muteButton() const { return m_mute; }
    QPushButton *disableButton() const { return m_disable; }

signals:
    void linkRequested(const QString &link); // "failures", "queue:NAME"
    void notice(const QString &text);        // for the status bar

private:
    void show(const AlertsSnapshot &snapshot);
    void updateButtons();
    void change(const QString &title, const QString &what,
                const std::function<void(AlertRuleChange &)> &edit);

    AlertsMonitor *m_monitor;
    AlertsService *m_service;
    AlertRulesModel *m_rulesModel;
    AlertHistoryModel *m_historyModel;
    QLabel *m_summary;
    QTableView *m_rules;
    QTableView *m_history;
    QPushButton *m_open;
    QPushButton *m_mute;
    QPushButton *m_unmute;
    QPushButton *m_disable;
    RoleAccess m_access;
};

} // namespace mc::widgets
