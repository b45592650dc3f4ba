#pragma once

// Alert rules the team shares (issue 15; docs/SCHEMA.md, "Alerts"). A rule is a condition over
// the counters and throughput samples, how long it must hold before firing (`for`), a severity
// and how long it keeps firing after it clears. Each rule has one alert whose state every console
// reads from the database: inactive, pending, firing or resolved.

#include "domain.h"
#include "operations.h"

#include <QJsonObject>

#include <optional>

namespace mc {

// The built-in kinds. PlanHalted holds while any guarded plan (plans.h) is halted.
enum class AlertKind { FailureRate, FallingBehind, Stall, PlanHalted };
enum class AlertSeverity { Info, Warning, Critical };
enum class AlertPhase { Inactive, Pending, Firing, Resolved };

QString alertKindName(AlertKind kind); // "failure_rate", "falling_behind", "stall", "plan_halted"
std::optional<AlertKind> alertKindFromName(const QString &name);
QString severityName(AlertSeverity severity); // "info", "warning", "critical"
std::optional<AlertSeverity> severityFromName(const QString &name);
QString alertPhaseName(AlertPhase phase); // "inactive", "pending", "firing", "resolved"
std::optional<AlertPhase> alertPhaseFromName(const QString &name);

struct AlertRule
{
    QString name;
    AlertKind kind = AlertKind::FailureRate;
    QString scope;          // failure_rate: '' all portals; falling_behind: '' any queue, or one
    double threshold = 0;   // failure_rate: per cent of users finished in the window
    qint64 minCount = 0;    // failure_rate: users finished in the window before the rate counts
    int windowS = 600;      // how far back the condition looks
    int forS = 0;           // how long it must hold before firing
    int keepFiringS = 0;    // how long it keeps firing after it cleared
    AlertSeverity severity = AlertSeverity::Warning;
    bool enabled = true;
    std::optional<EpochMs> mutedUntil; // notifications muted until then
    qint64 version = 0;
    std::optional<EpochMs> updatedAt;
    QString updatedBy;

    bool mutedAt(EpochMs now) const { return mutedUntil && *mutedUntil > now; }
};

// A rule's alert as the database holds it.
struct AlertStatus
{
    AlertPhase phase = AlertPhase::Inactive;
    std::optional<EpochMs> since;      // pending or firing: when the condition started holding
    std::optional<EpochMs> firedAt;
    std::optional<EpochMs> clearedAt;  // firing, but the condition cleared then
    std::optional<EpochMs> resolvedAt;
    std::optional<qint64> firingId;    // the current (or last) firing in the history
    QJsonObject figures;               // what tripped it (or cleared it)
    qint64 version = 1;                // compare-and-set of recorded transitions
};

struct AlertFiring
{
    qint64 id = 0;
    QString rule;
    AlertSeverity severity = AlertSeverity::Warning;
    EpochMs pendingSince = 0;
    EpochMs firedAt = 0;
    std::optional<EpochMs> resolvedAt;
    QJsonObject figures;
    QJsonObject resolvedFigures;
};

// What the rules read, one round trip (MergeStore::alerts): counters and recent samples.
struct AlertQueueLoad
{
    QString name;
    int parallelism = 0;
    bool paused = false;
    qint64 depth = 0;      // pending jobs (queue_counts)
    qint64 inProgress = 0; // running jobs (queue_counts)
};

struct AlertSample // a queue series bucket of throughput_samples
{
    EpochMs bucket = 0;
    QString queue;
    qint64 usersCompleted = 0;
    qint64 usersFailed = 0;
    qint64 queueDepth = 0;
    qint64 jobsInProgress = 0;
};

struct AlertInputs
{
    EpochMs now = 0; // the server's clock
    qint64 pendingUsers = 0;
    QList<AlertQueueLoad> queues;
    QList<AlertSample> samples; // oldest first, back to the longest window of the rules
    qint64 haltedPlans = 0;     // guarded plans in state halted
    qint64 haltedPlanId = 0;    // the newest of them (0: none), its kind and why it halted
    QString haltedPlanKind;
    QString haltReason;
};

struct AlertRuleState
{
    AlertRule rule;
    AlertStatus status;
};

struct AlertsSnapshot
{
    AlertInputs inputs;
    QList<AlertRuleState> rules; // by name
    QList<AlertFiring> history;  // newest first
};

struct AlertsRequest
{
    int historyLimit = 50;
};

// A transition an evaluator found and asks the database to record (mc_alert_record).
enum class AlertStep { Pending, Firing, Clearing, Refiring, Resolved, Inactive };
QString alertStepName(AlertStep step); // "pending", "firing", "clearing", …

struct AlertTransition
{
    QString rule;
    qint64 fromVersion = 0;
    AlertStep step = AlertStep::Pending;
    QJsonObject figures;
    bool applied = false; // set by the store: false when another evaluator was first
};

// A lead's change of a rule (create, edit, disable, enable, mute), audited as set_alert_rule.
struct AlertRuleChange
{
    AlertRule rule;          // the whole rule as it should be; version: the one read (0: new)
    std::optional<int> muteS; // mute for that many seconds from now; 0 unmutes; none: keep
    QString reason;
    Operator by;
};

} // namespace mc

Q_DECLARE_METATYPE(mc::AlertsSnapshot)
