#pragma once

// Evaluates the alert rules from what MergeStore::alerts() read (the counters and the recent
// throughput samples, never the user tables) and decides each alert's next transition, Prometheus
// style: a condition that holds makes the alert pending, one that held for `for` makes it fire,
// and a firing alert resolves once the condition has been clear for its keep-firing time.
// Everything here is pure; AlertEvaluator::cycle() does the round trips.

#include "alerts.h"
#include "store_error.h"

namespace mc {

class MergeStore;

struct AlertCondition
{
    bool known = false; // false: not enough data (or a kind not evaluated yet): does not hold
    bool holds = false;
    QJsonObject figures; // the numbers the condition looked at
    QString summary;     // one line: "failure rate 80 % (40 of 50 users) over 1 min"
};

// The condition of one rule at inputs.now.
AlertCondition evaluateCondition(const AlertRule &rule, const AlertInputs &inputs);
// The transition the alert takes now given its condition, if any.
std::optional<AlertStep> nextStep(const AlertRule &rule, const AlertStatus &status,
                                  const AlertCondition &condition, EpochMs now);
// Where a rule's alert points: "failures" (the failures view) or "queue:NAME" (the queue).
QString alertLink(const AlertRule &rule, const AlertStatus &status);
// "failure rate 80 % of 50 users" from stored figures (what tripped it).
QString figuresSummary(const AlertRule &rule, const QJsonObject &figures);

struct AlertCycle
{
    AlertsSnapshot snapshot;             // after the transitions recorded in this cycle
    QList<AlertTransition> transitions;  // those this evaluator recorded (applied)
};

// One evaluation: reads (one round trip), and only when something changed records the
// transitions (one more) and reads again (one more).
class AlertEvaluator
{
public:
    static Result<AlertCycle> cycle(MergeStore &store, const AlertsRequest &request = {});
};

} // namespace mc
