#pragma once

// Evaluates the shared alert rules every few seconds on the console's polling connection (one
// round trip when nothing changes) and says what every view needs: the latest snapshot (rules,
// states, history) and the firing alerts. For each firing this login has not been told of — the
// database keeps who was notified, so a second console or a restart does not notify again — and
// whose rule is not muted, it emits `notify` once.

#include "alert_evaluator.h"

#include <QObject>
#include <QSet>
#include <QTimer>

namespace mc {

class AlertsService;
class Database;

// What a desktop notification says, and the view its action opens.
struct AlertNotice
{
    qint64 firingId = 0;
    QString rule;
    AlertSeverity severity = AlertSeverity::Warning;
    QString summary; // the figures that tripped it, in words
    QString link;    // alertLink(): "failures", "queue:NAME"
};

class AlertsMonitor : public QObject
{
    Q_OBJECT

public:
    static constexpr int kDefaultIntervalMs = 10'000;

    AlertsMonitor(Database *database, AlertsService *service, QObject *parent = nullptr);

    void setIntervalMs(int ms);
    void evaluateNow();

    bool hasSnapshot() const { return m_hasSnapshot; }
    const AlertsSnapshot &snapshot() const { return m_snapshot; }
    // The firing alerts, most severe first.
    QList<AlertRuleState> firing() const;

signals:
    void changed(const mc::AlertsSnapshot &snapshot);
    void notify(const mc::AlertNotice &notice);

private:
    void setOpen(bool open);
    void take(const AlertCycle &cycle);
    void claim(const AlertRuleState &entry);

    Database *m_database;
    AlertsService *m_service;
    QTimer m_timer;
    AlertsSnapshot m_snapshot;
    bool m_hasSnapshot = false;
    QSet<qint64> m_asked; // firings this console asked about (notified or not)
};

} // namespace mc
