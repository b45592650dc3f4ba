#include "alerts_monitor.h"

#include "alerts_service.h"
#include "database.h"
#include "store_session.h"

#include <algorithm>

namespace mc {

AlertsMonitor::AlertsMonitor(Database *database, AlertsService *service, QObject *parent)
    : QObject(parent), m_database(database), m_service(service), m_timer(this)
{
    m_timer.setInterval(kDefaultIntervalMs);
    connect(&m_timer, &QTimer::timeout, this, &AlertsMonitor::evaluateNow);
    connect(database, &Database::changed, this, &AlertsMonitor::setOpen);
    connect(database->polling(), &StoreSession::alertsArrived, this, &AlertsMonitor::take);
    if (database->isOpen())
        setOpen(true);
}

void AlertsMonitor::setIntervalMs(int ms)
{
    m_timer.setInterval(std::max(500, ms));
}

void AlertsMonitor::setOpen(bool open)
{
    m_timer.stop();
    m_asked.clear();
    m_hasSnapshot = false;
    m_snapshot = {};
    emit changed(m_snapshot);
    if (!open)
        return;
    m_timer.start();
    evaluateNow();
}

void AlertsMonitor::evaluateNow()
{
    // Waits in the session while it (re)connects; a newer request replaces a waiting one.
    m_database->polling()->requestAlerts();
}

QList<AlertRuleState> AlertsMonitor::firing() const
{
    QList<AlertRuleState> firing;
    for (const AlertRuleState &entry : m_snapshot.rules)
        if (entry.rule.enabled && entry.status.phase == AlertPhase::Firing)
            firing.append(entry);
    std::stable_sort(firing.begin(), firing.end(), [](const auto &a, const auto &b) {
        return a.rule.severity > b.rule.severity;
    });
    return firing;
}

void AlertsMonitor::take(const AlertCycle &cycle)
{
    m_snapshot = cycle.snapshot;
    m_hasSnapshot = true;
    emit changed(m_snapshot);
    for (const AlertRuleState &entry : firing())
        if (entry.status.firingId && !m_asked.contains(*entry.status.firingId)
            && !entry.rule.mutedAt(m_snapshot.inputs.now))
            claim(entry);
}

void AlertsMonitor::claim(const AlertRuleState &entry)
{
    const qint64 firingId = *entry.status.firingId;
    m_asked.insert(firingId);
    AlertNotice notice{firingId, entry.rule.name, entry.rule.severity,
                       figuresSummary(entry.rule, entry.status.figures),
                       alertLink(entry.rule, entry.status)};
    m_service->claimNotice(this, firingId, [this, notice](const Result<bool> &first) {
        if (!first)
            m_asked.remove(notice.firingId); // ask again at the next evaluation
        else if (*first)
            emit notify(notice);
    });
}

} // namespace mc
