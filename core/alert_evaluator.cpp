#include "alert_evaluator.h"

#include "merge_store.h"

#include <cmath>

namespace mc {

namespace {

constexpr EpochMs kSecond = 1000;
constexpr EpochMs kBucketMs = 10 * kSecond; // throughput samples' base bucket

QString duration(int seconds)
{
    if (seconds % 3600 == 0 && seconds >= 3600)
        return QStringLiteral("%1 h").arg(seconds / 3600);
    if (seconds % 60 == 0 && seconds >= 60)
        return QStringLiteral("%1 min").arg(seconds / 60);
    return QStringLiteral("%1 s").arg(seconds);
}

// A bucket that overlaps the window counts whole: the window never falls between two buckets
// (and a worker writes the bucket it is in a little later), so the figures do not flap.
bool inWindow(const AlertSample &sample, const AlertRule &rule, EpochMs now)
{
    return sample.bucket + kBucketMs > now - EpochMs(rule.windowS) * kSecond;
}

AlertCondition failureRate(const AlertRule &rule, const AlertInputs &inputs)
{
    AlertCondition condition;
    if (!rule.scope.isEmpty()) {
        // One portal's rate needs the users finished per portal over time, which the samples do
        // not carry: not evaluated (yet), so it never fires.
        condition.summary = QStringLiteral("per-portal failure rate is not evaluated yet");
        return condition;
    }
    qint64 failed = 0;
    qint64 completed = 0;
    for (const AlertSample &sample : inputs.samples)
        if (inWindow(sample, rule, inputs.now)) {
            failed += sample.usersFailed;
            completed += sample.usersCompleted;
        }
    const qint64 finished = failed + completed;
    const double rate = finished > 0 ? 100.0 * double(failed) / double(finished) : 0.0;
    condition.known = true;
    condition.holds = finished > 0 && finished >= rule.minCount && rate >= rule.threshold;
    condition.figures = {{QStringLiteral("failed"), failed},
                         {QStringLiteral("finished"), finished},
                         {QStringLiteral("rate"), std::round(rate * 10.0) / 10.0},
                         {QStringLiteral("window_s"), rule.windowS}};
    condition.summary = figuresSummary(rule, condition.figures);
    return condition;
}

AlertCondition fallingBehind(const AlertRule &rule, const AlertInputs &inputs)
{
    AlertCondition condition;
    for (const AlertQueueLoad &queue : inputs.queues) {
        if (!rule.scope.isEmpty() && queue.name != rule.scope)
            continue;
        // The queue's depth at the start of the window: its oldest sample in the window.
        std::optional<qint64> before;
        for (const AlertSample &sample : inputs.samples)
            if (sample.queue == queue.name && inWindow(sample, rule, inputs.now)) {
                before = sample.queueDepth;
                break;
            }
        if (!before)
            continue;
        const bool atParallelism = queue.parallelism > 0 && queue.inProgress >= queue.parallelism;
        const bool holds = queue.depth > *before && atParallelism;
        if (condition.known && !holds)
            continue; // keep the first queue that trips it, or the first one looked at
        condition.known = true;
        condition.holds = holds;
        condition.figures = {{QStringLiteral("queue"), queue.name},
                             {QStringLiteral("depth"), queue.depth},
                             {QStringLiteral("depth_before"), *before},
                             {QStringLiteral("in_progress"), queue.inProgress},
                             {QStringLiteral("parallelism"), queue.parallelism},
                             {QStringLiteral("window_s"), rule.windowS}};
        if (holds)
            break;
    }
    condition.summary = condition.known ? figuresSummary(rule, condition.figures)
                                        : QStringLiteral("no queue samples in the window");
    return condition;
}

AlertCondition stall(const AlertRule &rule, const AlertInputs &inputs)
{
    qint64 completed = 0;
    for (const AlertSample &sample : inputs.samples)
        if (inWindow(sample, rule, inputs.now))
            completed += sample.usersCompleted;
    AlertCondition condition;
    condition.known = true;
    condition.holds = completed == 0 && inputs.pendingUsers > 0;
    condition.figures = {{QStringLiteral("completed"), completed},
                         {QStringLiteral("pending"), inputs.pendingUsers},
                         {QStringLiteral("window_s"), rule.windowS}};
    condition.summary = figuresSummary(rule, condition.figures);
    return condition;
}

AlertCondition planHalted(const AlertRule &rule, const AlertInputs &inputs)
{
    AlertCondition condition;
    condition.known = true;
    condition.holds = inputs.haltedPlans > 0;
    condition.figures = {{QStringLiteral("halted"), inputs.haltedPlans}};
    if (inputs.haltedPlanId > 0) {
        condition.figures.insert(QStringLiteral("plan"), inputs.haltedPlanId);
        condition.figures.insert(QStringLiteral("kind"), inputs.haltedPlanKind);
        condition.figures.insert(QStringLiteral("why"), inputs.haltReason);
    }
    condition.summary = figuresSummary(rule, condition.figures);
    return condition;
}

} // namespace

AlertCondition evaluateCondition(const AlertRule &rule, const AlertInputs &inputs)
{
    switch (rule.kind) {
    case AlertKind::FailureRate:
        return failureRate(rule, inputs);
    case AlertKind::FallingBehind:
        return fallingBehind(rule, inputs);
    case AlertKind::Stall:
        return stall(rule, inputs);
    case AlertKind::PlanHalted:
        break;
    }
    return planHalted(rule, inputs);
}

std::optional<AlertStep> nextStep(const AlertRule &rule, const AlertStatus &status,
                                  const AlertCondition &condition, EpochMs now)
{
    if (!rule.enabled)
        return std::nullopt;
    const bool holds = condition.known && condition.holds;
    switch (status.phase) {
    case AlertPhase::Inactive:
    case AlertPhase::Resolved:
        if (holds)
            return rule.forS == 0 ? AlertStep::Firing : AlertStep::Pending;
        return std::nullopt;
    case AlertPhase::Pending:
        if (!holds)
            return AlertStep::Inactive;
        if (status.since && now - *status.since >= EpochMs(rule.forS) * kSecond)
            return AlertStep::Firing;
        return std::nullopt;
    case AlertPhase::Firing:
        if (holds)
            return status.clearedAt ? std::optional(AlertStep::Refiring) : std::nullopt;
        if (!status.clearedAt)
            return rule.keepFiringS == 0 ? AlertStep::Resolved : AlertStep::Clearing;
        if (now - *status.clearedAt >= EpochMs(rule.keepFiringS) * kSecond)
            return AlertStep::Resolved;
        return std::nullopt;
    }
    return std::nullopt;
}

QString alertLink(const AlertRule &rule, const AlertStatus &status)
{
    switch (rule.kind) {
    case AlertKind::FailureRate:
        return QStringLiteral("failures");
    case AlertKind::FallingBehind: {
        const QString queue = status.figures.value(QStringLiteral("queue")).toString(rule.scope);
        return QStringLiteral("queue:%1").arg(queue);
    }
    case AlertKind::Stall:
        return QStringLiteral("queue:");
    case AlertKind::PlanHalted:
        break;
    }
    return QStringLiteral("plans");
}

QString figuresSummary(const AlertRule &rule, const QJsonObject &f)
{
    const auto n = [&](const char *key) {
        return QString::number(f.value(QLatin1String(key)).toInteger());
    };
    const QString window = duration(f.value(QStringLiteral("window_s")).toInt(rule.windowS));
    switch (rule.kind) {
    case AlertKind::FailureRate:
        return QStringLiteral("failure rate %1 % (%2 of %3 users) over %4")
            .arg(QString::number(f.value(QStringLiteral("rate")).toDouble(), 'f', 1),
                 n("failed"), n("finished"), window);
    case AlertKind::FallingBehind:
        return QStringLiteral("queue %1: depth %2 → %3 over %4, %5 of %6 jobs in progress")
            .arg(f.value(QStringLiteral("queue")).toString(), n("depth_before"), n("depth"),
                 window, n("in_progress"), n("parallelism"));
    case AlertKind::Stall:
        return QStringLiteral("%1 users completed in %2, %3 pending")
            .arg(n("completed"), window, n("pending"));
    case AlertKind::PlanHalted:
        break;
    }
    const qint64 halted = f.value(QStringLiteral("halted")).toInteger();
    if (halted == 0)
        return QStringLiteral("no guarded plan halted");
    const QString newest = QStringLiteral("%1 plan %2 halted: %3")
                               .arg(f.value(QStringLiteral("kind")).toString(), n("plan"),
                                    f.value(QStringLiteral("why")).toString());
    return halted == 1 ? newest
                       : QStringLiteral("%1 guarded plans halted; newest: %2").arg(halted).arg(newest);
}

Result<AlertCycle> AlertEvaluator::cycle(MergeStore &store, const AlertsRequest &request)
{
    Result<AlertsSnapshot> read = store.alerts(request);
    if (!read)
        return read.error();
    AlertCycle cycle;
    cycle.snapshot = *read;
    QList<AlertTransition> due;
    for (const AlertRuleState &entry : cycle.snapshot.rules) {
        const AlertCondition condition = evaluateCondition(entry.rule, cycle.snapshot.inputs);
        if (const auto step = nextStep(entry.rule, entry.status, condition,
                                       cycle.snapshot.inputs.now))
            due.append({entry.rule.name, entry.status.version, *step, condition.figures});
    }
    if (due.isEmpty())
        return cycle;
    Result<QList<AlertTransition>> recorded = store.recordAlertTransitions(due);
    if (!recorded)
        return recorded.error();
    for (const AlertTransition &transition : *recorded)
        if (transition.applied)
            cycle.transitions.append(transition);
    read = store.alerts(request);
    if (!read)
        return read.error();
    cycle.snapshot = *read;
    return cycle;
}

} // namespace mc
