#include "plan_executor.h"

#include "database.h"

namespace mc {

namespace {

constexpr int kPassIntervalMs = 2000;

} // namespace

PlanExecutor::PlanExecutor(PlansService *service, QObject *parent)
    : QObject(parent), m_service(service)
{
    m_timer.setInterval(kPassIntervalMs);
    connect(&m_timer, &QTimer::timeout, this, &PlanExecutor::pass);
    m_text = tr("This console does not execute plans.");
}

void PlanExecutor::setEnabled(bool enabled)
{
    m_enabled = enabled;
    if (!enabled) {
        m_timer.stop();
        // Give the lock back, so that another console or `migctl plan run` may take over.
        if (m_service->isConnected())
            m_service->releaseExecutor(this);
        setState(State::Off, tr("This console does not execute plans."));
        return;
    }
    m_timer.start();
    pass();
}

void PlanExecutor::pass()
{
    if (!m_enabled || m_inFlight)
        return;
    if (!m_service->isConnected()) {
        setState(State::Failing, tr("Not connected: no plan is executed from here."));
        return;
    }
    const RoleAccess &access = m_service->database()->access();
    if (!access.may(RoleAction::ManagePlans)) {
        setState(State::NotAllowed,
                 tr("Not executing plans here: %1.").arg(access.whyNot(RoleAction::ManagePlans)));
        return;
    }
    m_inFlight = true;
    PlanPace pace;
    pace.by = Operator::fromEnvironment();
    m_service->advancePlans(this, pace, [this](const Result<QList<PlanAdvance>> &result) {
        m_inFlight = false;
        if (!m_enabled)
            return;
        if (!result.ok()) {
            if (result.error().kind == StoreError::Kind::Conflict)
                setState(State::Waiting, tr("Another executor (a console or migctl plan run) "
                                            "holds the plans' lock; this console waits."));
            else
                setState(State::Failing, result.error().message);
            return;
        }
        setState(State::Executing, tr("Executing plans from this console as %1.")
                                       .arg(m_service->database()->access().login));
        QList<PlanAdvance> happened;
        for (const PlanAdvance &advance : result.value())
            if (advance.kind != PlanAdvance::Kind::Nothing
                && advance.kind != PlanAdvance::Kind::Holding)
                happened.append(advance);
        if (!happened.isEmpty())
            emit advanced(happened);
    });
}

void PlanExecutor::setState(State state, const QString &text)
{
    if (state == m_state && text == m_text)
        return;
    m_state = state;
    m_text = text;
    emit stateChanged(state, text);
}

} // namespace mc
