#pragma once

// Retrying a pasted list of users: the list is checked as it is typed (every invalid line named),
// the retry asks for a reason and runs in batches on the bulk connection with progress and
// cancel, and the result is one row per pasted line (moved, not failed with its status, not
// found, duplicate, invalid) with totals.

#include "retry_outcomes_model.h"
#include "role_access.h"
#include "user_list.h"
#include "users_service.h"

#include <QTimer>
#include <QWidget>

#include <memory>

class QComboBox;
class QLabel;
class QPlainTextEdit;
class QProgressBar;
class QPushButton;
class QTableView;

namespace mc::widgets {

class UserListPanel : public QWidget
{
    Q_OBJECT

public:
    explicit UserListPanel(UsersService *service, QWidget *parent = nullptr);
    ~UserListPanel() override;

    void setConnected(bool connected);
    void setAccess(const RoleAccess &access); // retrying a list needs mc_support
    void setPortals(const QStringList &portals);

    QPlainTextEdit *listEdit() const { return m_edit; }
    QComboBox *portalBox() const { return m_portal; }
    QPushButton *retryButton() const { return m_retry; }
    QPushButton *cancelButton() const { return m_cancel; }
    QTableView *resultsTable() const { return m_table; }
    QLabel *checkLabel() const { return m_check; }
    QLabel *totalsLabel() const { return m_totals; }
    RetryOutcomesModel *outcomes() const { return m_outcomes; }
    const UserList &list() const { return m_list; }
    bool isRunning() const { return m_running; }

signals:
    void userActivated(const mc::UserKey &user);
    void retryFinished(); // the results table and totals show the outcome

private:
    void checkList();
    void askForReason();
    void retry(const QString &reason);
    void showReport(const Result<RetryReport> &report);
    void showTotals(const QString &prefix);
    void setRunning(bool running);
    void enableRetry(bool enabled); // unless the role may not retry (role_gate.h)

    using Progress = RetryListProgress;

    UsersService *m_service;
    bool m_connected = false;
    UserList m_list;
    RetryOutcomesModel *m_outcomes;
    QPlainTextEdit *m_edit;
    QComboBox *m_portal;
    QLabel *m_check;
    QPushButton *m_retry;
    QPushButton *m_cancel;
    QProgressBar *m_progressBar;
    QTableView *m_table;
    QLabel *m_totals;
    QTimer m_progressTimer;
    std::shared_ptr<Progress> m_progress;
    bool m_running = false;
    RoleAccess m_access;
};

} // namespace mc::widgets
