#pragma once

// The Controls view's queues: a table of every queue's settings, depth and jobs in progress,
// with staged edits, an explicit Apply… that shows before → after and asks for a reason, and a
// Pause / Resume button per queue that confirms with a reason too.
//
// Every write names the version it was based on. When another operator changed the row first,
// the store refuses; the editor shows the store's message (who changed what), asks for a
// refresh, keeps the intended values staged on top of the new row and asks again. It never
// writes over a change it has not shown.

#include "operations.h"
#include "role_access.h"

#include <QPointer>
#include <QWidget>

#include <optional>

class QLabel;
class QPushButton;
class QTableView;

namespace mc {
class QueueSettingsModel;
class ControlsService;
struct StagedQueueEdit;
}

namespace mc::widgets {

class MessageBanner;
class ReasonDialog;

class QueueEditor : public QWidget
{
    Q_OBJECT

public:
    explicit QueueEditor(ControlsService *service, QWidget *parent = nullptr);

    void setOperator(const Operator &by) { m_by = by; }
    // The queues of a fresh overview. Staged edits stay; a pending re-ask happens here.
    void showQueues(const QList<QueueState> &queues);
    void setConnected(bool connected);
    // Apply and Pause/Resume need a role that may change queues (role_gate.h).
    void setAccess(const RoleAccess &access);
    void clear();

    QueueSettingsModel *model() const { return m_model; }
    QTableView *table() const { return m_table; }
    QPushButton *applyButton() const { return m_apply; }
    QPushButton *discardButton() const { return m_discard; }
    QPushButton *pauseButton(const QString &queue) const; // Pause or Resume of that queue
    ReasonDialog *openDialog() const; // the confirmation on screen, if any
    MessageBanner *banner() const { return m_banner; }
    bool isApplying() const { return m_run.has_value(); }
    // The height that shows every queue (at least four rows' worth) without scrolling.
    int preferredHeight() const;

    void openApplyDialog();

signals:
    void refreshRequested();
    void changed(const QString &notice); // our own change went through
    void preferredHeightChanged();       // a message appeared or went, or queues came or went

private:
    struct ApplyRun
    {
        int pending = 0;
        QString reason;
        QStringList applied;
        QStringList conflicts;
        QStringList conflictedQueues;
        QStringList infos;
        QStringList errors;
        std::optional<bool> pause; // set for a pause / resume
    };
    struct Reask
    {
        QStringList queues;
        QString message;
        QString reason;
        std::optional<bool> pause;
    };

    void askApply(const QString &warning, const QString &reason);
    void askPause(const QString &queue, bool pause, const QString &warning,
                  const QString &reason);
    ReasonDialog *newDialog(const QString &name);
    void send(const QueueChange &change, const QStringList &lines);
    void finishRun();
    void reask();
    void placePauseButtons();
    void updateState();

    ControlsService *m_service;
    Operator m_by;
    QueueSettingsModel *m_model;
    QTableView *m_table;
    MessageBanner *m_banner;
    QLabel *m_stagedLabel;
    QPushButton *m_apply;
    QPushButton *m_discard;
    QPointer<ReasonDialog> m_dialog;
    std::optional<ApplyRun> m_run;
    std::optional<Reask> m_reask;
    bool m_connected = false;
    RoleAccess m_access;
};

} // namespace mc::widgets
