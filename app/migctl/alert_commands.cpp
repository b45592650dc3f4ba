#include "alert_commands.h"

#include "alert_evaluator.h"
#include "table.h"
#include "text_format.h"
#include "value_parsers.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>

#include <atomic>
#include <chrono>
#include <csignal>
#include <thread>

namespace mc::cli {

namespace {

std::atomic_bool g_stop{false};

extern "C" void onStopSignal(int)
{
    g_stop.store(true);
}

// "90", "90s", "15m", "2h", "1d" → seconds, within [min, max].
int parseSeconds(const QString &flag, const QString &text, int min, int max)
{
    static const QRegularExpression kDuration(QStringLiteral("^([0-9]{1,6})([smhd]?)$"));
    const QRegularExpressionMatch match = kDuration.match(text.trimmed());
    if (!match.hasMatch())
        usageError(QStringLiteral("--%1 takes a duration such as 90s, 15m, 2h or 1d").arg(flag));
    const qint64 unit = match.captured(2) == QLatin1String("m")   ? 60
                        : match.captured(2) == QLatin1String("h") ? 3600
                        : match.captured(2) == QLatin1String("d") ? 86400
                                                                  : 1;
    const qint64 seconds = match.captured(1).toLongLong() * unit;
    if (seconds < min || seconds > max)
        usageError(QStringLiteral("--%1 must be between %2 and %3")
                       .arg(flag, duration(min), duration(max)));
    return int(seconds);
}

QJsonValue optionalTimeJson(const std::optional<EpochMs> &ms)
{
    return ms ? QJsonValue(isoTime(*ms)) : QJsonValue(QJsonValue::Null);
}

QJsonObject ruleJson(const AlertRule &rule)
{
    return {{QStringLiteral("name"), rule.name},
            {QStringLiteral("kind"), alertKindName(rule.kind)},
            {QStringLiteral("scope"), rule.scope},
            {QStringLiteral("threshold"), rule.threshold},
            {QStringLiteral("min_count"), double(rule.minCount)},
            {QStringLiteral("window_s"), rule.windowS},
            {QStringLiteral("for_s"), rule.forS},
            {QStringLiteral("keep_firing_s"), rule.keepFiringS},
            {QStringLiteral("severity"), severityName(rule.severity)},
            {QStringLiteral("enabled"), rule.enabled},
            {QStringLiteral("muted_until"), optionalTimeJson(rule.mutedUntil)},
            {QStringLiteral("version"), double(rule.version)},
            {QStringLiteral("updated_by"), rule.updatedBy}};
}

QJsonObject alertJson(const AlertRuleState &entry)
{
    const AlertStatus &s = entry.status;
    return {{QStringLiteral("rule"), entry.rule.name},
            {QStringLiteral("kind"), alertKindName(entry.rule.kind)},
            {QStringLiteral("severity"), severityName(entry.rule.severity)},
            {QStringLiteral("enabled"), entry.rule.enabled},
            {QStringLiteral("state"), alertPhaseName(s.phase)},
            {QStringLiteral("since"), optionalTimeJson(s.since)},
            {QStringLiteral("fired_at"), optionalTimeJson(s.firedAt)},
            {QStringLiteral("cleared_at"), optionalTimeJson(s.clearedAt)},
            {QStringLiteral("resolved_at"), optionalTimeJson(s.resolvedAt)},
            {QStringLiteral("firing_id"), s.firingId ? QJsonValue(double(*s.firingId))
                                                     : QJsonValue(QJsonValue::Null)},
            {QStringLiteral("figures"), s.figures},
            {QStringLiteral("summary"), s.figures.isEmpty()
                                            ? QString()
                                            : figuresSummary(entry.rule, s.figures)},
            {QStringLiteral("link"), alertLink(entry.rule, s)},
            {QStringLiteral("muted_until"), optionalTimeJson(entry.rule.mutedUntil)}};
}

QString stateText(const AlertRuleState &entry)
{
    if (!entry.rule.enabled)
        return QStringLiteral("disabled");
    QString text = alertPhaseName(entry.status.phase);
    if (entry.status.phase == AlertPhase::Firing && entry.status.clearedAt)
        text += QStringLiteral(" (clearing)");
    return text;
}

const AlertRuleState *findRule(const AlertsSnapshot &snapshot, const QString &name)
{
    for (const AlertRuleState &entry : snapshot.rules)
        if (entry.rule.name == name)
            return &entry;
    return nullptr;
}

} // namespace

ExitCode AlertCommands::run()
{
    const QString verb = m_context.args().positional(1);
    if (verb.isEmpty())
        return state();
    if (verb == QLatin1String("rules"))
        return rules();
    if (verb == QLatin1String("set") || verb == QLatin1String("disable"))
        return set(verb == QLatin1String("disable"));
    if (verb == QLatin1String("watch"))
        return watch();
    usageError(QStringLiteral("unknown alerts command \"%1\"; use rules, set, disable or watch")
                   .arg(verb));
}

ExitCode AlertCommands::state()
{
    const ParsedArguments &args = m_context.args();
    args.allowOnly(QStringLiteral("alerts"), {QStringLiteral("json")});
    args.expectPositionals(QStringLiteral("alerts"), 1, 1);
    const AlertsSnapshot snapshot = take(m_context.store().alerts(AlertsRequest{0}));
    if (m_context.json()) {
        QJsonArray alerts;
        for (const AlertRuleState &entry : snapshot.rules)
            alerts.append(alertJson(entry));
        m_context.out().json(QJsonObject{{QStringLiteral("now"), isoTime(snapshot.inputs.now)},
                                         {QStringLiteral("alerts"), alerts}});
        return ExitCode::Ok;
    }
    Table table({QStringLiteral("RULE"), QStringLiteral("SEVERITY"), QStringLiteral("STATE"),
                 QStringLiteral("SINCE"), QStringLiteral("FIGURES")});
    for (const AlertRuleState &entry : snapshot.rules)
        table.addRow({entry.rule.name, severityName(entry.rule.severity), stateText(entry),
                      optionalTime(entry.status.phase == AlertPhase::Resolved
                                       ? entry.status.resolvedAt
                                       : entry.status.since),
                      entry.status.figures.isEmpty()
                          ? QStringLiteral("-")
                          : figuresSummary(entry.rule, entry.status.figures)});
    m_context.out().print(table.render());
    return ExitCode::Ok;
}

ExitCode AlertCommands::rules()
{
    const ParsedArguments &args = m_context.args();
    args.allowOnly(QStringLiteral("alerts rules"), {QStringLiteral("json")});
    args.expectPositionals(QStringLiteral("alerts rules"), 2, 2);
    const AlertsSnapshot snapshot = take(m_context.store().alerts(AlertsRequest{0}));
    if (m_context.json()) {
        QJsonArray rules;
        for (const AlertRuleState &entry : snapshot.rules)
            rules.append(ruleJson(entry.rule));
        m_context.out().json(QJsonObject{{QStringLiteral("rules"), rules}});
        return ExitCode::Ok;
    }
    Table table({QStringLiteral("RULE"), QStringLiteral("KIND"), QStringLiteral("SCOPE"),
                 QStringLiteral("THRESHOLD"), QStringLiteral("MIN"), QStringLiteral("WINDOW"),
                 QStringLiteral("FOR"), QStringLiteral("KEEP FIRING"), QStringLiteral("SEVERITY"),
                 QStringLiteral("ENABLED"), QStringLiteral("MUTED UNTIL"),
                 QStringLiteral("VERSION")});
    table.alignRight({3, 4, 11});
    for (const AlertRuleState &entry : snapshot.rules) {
        const AlertRule &r = entry.rule;
        const bool rate = r.kind == AlertKind::FailureRate;
        table.addRow({r.name, alertKindName(r.kind), r.scope.isEmpty() ? QStringLiteral("all")
                                                                       : r.scope,
                      rate ? QStringLiteral("%1 %").arg(r.threshold) : QStringLiteral("-"),
                      rate ? QString::number(r.minCount) : QStringLiteral("-"),
                      duration(r.windowS), duration(r.forS), duration(r.keepFiringS),
                      severityName(r.severity),
                      r.enabled ? QStringLiteral("yes") : QStringLiteral("no"),
                      r.mutedAt(snapshot.inputs.now) ? optionalTime(r.mutedUntil)
                                                     : QStringLiteral("-"),
                      QString::number(r.version)});
    }
    m_context.out().print(table.render());
    return ExitCode::Ok;
}

ExitCode AlertCommands::set(bool disable)
{
    const ParsedArguments &args = m_context.args();
    const QString command = disable ? QStringLiteral("alerts disable")
                                    : QStringLiteral("alerts set");
    QStringList allowed{QStringLiteral("reason"), QStringLiteral("json"),
                        QStringLiteral("expect-version")};
    if (!disable)
        allowed << QStringLiteral("kind") << QStringLiteral("scope") << QStringLiteral("threshold")
                << QStringLiteral("min-count") << QStringLiteral("window") << QStringLiteral("for")
                << QStringLiteral("keep-firing") << QStringLiteral("severity")
                << QStringLiteral("enable") << QStringLiteral("mute") << QStringLiteral("unmute");
    args.allowOnly(command, allowed);
    args.expectPositionals(command, 3, 3);
    AlertRuleChange change;
    change.reason = m_context.reason();
    change.by = Operator::fromEnvironment();
    const QString name = args.positional(2);
    // Refused before anything is read or written when the login's role does not allow it.
    m_context.requireAccess(RoleAction::EditAlerts);

    const AlertsSnapshot snapshot = take(m_context.store().alerts(AlertsRequest{0}));
    const AlertRuleState *existing = findRule(snapshot, name);
    if (existing)
        change.rule = existing->rule;
    else if (disable)
        fail(ExitCode::Error, QStringLiteral("There is no alert rule %1; `migctl alerts rules` "
                                             "lists them.")
                                  .arg(name));
    else
        change.rule.name = name;
    if (const auto expected = m_context.expectVersion(); expected && *expected != change.rule.version)
        fail(ExitCode::Conflict, QStringLiteral("The rule %1 is at version %2, not %3; read it "
                                                "again.")
                                     .arg(name)
                                     .arg(change.rule.version)
                                     .arg(*expected));
    AlertRule &rule = change.rule;
    if (disable) {
        rule.enabled = false;
    } else {
        if (args.has(QStringLiteral("kind"))) {
            const auto kind = alertKindFromName(args.value(QStringLiteral("kind")));
            if (!kind)
                usageError(QStringLiteral("--kind is failure_rate, falling_behind, stall or "
                                          "plan_halted"));
            rule.kind = *kind;
        } else if (!existing) {
            usageError(QStringLiteral("a new rule needs --kind"));
        }
        if (args.has(QStringLiteral("scope")))
            rule.scope = args.value(QStringLiteral("scope"));
        if (args.has(QStringLiteral("threshold"))) {
            bool ok = false;
            rule.threshold = args.value(QStringLiteral("threshold")).toDouble(&ok);
            if (!ok || rule.threshold < 0 || rule.threshold > 100)
                usageError(QStringLiteral("--threshold is a percentage, 0 to 100"));
        }
        if (args.has(QStringLiteral("min-count")))
            rule.minCount = parseNumber(QStringLiteral("min-count"),
                                        args.value(QStringLiteral("min-count")), 0, 1'000'000'000);
        if (args.has(QStringLiteral("window")))
            rule.windowS = parseSeconds(QStringLiteral("window"),
                                        args.value(QStringLiteral("window")), 10, 86400);
        if (args.has(QStringLiteral("for")))
            rule.forS = parseSeconds(QStringLiteral("for"), args.value(QStringLiteral("for")), 0,
                                     86400);
        if (args.has(QStringLiteral("keep-firing")))
            rule.keepFiringS = parseSeconds(QStringLiteral("keep-firing"),
                                            args.value(QStringLiteral("keep-firing")), 0, 86400);
        if (args.has(QStringLiteral("severity"))) {
            const auto severity = severityFromName(args.value(QStringLiteral("severity")));
            if (!severity)
                usageError(QStringLiteral("--severity is info, warning or critical"));
            rule.severity = *severity;
        }
        if (args.has(QStringLiteral("enable")))
            rule.enabled = true;
        if (args.has(QStringLiteral("mute")) && args.has(QStringLiteral("unmute")))
            usageError(QStringLiteral("--mute and --unmute together"));
        if (args.has(QStringLiteral("mute")))
            change.muteS = parseSeconds(QStringLiteral("mute"), args.value(QStringLiteral("mute")),
                                        1, 86400);
        if (args.has(QStringLiteral("unmute")))
            change.muteS = 0;
    }
    const AlertRule stored = take(m_context.store().setAlertRule(change));
    if (m_context.json())
        m_context.out().json(QJsonObject{{QStringLiteral("rule"), ruleJson(stored)}});
    else
        m_context.out().line(QStringLiteral("Alert rule %1 %2 (version %3).")
                                 .arg(stored.name,
                                      !existing          ? QStringLiteral("created")
                                      : disable          ? QStringLiteral("disabled")
                                      : stored.mutedUntil ? QStringLiteral("saved, muted until ")
                                                                + shortTime(*stored.mutedUntil)
                                                          : QStringLiteral("saved"))
                                 .arg(stored.version));
    return ExitCode::Ok;
}

ExitCode AlertCommands::watch()
{
    const ParsedArguments &args = m_context.args();
    args.allowOnly(QStringLiteral("alerts watch"),
                   {QStringLiteral("json"), QStringLiteral("interval")});
    args.expectPositionals(QStringLiteral("alerts watch"), 2, 2);
    const int intervalS = args.has(QStringLiteral("interval"))
        ? parseSeconds(QStringLiteral("interval"), args.value(QStringLiteral("interval")), 1, 3600)
        : 10;
    MergeStore &store = m_context.store();
    g_stop.store(false);
    std::signal(SIGTERM, onStopSignal);
    std::signal(SIGINT, onStopSignal);
    m_context.out().note(QStringLiteral("migctl: evaluating the alert rules every %1; SIGTERM or "
                                        "Ctrl-C stops")
                             .arg(duration(intervalS)));
    while (!g_stop.load()) {
        const Result<AlertCycle> cycle = AlertEvaluator::cycle(store, AlertsRequest{0});
        if (!cycle) {
            m_context.out().note(QStringLiteral("migctl: %1").arg(cycle.error().message));
        } else {
            for (const AlertTransition &t : cycle->transitions) {
                const AlertRuleState *entry = findRule(cycle->snapshot, t.rule);
                if (!entry)
                    continue;
                if (m_context.json()) {
                    QJsonObject line = alertJson(*entry);
                    line.insert(QStringLiteral("transition"), alertStepName(t.step));
                    line.insert(QStringLiteral("at"), isoTime(cycle->snapshot.inputs.now));
                    m_context.out().line(QString::fromUtf8(
                        QJsonDocument(line).toJson(QJsonDocument::Compact)));
                } else {
                    m_context.out().line(QStringLiteral("%1 %2 %3 (%4): %5")
                                             .arg(shortTime(cycle->snapshot.inputs.now),
                                                  t.rule, alertStepName(t.step),
                                                  severityName(entry->rule.severity),
                                                  figuresSummary(entry->rule, t.figures)));
                }
            }
            std::fflush(stdout);
        }
        for (int i = 0; i < intervalS * 10 && !g_stop.load(); ++i)
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    std::signal(SIGTERM, SIG_DFL);
    std::signal(SIGINT, SIG_DFL);
    return ExitCode::Ok;
}

} // namespace mc::cli
