#include "queue_commands.h"

#include "json_views.h"
#include "settings_tables.h"
#include "text_format.h"
#include "value_parsers.h"

#include <QJsonArray>

#include <limits>

namespace mc::cli {

namespace {

const QString kParallelism = QStringLiteral("parallelism");
const QString kRunEveryMs = QStringLiteral("run-every-ms");
const QString kMaxAttempts = QStringLiteral("max-attempts");

std::optional<int> number(const ParsedArguments &args, const QString &flag, int min)
{
    if (!args.has(flag))
        return std::nullopt;
    return int(parseNumber(flag, args.value(flag), min, std::numeric_limits<int>::max()));
}

} // namespace

ExitCode QueueCommands::run()
{
    const QString verb = m_context.args().positional(1);
    if (verb == QLatin1String("list"))
        return list();
    if (verb == QLatin1String("set"))
        return set();
    if (verb == QLatin1String("pause") || verb == QLatin1String("resume"))
        return pause(verb == QLatin1String("pause"));
    usageError(verb.isEmpty() ? QStringLiteral("'queue' needs list, set, pause or resume")
                              : QStringLiteral("unknown queue command \"%1\"; use list, set, "
                                               "pause or resume")
                                    .arg(verb));
}

ExitCode QueueCommands::list()
{
    const ParsedArguments &args = m_context.args();
    args.allowOnly(QStringLiteral("queue list"), {QStringLiteral("json")});
    args.expectPositionals(QStringLiteral("queue list"), 2, 2);
    const OverviewSnapshot overview = take(m_context.store().overview(OverviewRequest{0}));
    if (m_context.json()) {
        QJsonArray queues;
        for (const QueueState &queue : overview.queues)
            queues.append(toJson(queue));
        m_context.out().json(QJsonObject{{QStringLiteral("queues"), queues}});
    } else {
        m_context.out().print(queueTable(overview.queues));
    }
    return ExitCode::Ok;
}

ExitCode QueueCommands::set()
{
    const ParsedArguments &args = m_context.args();
    args.allowOnly(QStringLiteral("queue set"),
                   {kParallelism, kRunEveryMs, kMaxAttempts, QStringLiteral("expect-version"),
                    QStringLiteral("reason"), QStringLiteral("json")});
    args.expectPositionals(QStringLiteral("queue set"), 3, 3);
    QueueChange change;
    change.parallelism = number(args, kParallelism, 0); // 0 stops new claims
    change.runEveryMs = number(args, kRunEveryMs, 1);
    change.maxAttempts = number(args, kMaxAttempts, 1);
    if (!change.parallelism && !change.runEveryMs && !change.maxAttempts)
        usageError(QStringLiteral("'queue set' needs --parallelism N, --run-every-ms N or "
                                  "--max-attempts N"));
    return apply(std::move(change));
}

ExitCode QueueCommands::pause(bool paused)
{
    const ParsedArguments &args = m_context.args();
    const QString command = paused ? QStringLiteral("queue pause") : QStringLiteral("queue resume");
    args.allowOnly(command, {QStringLiteral("expect-version"), QStringLiteral("reason"),
                             QStringLiteral("json")});
    args.expectPositionals(command, 3, 3);
    QueueChange change;
    change.paused = paused;
    return apply(std::move(change));
}

ExitCode QueueCommands::apply(QueueChange change)
{
    change.queue = m_context.args().positional(2);
    change.reason = m_context.reason();
    change.expectVersion = m_context.expectVersion();
    change.by = Operator::fromEnvironment();
    m_context.requireAccess(RoleAction::ChangeQueues);
    const QueueState after = take(m_context.store().updateQueue(change));

    Output &out = m_context.out();
    if (m_context.json()) {
        out.json(toJson(after));
        return ExitCode::Ok;
    }
    out.line(QStringLiteral("Queue %1 is now at version %2:")
                 .arg(cellText(after.name))
                 .arg(after.version));
    out.print(queueTable({after}));
    return ExitCode::Ok;
}

} // namespace mc::cli
