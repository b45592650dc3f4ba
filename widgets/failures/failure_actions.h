#pragma once

// What the operator does to the selected rows of the failures table: retry the users behind
// them, mark the records ignored or resolved, and undo the last mark. Each asks for confirmation
// with the exact number affected and a reason, runs through the failures service (the table
// stays usable), and reports what happened in the page's message bar.

#include "failures.h"
#include "operations.h"
#include "role_access.h"

#include <QObject>

class QAction;
class QTableView;
class QWidget;

namespace mc {
class FailureTableModel;
class FailuresService;
}

namespace mc::widgets {

class MessageBanner;
class ReasonDialog;

class FailureActions : public QObject
{
    Q_OBJECT

public:
    // The last mark, for Undo: exactly the ids it changed.
    struct Mark
    {
        std::vector<qint64> ids;
        Resolution to = Resolution::Ignored;
        QString reason;
    };

    FailureActions(FailuresService *service, FailureTableModel *model, QTableView *view,
                   MessageBanner *messages, QWidget *dialogParent);

    void setConnected(bool connected); // false: every action off
    void setAccess(const RoleAccess &access); // what the role may not do: off, with why

    QAction *retryUsersAction() const { return m_retry; }
    QAction *markIgnoredAction() const { return m_ignore; }
    QAction *markResolvedAction() const { return m_resolve; }
    QAction *undoAction() const { return m_undo; }

    bool isBusy() const { return m_busy; }
    const std::optional<Mark> &lastMark() const { return m_lastMark; }
    ReasonDialog *openDialog() const { return m_dialog; } // the confirmation on screen, if any

    QList<FailureRow> selectedFailures() const; // in table order
    static QList<UserKey> distinctUsers(const QList<FailureRow> &rows);

    void updateEnabled();

signals:
    void changed(); // something was written: counts, groups and the detail are stale
    void busyChanged(bool busy);

private:
    void askRetry();
    void askMark(Resolution to);
    void undoMark();
    void retry(const QList<UserKey> &users, const QString &reason);
    void mark(const std::vector<qint64> &ids, Resolution to, const QString &reason);
    ReasonDialog *ask(const QString &title, const QString &question, const QString &confirm);
    void setBusy(bool busy);

    FailureTableModel *m_model;
    QTableView *m_view;
    MessageBanner *m_messages;
    QWidget *m_dialogParent;
    FailuresService *m_service;
    bool m_connected = false;
    bool m_busy = false;
    RoleAccess m_access;
    std::optional<Mark> m_lastMark;
    ReasonDialog *m_dialog = nullptr;
    QAction *m_retry;
    QAction *m_ignore;
    QAction *m_resolve;
    QAction *m_undo;
};

} // namespace mc::widgets
