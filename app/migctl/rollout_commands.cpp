#include "rollout_commands.h"

#include "json_views.h"
#include "plan_commands.h"
#include "settings_tables.h"
#include "terminal.h"
#include "text_format.h"
#include "value_parsers.h"

#include <QJsonArray>

#include <cstdlib>

namespace mc::cli {

ExitCode RolloutCommands::run()
{
    const QString verb = m_context.args().positional(1);
    if (verb == QLatin1String("list"))
        return list();
    if (verb == QLatin1String("set"))
        return set();
    if (verb == QLatin1String("ramp"))
        return PlanCommands(m_context).createRamp();
    usageError(verb.isEmpty()
                   ? QStringLiteral("'rollout' needs list, set or ramp")
                   : QStringLiteral("unknown rollout command \"%1\"; use list, set or ramp")
                         .arg(verb));
}

ExitCode RolloutCommands::list()
{
    const ParsedArguments &args = m_context.args();
    args.allowOnly(QStringLiteral("rollout list"), {QStringLiteral("json")});
    args.expectPositionals(QStringLiteral("rollout list"), 2, 2);
    const OverviewSnapshot overview = take(m_context.store().overview(OverviewRequest{0}));
    if (m_context.json()) {
        QJsonArray flags;
        for (const RolloutFlag &flag : overview.rollout)
            flags.append(toJson(flag));
        m_context.out().json(QJsonObject{{QStringLiteral("rollout"), flags}});
    } else {
        m_context.out().print(rolloutTable(overview.rollout));
    }
    return ExitCode::Ok;
}

ExitCode RolloutCommands::set()
{
    const ParsedArguments &args = m_context.args();
    args.allowOnly(QStringLiteral("rollout set"),
                   {QStringLiteral("expect-version"), QStringLiteral("reason"),
                    QStringLiteral("yes"), QStringLiteral("json")});
    args.expectPositionals(QStringLiteral("rollout set"), 5, 5);
    RolloutChange change;
    change.flag = args.positional(2);
    change.portal = args.positional(3);
    change.basisPoints = parseBasisPoints(args.positional(4));
    change.reason = m_context.reason();
    change.expectVersion = m_context.expectVersion();
    change.by = Operator::fromEnvironment();
    m_context.requireAccess(RoleAction::ChangeRollout);

    // The jump is measured from what the flag holds now; a confirmed change is pinned to that
    // version, so nobody else's change can slip in between the question and the write.
    const OverviewSnapshot overview = take(m_context.store().overview(OverviewRequest{0}));
    std::optional<RolloutFlag> before;
    for (const RolloutFlag &flag : overview.rollout)
        if (flag.flag == change.flag && flag.portal == change.portal)
            before = flag;
    if (!before)
        fail(ExitCode::Error, QStringLiteral("There is no rollout flag '%1' for portal '%2'.")
                                  .arg(cellText(change.flag), cellText(change.portal)));
    if (std::abs(change.basisPoints - before->basisPoints) > kConfirmAboveBasisPoints) {
        const QString question =
            QStringLiteral("Change rollout '%1' on %2 from %3 % to %4 % (a jump of %5 points)?")
                .arg(cellText(change.flag), cellText(change.portal),
                     percentText(before->basisPoints), percentText(change.basisPoints),
                     percentText(std::abs(change.basisPoints - before->basisPoints)));
        confirmOrRefuse(m_context.out(), question, args.has(QStringLiteral("yes")));
        if (!change.expectVersion)
            change.expectVersion = before->version;
    }
    const RolloutFlag after = take(m_context.store().setRollout(change));

    Output &out = m_context.out();
    if (m_context.json()) {
        out.json(toJson(after));
        return ExitCode::Ok;
    }
    out.line(QStringLiteral("Rollout '%1' on %2: %3 % → %4 % (version %5)")
                 .arg(cellText(after.flag), cellText(after.portal),
                      percentText(before->basisPoints), percentText(after.basisPoints))
                 .arg(after.version));
    return ExitCode::Ok;
}

} // namespace mc::cli
