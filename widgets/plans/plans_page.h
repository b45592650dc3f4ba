#pragma once

// The Plans view (README, "Guarded plans"): every plan with its state, step and failure rate
// against its threshold; the selected plan's steps, why it halted, and a live chart; Pause, Resume
// and Cancel (the lead's, disabled with why otherwise); and whether this console executes plans.
// It reads while shown, every few seconds, on the interactive connection.

#include "plan_executor.h"
#include "role_access.h"

#include <QTimer>
#include <QWidget>

class QCheckBox;
class QLabel;
class QListWidget;
class QPushButton;
class QTableView;

namespace mc {
class PlanListModel;
class PlansService;
}

namespace mc::widgets {

class MessageBanner;
class PlanChart;

class PlansPage : public QWidget
{
    Q_OBJECT

public:
    PlansPage(PlansService *service, PlanExecutor *executor, QWidget *parent = nullptr);

    void setAccess(const RoleAccess &access);
    void refresh();
    void selectPlan(qint64 id);

    // What the view shows, for tests and screenshots.
    PlanListModel *model() const { return m_model; }
    QPushButton *pauseButton() const { return m_pause; }
    QPushButton *resumeButton() const { return m_resume; }
    QPushButton *cancelButton() const { return m_cancel; }
    QCheckBox *executeBox() const { return m_execute; }
    QLabel *executorLabel() const { return m_executorState; }
    QLabel *haltLabel() const { return m_halt; }
    PlanChart *chart() const { return m_chart; }
    qint64 selectedPlan() const { return m_selected; }

signals:
    void notice(const QString &text);

protected:
    void showEvent(QShowEvent *event) override;
    void hideEvent(QHideEvent *event) override;

private:
    void showPlan(const Plan &plan);
    void updateButtons();
    void askChange(PlanAction action);

    PlansService *m_service;
    PlanExecutor *m_executor;
    PlanListModel *m_model;
    MessageBanner *m_banner;
    QCheckBox *m_execute;
    QLabel *m_executorState;
    QTableView *m_table;
    QLabel *m_summary;
    QLabel *m_halt;
    QListWidget *m_steps;
    PlanChart *m_chart;
    QPushButton *m_pause;
    QPushButton *m_resume;
    QPushButton *m_cancel;
    QTimer m_timer;
    RoleAccess m_access;
    qint64 m_selected = 0;
    std::optional<Plan> m_shown;
};

} // namespace mc::widgets
