#include "plan_commands.h"

#include "failure_filter_options.h"
#include "json_views.h"
#include "table.h"
#include "terminal.h"
#include "text_format.h"
#include "value_parsers.h"

#include <QDateTime>
#include <QJsonArray>
#include <QThread>

namespace mc::cli {

namespace {

const QString kCanary = QStringLiteral("canary");
const QString kSteps = QStringLiteral("steps");
const QString kHold = QStringLiteral("hold");
const QString kHaltAbove = QStringLiteral("halt-above");
const QString kMinFinished = QStringLiteral("min-finished");

QString pct(qint64 basisPoints)
{
    return basisPointsText(basisPoints) + QStringLiteral(" %");
}

QString holdText(qint64 ms)
{
    if (ms % 60'000 == 0 && ms > 0)
        return QStringLiteral("%1 min").arg(ms / 60'000);
    if (ms % 1000 == 0)
        return QStringLiteral("%1 s").arg(ms / 1000);
    return QStringLiteral("%1 ms").arg(ms);
}

QString progressText(const Plan &p)
{
    if (p.kind == PlanKind::Ramp)
        return QStringLiteral("flag at %1").arg(pct(p.reachedBasisPoints));
    return QStringLiteral("%1 of %2 moved").arg(thousands(p.moved), thousands(p.usersTotal));
}

QJsonObject planJson(const Plan &p)
{
    QJsonArray steps;
    for (const PlanStep &step : p.steps)
        steps.append(step.text());
    QJsonArray samples;
    for (const PlanSample &s : p.samples)
        samples.append(QJsonObject{{QStringLiteral("at"), jsonTime(s.at)},
                                   {QStringLiteral("step"), s.step + 1},
                                   {QStringLiteral("finished"), jsonNumber(s.figures.finished)},
                                   {QStringLiteral("failed"), jsonNumber(s.figures.failed)}});
    QJsonObject o{
        {QStringLiteral("id"), jsonNumber(p.id)},
        {QStringLiteral("kind"), planKindName(p.kind)},
        {QStringLiteral("state"), planStateName(p.state)},
        {QStringLiteral("reason"), p.reason},
        {QStringLiteral("selection"), p.selection},
        {QStringLiteral("steps"), steps},
        {QStringLiteral("step"), p.step + 1},
        {QStringLiteral("step_target"), jsonNumber(p.stepTarget)},
        {QStringLiteral("hold_ms"), jsonNumber(p.holdMs)},
        {QStringLiteral("hold_started_at"), jsonTime(p.holdStartedAt)},
        {QStringLiteral("min_finished"), p.minFinished},
        {QStringLiteral("halt_above_bp"), p.haltAboveBasisPoints},
        {QStringLiteral("baseline_bp"),
         p.baselineBasisPoints ? QJsonValue(*p.baselineBasisPoints) : QJsonValue()},
        {QStringLiteral("finished"), jsonNumber(p.figures.finished)},
        {QStringLiteral("failed"), jsonNumber(p.figures.failed)},
        {QStringLiteral("rate_bp"), p.figures.rateBasisPoints()},
        {QStringLiteral("halt_reason"), p.haltReason},
        {QStringLiteral("version"), jsonNumber(p.version)},
        {QStringLiteral("created_at"), jsonTime(p.createdAt)},
        {QStringLiteral("created_by"), p.createdBy},
        {QStringLiteral("updated_at"), jsonTime(p.updatedAt)},
        {QStringLiteral("updated_by"), p.updatedBy},
        {QStringLiteral("samples"), samples},
    };
    if (p.kind == PlanKind::Retry) {
        o.insert(QStringLiteral("users_total"), jsonNumber(p.usersTotal));
        o.insert(QStringLiteral("decided"), jsonNumber(p.decided));
        o.insert(QStringLiteral("moved"), jsonNumber(p.moved));
    } else {
        o.insert(QStringLiteral("flag"), p.flag);
        o.insert(QStringLiteral("portal"), p.portal);
        o.insert(QStringLiteral("start_bp"), p.startBasisPoints);
        o.insert(QStringLiteral("reached_bp"), p.reachedBasisPoints);
        o.insert(QStringLiteral("admitted"), jsonNumber(p.decided));
    }
    return o;
}

qint64 planId(const QString &text)
{
    return parseNumber(QStringLiteral("plan ID"), text, 1, std::numeric_limits<qint64>::max());
}

struct Rule
{
    qint64 holdMs;
    int minFinished;
    std::optional<int> haltAbove;
};

Rule ruleFrom(const ParsedArguments &args, qint64 defaultHoldMs)
{
    Rule rule{defaultHoldMs, kPlanMinFinished, std::nullopt};
    if (args.has(kHold))
        rule.holdMs = parseDurationMs(kHold, args.value(kHold));
    if (args.has(kMinFinished))
        rule.minFinished = int(parseNumber(kMinFinished, args.value(kMinFinished), 1, 1'000'000));
    if (args.has(kHaltAbove))
        rule.haltAbove = parseBasisPoints(args.value(kHaltAbove));
    return rule;
}

QList<PlanStep> stepsOrUsage(const Result<QList<PlanStep>> &parsed)
{
    if (!parsed.ok())
        usageError(QStringLiteral("--steps: ") + parsed.error().message);
    return parsed.value();
}

} // namespace

QStringList PlanCommands::guardOptions()
{
    return {kCanary, kSteps, kHold, kHaltAbove, kMinFinished};
}

bool PlanCommands::wantsGuard(const ParsedArguments &args)
{
    for (const QString &option : guardOptions())
        if (args.has(option))
            return true;
    return false;
}

ExitCode PlanCommands::createRetry()
{
    const ParsedArguments &args = m_context.args();
    QStringList allowed = failureFilterOptions();
    allowed << guardOptions() << QStringLiteral("reason") << QStringLiteral("json");
    args.allowOnly(QStringLiteral("guarded retry"), allowed);
    args.expectPositionals(QStringLiteral("retry"), 1, 1);
    if (!hasFailureFilter(args))
        usageError(QStringLiteral("a guarded retry takes failure filter flags such as "
                                  "--error-class, not --user"));
    RetryPlanRequest request;
    request.reason = m_context.reason();
    QString stepText = args.has(kSteps) ? args.value(kSteps) : QStringLiteral("100%");
    if (args.has(kCanary))
        stepText = QString::number(parseNumber(kCanary, args.value(kCanary), 1, 10'000'000))
                   + u',' + stepText;
    request.steps = stepsOrUsage(parseRetrySteps(stepText));
    const Rule rule = ruleFrom(args, 5 * 60'000);
    request.holdMs = rule.holdMs;
    request.minFinished = rule.minFinished;
    request.haltAboveBasisPoints = rule.haltAbove;
    request.by = Operator::fromEnvironment();
    request.filter = failureFilterFrom(m_context);
    m_context.requireAccess(RoleAction::ManagePlans);
    const Plan plan = take(m_context.store().createRetryPlan(request));
    report(plan, QStringLiteral("Guarded retry plan %1 made: %2 failed users of %3.")
                     .arg(plan.id)
                     .arg(thousands(plan.usersTotal), cellText(plan.selection)));
    return ExitCode::Ok;
}

ExitCode PlanCommands::createRamp()
{
    const ParsedArguments &args = m_context.args();
    args.allowOnly(QStringLiteral("rollout ramp"),
                   {kSteps, kHold, kHaltAbove, kMinFinished, QStringLiteral("reason"),
                    QStringLiteral("json")});
    args.expectPositionals(QStringLiteral("rollout ramp"), 4, 4);
    if (!args.has(kSteps))
        usageError(QStringLiteral("rollout ramp needs --steps, e.g. --steps 1,5,25,50,100"));
    RampPlanRequest request;
    request.flag = args.positional(2);
    request.portal = args.positional(3);
    request.reason = m_context.reason();
    request.steps = stepsOrUsage(parseRampSteps(args.value(kSteps)));
    const Rule rule = ruleFrom(args, 10 * 60'000);
    request.holdMs = rule.holdMs;
    request.minFinished = rule.minFinished;
    request.haltAboveBasisPoints = rule.haltAbove;
    request.by = Operator::fromEnvironment();
    m_context.requireAccess(RoleAction::ManagePlans);
    const Plan plan = take(m_context.store().createRampPlan(request));
    report(plan, QStringLiteral("Rollout ramp plan %1 made: %2 from %3.")
                     .arg(QString::number(plan.id), cellText(plan.selection),
                          pct(plan.startBasisPoints)));
    return ExitCode::Ok;
}

ExitCode PlanCommands::run()
{
    const QString verb = m_context.args().positional(1);
    if (verb == QLatin1String("list"))
        return list();
    if (verb == QLatin1String("show"))
        return show();
    if (verb == QLatin1String("pause"))
        return change(PlanAction::Pause);
    if (verb == QLatin1String("resume"))
        return change(PlanAction::Resume);
    if (verb == QLatin1String("cancel"))
        return change(PlanAction::Cancel);
    if (verb == QLatin1String("run"))
        return execute();
    usageError(QStringLiteral("use: migctl plan list|show|pause|resume|cancel|run"));
}

ExitCode PlanCommands::list()
{
    const ParsedArguments &args = m_context.args();
    args.allowOnly(QStringLiteral("plan list"), {QStringLiteral("json")});
    args.expectPositionals(QStringLiteral("plan list"), 2, 2);
    const QList<Plan> plans = take(m_context.store().plans());
    if (m_context.json()) {
        QJsonArray array;
        for (const Plan &p : plans)
            array.append(planJson(p));
        m_context.out().json(QJsonObject{{QStringLiteral("plans"), array}});
        return ExitCode::Ok;
    }
    Table table({QStringLiteral("ID"), QStringLiteral("KIND"), QStringLiteral("STATE"),
                 QStringLiteral("STEP"), QStringLiteral("PROGRESS"), QStringLiteral("FAILED"),
                 QStringLiteral("HALT ABOVE"), QStringLiteral("SELECTION")});
    table.alignRight({0});
    for (const Plan &p : plans)
        table.addRow({QString::number(p.id), planKindName(p.kind), planStateName(p.state),
                      QStringLiteral("%1/%2").arg(p.step + 1).arg(p.steps.size()),
                      progressText(p),
                      QStringLiteral("%1 of %2 (%3)")
                          .arg(thousands(p.figures.failed), thousands(p.figures.finished),
                               pct(p.figures.rateBasisPoints())),
                      pct(p.haltAboveBasisPoints), cellText(p.selection)});
    if (plans.isEmpty())
        m_context.out().line(QStringLiteral("No plans."));
    else
        m_context.out().print(table.render());
    return ExitCode::Ok;
}

void PlanCommands::report(const Plan &p, const QString &headline)
{
    Output &out = m_context.out();
    if (m_context.json()) {
        out.json(planJson(p));
        return;
    }
    if (!headline.isEmpty())
        out.line(headline);
    Table table({QStringLiteral("FIELD"), QStringLiteral("VALUE")});
    table.addRow({QStringLiteral("plan"),
                  QStringLiteral("%1 (%2)").arg(p.id).arg(planKindName(p.kind))});
    table.addRow({QStringLiteral("state"), planStateName(p.state)});
    table.addRow({QStringLiteral("selection"), cellText(p.selection)});
    table.addRow({QStringLiteral("steps"), stepsText(p.steps)});
    table.addRow({QStringLiteral("step"), QStringLiteral("%1 of %2 (%3)")
                                              .arg(p.step + 1)
                                              .arg(p.steps.size())
                                              .arg(p.steps.value(p.step).text())});
    table.addRow({QStringLiteral("progress"), progressText(p)});
    table.addRow({QStringLiteral("hold"), QStringLiteral("%1, and %2 finished users before "
                                                         "judging")
                                              .arg(holdText(p.holdMs))
                                              .arg(p.minFinished)});
    table.addRow({QStringLiteral("halt above"),
                  QStringLiteral("%1 (baseline: %2)")
                      .arg(pct(p.haltAboveBasisPoints),
                           p.baselineBasisPoints ? pct(*p.baselineBasisPoints)
                                                 : QStringLiteral("nobody finished the hour "
                                                                  "before"))});
    table.addRow({QStringLiteral("failure rate"),
                  QStringLiteral("%1 (%2 failed of %3 finished)")
                      .arg(pct(p.figures.rateBasisPoints()), thousands(p.figures.failed),
                           thousands(p.figures.finished))});
    if (!p.haltReason.isEmpty())
        table.addRow({QStringLiteral("halted"), cellText(p.haltReason)});
    table.addRow({QStringLiteral("reason"), cellText(p.reason)});
    table.addRow({QStringLiteral("created"),
                  QStringLiteral("%1 by %2").arg(shortTime(p.createdAt), cellText(p.createdBy))});
    table.addRow({QStringLiteral("updated"),
                  QStringLiteral("%1 by %2").arg(shortTime(p.updatedAt), cellText(p.updatedBy))});
    out.print(table.render());
}

ExitCode PlanCommands::show()
{
    const ParsedArguments &args = m_context.args();
    args.allowOnly(QStringLiteral("plan show"), {QStringLiteral("json")});
    args.expectPositionals(QStringLiteral("plan show"), 3, 3);
    report(take(m_context.store().plan(planId(args.positional(2)))), {});
    return ExitCode::Ok;
}

ExitCode PlanCommands::change(PlanAction action)
{
    const ParsedArguments &args = m_context.args();
    const QString command = QStringLiteral("plan ") + planActionName(action);
    QStringList allowed{QStringLiteral("reason"), QStringLiteral("json")};
    if (action == PlanAction::Resume)
        allowed << kHaltAbove;
    args.allowOnly(command, allowed);
    args.expectPositionals(command, 3, 3);
    PlanChange change;
    change.planId = planId(args.positional(2));
    change.action = action;
    change.reason = m_context.reason();
    if (args.has(kHaltAbove))
        change.haltAboveBasisPoints = parseBasisPoints(args.value(kHaltAbove));
    change.by = Operator::fromEnvironment();
    m_context.requireAccess(RoleAction::ManagePlans);
    const Plan plan = take(m_context.store().changePlan(change));
    report(plan, QStringLiteral("Plan %1 is %2.").arg(plan.id).arg(planStateName(plan.state)));
    return ExitCode::Ok;
}

ExitCode PlanCommands::execute()
{
    const ParsedArguments &args = m_context.args();
    args.allowOnly(QStringLiteral("plan run"),
                   {QStringLiteral("batch-size"), QStringLiteral("interval"),
                    QStringLiteral("until-idle")});
    args.expectPositionals(QStringLiteral("plan run"), 2, 2);
    PlanPace pace;
    pace.by = Operator::fromEnvironment();
    if (args.has(QStringLiteral("batch-size")))
        pace.batchSize = int(parseNumber(QStringLiteral("batch-size"),
                                         args.value(QStringLiteral("batch-size")), 1, 10'000));
    const qint64 intervalMs = args.has(QStringLiteral("interval"))
        ? parseDurationMs(QStringLiteral("interval"), args.value(QStringLiteral("interval")))
        : 1000;
    const bool untilIdle = args.has(QStringLiteral("until-idle"));
    // An executor does what its plans do: a login without the lead's rights must not hold the
    // lock (it would keep a real executor out while able to do nothing).
    m_context.requireAccess(RoleAction::ManagePlans);
    MergeStore &store = m_context.store();
    Output &out = m_context.out();
    InterruptGuard interrupt;
    bool holding = false, waitingSaid = false;
    while (!interrupt.interrupted()) {
        const Result<bool> claimed = store.claimPlanExecutor();
        if (!claimed.ok()) {
            out.note(QStringLiteral("plan run: %1; trying again").arg(claimed.error().message));
        } else if (!claimed.value()) {
            if (!waitingSaid)
                out.note(QStringLiteral("plan run: waiting: another executor holds the plans' "
                                        "lock"));
            waitingSaid = true;
            holding = false;
        } else {
            if (!holding)
                out.note(QStringLiteral("plan run: executing plans as %1")
                             .arg(m_context.access().login));
            holding = true;
            waitingSaid = false;
            const Result<QList<PlanAdvance>> advances = store.advancePlans(pace);
            if (!advances.ok()) {
                out.note(QStringLiteral("plan run: %1").arg(advances.error().message));
            } else {
                for (const PlanAdvance &a : advances.value()) {
                    if (a.kind == PlanAdvance::Kind::Nothing
                        || a.kind == PlanAdvance::Kind::Holding)
                        continue;
                    out.line(QStringLiteral("%1 %2").arg(
                        QDateTime::currentDateTimeUtc().toString(Qt::ISODate), cellText(a.text)));
                }
                if (untilIdle && advances.value().isEmpty())
                    return ExitCode::Ok;
            }
        }
        // The interval paces the batches too: at most --batch-size users a pass.
        for (qint64 slept = 0; slept < intervalMs && !interrupt.interrupted(); slept += 50)
            QThread::msleep(50);
    }
    return ExitCode::Ok;
}

} // namespace mc::cli
