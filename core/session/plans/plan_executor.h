#pragma once

// A console as the database's plan executor (README, "Guarded plans"), when the operator turns it
// on: every few seconds one pass over the active plans on the bulk connection, whose session then
// holds the executor lock; the GUI thread never waits for it. A login without the lead's rights
// does not try (it could advance nothing and would keep a real executor out) and says why; when
// another executor (a console or `migctl plan run`) holds the lock, this one waits and says so.

#include "plans_service.h"

#include <QTimer>

namespace mc {

class PlanExecutor : public QObject
{
    Q_OBJECT

public:
    enum class State { Off, NotAllowed, Waiting, Executing, Failing };

    explicit PlanExecutor(PlansService *service, QObject *parent = nullptr);

    void setEnabled(bool enabled);
    bool isEnabled() const { return m_enabled; }
    State state() const { return m_state; }
    QString stateText() const { return m_text; }
    void setIntervalMs(int ms) { m_timer.setInterval(ms); }

signals:
    void stateChanged(mc::PlanExecutor::State state, const QString &text);
    void advanced(const QList<mc::PlanAdvance> &advances); // something happened to a plan

private:
    void pass();
    void setState(State state, const QString &text);

    PlansService *m_service;
    QTimer m_timer;
    bool m_enabled = false;
    bool m_inFlight = false;
    State m_state = State::Off;
    QString m_text;
};

} // namespace mc
