#include "plans_page.h"

#include "message_banner.h"
#include "plan_chart.h"
#include "plan_list_model.h"
#include "plans_service.h"
#include "reason_dialog.h"
#include "role_gate.h"

#include <QCheckBox>
#include <QDateTime>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QListWidget>
#include <QPushButton>
#include <QSplitter>
#include <QTableView>
#include <QVBoxLayout>

namespace mc::widgets {

namespace {

constexpr int kRefreshMs = 2000;

QString holdText(qint64 ms)
{
    if (ms >= 60'000 && ms % 60'000 == 0)
        return QObject::tr("%1 min").arg(ms / 60'000);
    return QObject::tr("%1 s").arg(double(ms) / 1000.0);
}

QString timeText(EpochMs ms)
{
    return QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC).toString(QStringLiteral("yyyy-MM-dd HH:mm:ss"))
           + QStringLiteral(" UTC");
}

} // namespace

PlansPage::PlansPage(PlansService *service, PlanExecutor *executor, QWidget *parent)
    : QWidget(parent), m_service(service), m_executor(executor), m_model(new PlanListModel(this)),
      m_banner(new MessageBanner(this)), m_execute(new QCheckBox(tr("Execute plans from this "
                                                                    "console"), this)),
      m_executorState(new QLabel(this)), m_table(new QTableView(this)), m_summary(new QLabel(this)),
      m_halt(new QLabel(this)), m_steps(new QListWidget(this)), m_chart(new PlanChart(this)),
      m_pause(new QPushButton(tr("&Pause…"), this)), m_resume(new QPushButton(tr("&Resume…"), this)),
      m_cancel(new QPushButton(tr("Ca&ncel Plan…"), this))
{
    setObjectName(QStringLiteral("plansPage"));
    m_execute->setObjectName(QStringLiteral("executePlans"));
    m_execute->setToolTip(tr("Advance the database's plans from here while the console runs. "
                             "One executor at a time: a console or `migctl plan run`."));
    m_executorState->setObjectName(QStringLiteral("executorState"));
    m_executorState->setText(m_executor->stateText());
    m_executorState->setWordWrap(true);
    auto *executorRow = new QHBoxLayout;
    executorRow->addWidget(m_execute);
    executorRow->addWidget(m_executorState, 1);

    m_table->setObjectName(QStringLiteral("plansTable"));
    m_table->setModel(m_model);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->verticalHeader()->hide();
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_table->setAlternatingRowColors(true);

    m_summary->setObjectName(QStringLiteral("planSummary"));
    m_summary->setWordWrap(true);
    m_summary->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_halt->setObjectName(QStringLiteral("haltReason"));
    m_halt->setWordWrap(true);
    m_halt->setStyleSheet(QStringLiteral("QLabel { color: #a01818; background: #fde8e8; "
                                         "border: 1px solid #e0a0a0; padding: 6px; }"));
    m_halt->hide();
    m_steps->setObjectName(QStringLiteral("planSteps"));
    m_steps->setMaximumWidth(260);
    m_pause->setObjectName(QStringLiteral("pausePlan"));
    m_resume->setObjectName(QStringLiteral("resumePlan"));
    m_cancel->setObjectName(QStringLiteral("cancelPlan"));
    m_pause->setToolTip(tr("Stop advancing this plan until it is resumed"));
    m_resume->setToolTip(tr("Go on with this plan (after a halt, with a threshold you choose)"));
    m_cancel->setToolTip(tr("End this plan; users it moved stay moved, a ramp's flag stays"));
    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_pause);
    buttons->addWidget(m_resume);
    buttons->addWidget(m_cancel);
    buttons->addStretch(1);

    auto *detail = new QWidget(this);
    auto *detailLayout = new QVBoxLayout(detail);
    detailLayout->setContentsMargins(0, 0, 0, 0);
    detailLayout->addWidget(m_summary);
    detailLayout->addWidget(m_halt);
    auto *middle = new QHBoxLayout;
    middle->addWidget(m_steps);
    middle->addWidget(m_chart, 1);
    detailLayout->addLayout(middle, 1);
    detailLayout->addLayout(buttons);

    auto *splitter = new QSplitter(Qt::Vertical, this);
    splitter->addWidget(m_table);
    splitter->addWidget(detail);
    splitter->setStretchFactor(1, 3);
    splitter->setSizes({150, 600});
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_banner);
    layout->addLayout(executorRow);
    layout->addWidget(splitter, 1);

    connect(m_execute, &QCheckBox::toggled, m_executor, &PlanExecutor::setEnabled);
    connect(m_executor, &PlanExecutor::stateChanged, this,
            [this](PlanExecutor::State, const QString &text) { m_executorState->setText(text); });
    connect(m_executor, &PlanExecutor::advanced, this, [this](const QList<PlanAdvance> &done) {
        for (const PlanAdvance &advance : done)
            emit notice(advance.text);
        refresh();
    });
    connect(m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            [this](const QModelIndex &current) {
                const qint64 id = current.isValid()
                    ? m_model->data(current, PlanListModel::PlanIdRole).toLongLong()
                    : 0;
                if (id != m_selected) {
                    m_selected = id;
                    refresh();
                }
            });
    connect(m_pause, &QPushButton::clicked, this, [this] { askChange(PlanAction::Pause); });
    connect(m_resume, &QPushButton::clicked, this, [this] { askChange(PlanAction::Resume); });
    connect(m_cancel, &QPushButton::clicked, this, [this] { askChange(PlanAction::Cancel); });
    m_timer.setInterval(kRefreshMs);
    connect(&m_timer, &QTimer::timeout, this, &PlansPage::refresh);
    connect(m_service, &FeatureService::connectionChanged, this, [this](bool connected) {
        m_model->setPlans({});
        m_shown.reset();
        m_selected = 0;
        m_chart->clear();
        if (connected && isVisible())
            refresh();
        updateButtons();
    });
    updateButtons();
}

void PlansPage::setAccess(const RoleAccess &access)
{
    m_access = access;
    gate(m_execute, true, access, RoleAction::ManagePlans);
    updateButtons();
}

void PlansPage::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    m_timer.start();
    refresh();
}

void PlansPage::hideEvent(QHideEvent *event)
{
    m_timer.stop();
    QWidget::hideEvent(event);
}

void PlansPage::selectPlan(qint64 id)
{
    m_selected = id;
    const int row = m_model->rowOf(id);
    if (row >= 0)
        m_table->selectRow(row);
    refresh();
}

void PlansPage::refresh()
{
    if (!m_service->isConnected())
        return;
    m_service->readPlans(this, [this](const Result<QList<Plan>> &plans) {
        if (!plans.ok()) {
            m_banner->showError(plans.error().message);
            return;
        }
        m_model->setPlans(plans.value());
        if (m_selected == 0 && !plans->isEmpty())
            m_selected = plans->first().id;
        const int row = m_model->rowOf(m_selected);
        if (row >= 0 && m_table->currentIndex().row() != row)
            m_table->selectRow(row);
    });
    if (m_selected == 0)
        return;
    m_service->readPlan(this, m_selected, [this, id = m_selected](const Result<Plan> &plan) {
        if (id != m_selected)
            return; // another plan was chosen meanwhile
        if (plan.ok())
            showPlan(plan.value());
        else
            m_banner->showError(plan.error().message);
    });
}

void PlansPage::showPlan(const Plan &p)
{
    m_shown = p;
    const QString what = p.kind == PlanKind::Retry
        ? tr("Guarded retry of %1 (%2 users when made)").arg(p.selection).arg(p.usersTotal)
        : tr("Rollout ramp of %1 from %2 %").arg(p.selection, basisPointsText(p.startBasisPoints));
    const QString baseline = p.baselineBasisPoints
        ? tr("twice the hour before's %1 %, at least 5 %").arg(basisPointsText(*p.baselineBasisPoints))
        : tr("nobody finished the hour before: the 5 % floor");
    m_summary->setText(
        tr("<b>Plan %1 — %2</b><br>%3<br>Step %4 of %5 · %6 · holds %7 and until %8 of its users "
           "finished · halts above %9 % (%10)<br>Reason: %11 · made by %12 at %13")
            .arg(p.id)
            .arg(planStateName(p.state).toHtmlEscaped(), what.toHtmlEscaped())
            .arg(p.step + 1)
            .arg(p.steps.size())
            .arg(PlanListModel::progressText(p).toHtmlEscaped(), holdText(p.holdMs))
            .arg(p.minFinished)
            .arg(basisPointsText(p.haltAboveBasisPoints), baseline.toHtmlEscaped(),
                 p.reason.toHtmlEscaped(), p.createdBy.toHtmlEscaped(), timeText(p.createdAt)));
    m_halt->setVisible(p.state == PlanState::Halted && !p.haltReason.isEmpty());
    m_halt->setText(tr("Halted: %1").arg(p.haltReason));
    m_steps->clear();
    for (int i = 0; i < p.steps.size(); ++i) {
        const bool done = i < p.step || p.state == PlanState::Done;
        const bool current = i == p.step && p.state != PlanState::Done;
        QString mark = done ? QStringLiteral("✓") : current ? QStringLiteral("▶") : QStringLiteral("·");
        QString text = p.kind == PlanKind::Retry
            ? (p.steps.at(i).percent ? tr("%1 of the rest").arg(p.steps.at(i).text())
                                     : tr("%1 users").arg(p.steps.at(i).text()))
            : tr("flag to %1").arg(p.steps.at(i).text() + QStringLiteral(" %"));
        if (current)
            text += QStringLiteral(" — ") + planStateName(p.state);
        m_steps->addItem(QStringLiteral("%1  %2. %3").arg(mark).arg(i + 1).arg(text));
    }
    m_chart->setPlan(p);
    updateButtons();
}

void PlansPage::updateButtons()
{
    const bool connected = m_service->isConnected() && m_shown.has_value();
    const PlanState state = m_shown ? m_shown->state : PlanState::Done;
    gate(m_pause, connected && isActive(state), m_access, RoleAction::ManagePlans);
    gate(m_resume, connected && (state == PlanState::Paused || state == PlanState::Halted),
         m_access, RoleAction::ManagePlans);
    gate(m_cancel, connected && !isFinal(state), m_access, RoleAction::ManagePlans);
}

void PlansPage::askChange(PlanAction action)
{
    if (!m_shown)
        return;
    const Plan p = *m_shown;
    const QString verb = action == PlanAction::Pause ? tr("Pause")
                       : action == PlanAction::Resume ? tr("Resume")
                                                      : tr("Cancel");
    auto *dialog = new ReasonDialog(tr("%1 plan %2").arg(verb).arg(p.id),
                                    tr("%1 plan %2 (%3, %4)?")
                                        .arg(verb)
                                        .arg(p.id)
                                        .arg(p.selection, planStateName(p.state)),
                                    verb, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    if (action == PlanAction::Cancel)
        dialog->setWarning(tr("Users the plan moved stay moved; a ramp's flag stays where it is."));
    if (action == PlanAction::Resume && p.state == PlanState::Halted)
        dialog->setWarning(tr("It halted: %1 Resuming with the same threshold halts it again; "
                              "`migctl plan resume %2 --halt-above PCT` sets another.")
                               .arg(p.haltReason)
                               .arg(p.id));
    connect(dialog, &QDialog::accepted, this, [this, dialog, action, id = p.id] {
        PlanChange change;
        change.planId = id;
        change.action = action;
        change.reason = dialog->reason();
        change.by = Operator::fromEnvironment();
        m_service->changePlan(this, change, [this](const Result<Plan> &plan) {
            if (!plan.ok()) {
                m_banner->showError(plan.error().message);
                return;
            }
            m_banner->showInfo(tr("Plan %1 is %2.").arg(plan->id).arg(planStateName(plan->state)));
            showPlan(plan.value());
            refresh();
        });
    });
    dialog->open();
}

} // namespace mc::widgets
