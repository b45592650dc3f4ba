#pragma once

// Making a guarded plan (README, "Guarded plans"): a guarded retry of a failures filter (from
// Retry All Matching…) or a rollout ramp of one flag and portal (from the rollout's Ramp…). The
// operator sets the steps, the hold, the finished users needed before judging and the halt
// threshold (default: the larger of 5 % and twice the hour before's failure rate), and the
// reason; the plan is made in one transaction and an executor advances it.

#include "plans.h"

#include <QDialog>

class QDoubleSpinBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QSpinBox;

namespace mc {
class PlansService;
}

namespace mc::widgets {

class GuardedPlanDialog : public QDialog
{
    Q_OBJECT

public:
    // A guarded retry of the users the filter selects.
    GuardedPlanDialog(PlansService *service, const FailureFilter &filter, QWidget *parent = nullptr);
    // A ramp of flag on portal from `fromBasisPoints` up to `toBasisPoints` (steps suggested).
    GuardedPlanDialog(PlansService *service, const QString &flag, const QString &portal,
                      int fromBasisPoints, int toBasisPoints, QWidget *parent = nullptr);

    QLineEdit *stepsEdit() const { return m_steps; }
    QLineEdit *reasonEdit() const { return m_reason; }
    QDoubleSpinBox *haltAboveBox() const { return m_haltAbove; }
    QPushButton *createButton() const { return m_create; }
    QLabel *problemLabel() const { return m_problem; }

signals:
    void planCreated(qint64 planId);

private:
    void build(const QString &what, const QString &steps, double holdMinutes);
    void validate();
    void create();

    PlansService *m_service;
    PlanKind m_kind;
    FailureFilter m_filter;
    QString m_flag;
    QString m_portal;
    QLineEdit *m_steps = nullptr;
    QDoubleSpinBox *m_hold = nullptr;
    QSpinBox *m_minFinished = nullptr;
    QDoubleSpinBox *m_haltAbove = nullptr;
    QLineEdit *m_reason = nullptr;
    QLabel *m_problem = nullptr;
    QPushButton *m_create = nullptr;
};

} // namespace mc::widgets
