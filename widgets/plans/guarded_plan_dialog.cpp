#include "guarded_plan_dialog.h"

#include "plans_service.h"

#include <QDialogButtonBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QVBoxLayout>

namespace mc::widgets {

namespace {

// Suggested ramp steps: the usual 1, 5, 25, 50, 100 % between where the flag is and the target.
QString rampSteps(int from, int to)
{
    QStringList steps;
    for (int bp : {100, 500, 2500, 5000, 10'000})
        if (bp > from && bp < to)
            steps << basisPointsText(bp);
    steps << basisPointsText(std::max(to, from + 1));
    return steps.join(u',');
}

} // namespace

GuardedPlanDialog::GuardedPlanDialog(PlansService *service, const FailureFilter &filter,
                                     QWidget *parent)
    : QDialog(parent), m_service(service), m_kind(PlanKind::Retry), m_filter(filter)
{
    setWindowTitle(tr("Retry as a guarded plan"));
    build(tr("Retry the failed users of: %1").arg(filter.describe()),
          QStringLiteral("100,10%,50%,100%"), 5.0);
}

GuardedPlanDialog::GuardedPlanDialog(PlansService *service, const QString &flag,
                                     const QString &portal, int fromBasisPoints,
                                     int toBasisPoints, QWidget *parent)
    : QDialog(parent), m_service(service), m_kind(PlanKind::Ramp), m_flag(flag), m_portal(portal)
{
    setWindowTitle(tr("Ramp the rollout as a guarded plan"));
    build(tr("Raise rollout '%1' on %2 from %3 % step by step")
              .arg(flag, portal, basisPointsText(fromBasisPoints)),
          rampSteps(fromBasisPoints, toBasisPoints), 10.0);
}

void GuardedPlanDialog::build(const QString &what, const QString &steps, double holdMinutes)
{
    setObjectName(QStringLiteral("guardedPlanDialog"));
    auto *heading = new QLabel(QStringLiteral("<b>%1</b>").arg(what.toHtmlEscaped()), this);
    heading->setWordWrap(true);
    m_steps = new QLineEdit(steps, this);
    m_steps->setObjectName(QStringLiteral("planSteps"));
    m_steps->setToolTip(m_kind == PlanKind::Retry
                            ? tr("A number: that many users in all (the canary); N%: that share "
                                 "of the users after it")
                            : tr("The flag's percentages, one step each"));
    m_hold = new QDoubleSpinBox(this);
    m_hold->setRange(0, 7 * 24 * 60);
    m_hold->setDecimals(1);
    m_hold->setSuffix(tr(" min"));
    m_hold->setValue(holdMinutes);
    m_minFinished = new QSpinBox(this);
    m_minFinished->setRange(1, 1'000'000);
    m_minFinished->setValue(kPlanMinFinished);
    m_minFinished->setToolTip(tr("A hold ends, and the rate is judged, only once this many of "
                                 "the plan's users have finished (or all it touched, if fewer)"));
    m_haltAbove = new QDoubleSpinBox(this);
    m_haltAbove->setObjectName(QStringLiteral("haltAbove"));
    m_haltAbove->setRange(0, 99.99);
    m_haltAbove->setDecimals(2);
    m_haltAbove->setSuffix(QStringLiteral(" %"));
    m_haltAbove->setSpecialValueText(tr("default: the larger of 5 % and twice the hour before's"));
    m_reason = new QLineEdit(this);
    m_reason->setObjectName(QStringLiteral("reason"));
    m_reason->setPlaceholderText(tr("required: a ticket, the fix deployed, … (audit log)"));
    m_problem = new QLabel(this);
    m_problem->setWordWrap(true);
    m_problem->setStyleSheet(QStringLiteral("color: #c0392b"));
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Cancel, this);
    m_create = buttons->addButton(tr("Make the Plan"), QDialogButtonBox::AcceptRole);
    m_create->setObjectName(QStringLiteral("createPlan"));
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_create, &QPushButton::clicked, this, &GuardedPlanDialog::create);
    connect(m_steps, &QLineEdit::textChanged, this, &GuardedPlanDialog::validate);
    connect(m_reason, &QLineEdit::textChanged, this, &GuardedPlanDialog::validate);

    auto *form = new QFormLayout;
    form->addRow(tr("&Steps:"), m_steps);
    form->addRow(tr("&Hold after each step:"), m_hold);
    form->addRow(tr("&Finished users before judging:"), m_minFinished);
    form->addRow(tr("Halt &above:"), m_haltAbove);
    form->addRow(tr("&Reason:"), m_reason);
    auto *note = new QLabel(tr("An executor (a console with “Execute plans” on, or `migctl plan "
                               "run`) advances the plan; it halts by itself when the failure rate "
                               "of its finished users is above the threshold."),
                            this);
    note->setWordWrap(true);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(heading);
    layout->addLayout(form);
    layout->addWidget(note);
    layout->addWidget(m_problem);
    layout->addWidget(buttons);
    setMinimumWidth(560);
    validate();
}

void GuardedPlanDialog::validate()
{
    const auto steps = m_kind == PlanKind::Retry ? parseRetrySteps(m_steps->text())
                                                 : parseRampSteps(m_steps->text());
    m_problem->setText(steps.ok() ? QString() : steps.error().message);
    m_create->setEnabled(steps.ok() && !m_reason->text().trimmed().isEmpty());
}

void GuardedPlanDialog::create()
{
    const auto steps = m_kind == PlanKind::Retry ? parseRetrySteps(m_steps->text())
                                                 : parseRampSteps(m_steps->text());
    if (!steps.ok())
        return;
    const qint64 holdMs = qint64(m_hold->value() * 60'000.0);
    const std::optional<int> haltAbove =
        m_haltAbove->value() > 0 ? std::optional<int>(int(m_haltAbove->value() * 100 + 0.5))
                                 : std::nullopt;
    auto done = [this](const Result<Plan> &plan) {
        m_create->setEnabled(true);
        if (!plan.ok()) {
            m_problem->setText(plan.error().message);
            return;
        }
        emit planCreated(plan->id);
        accept();
    };
    m_create->setEnabled(false);
    m_problem->setText(tr("Making the plan…"));
    if (m_kind == PlanKind::Retry) {
        RetryPlanRequest request{m_filter, steps.value(), holdMs, m_minFinished->value(),
                                 haltAbove, m_reason->text(), Operator::fromEnvironment()};
        m_service->createRetryPlan(this, request, done);
    } else {
        RampPlanRequest request{m_flag, m_portal, steps.value(), holdMs, m_minFinished->value(),
                                haltAbove, m_reason->text(), Operator::fromEnvironment()};
        m_service->createRampPlan(this, request, done);
    }
}

} // namespace mc::widgets
