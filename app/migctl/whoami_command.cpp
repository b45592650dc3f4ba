#include "whoami_command.h"

#include "text_format.h"

#include <QJsonArray>
#include <QJsonObject>

namespace mc::cli {

ExitCode WhoamiCommand::run()
{
    const ParsedArguments &args = m_context.args();
    args.allowOnly(QStringLiteral("whoami"), {QStringLiteral("json")});
    args.expectPositionals(QStringLiteral("whoami"), 1, 1);
    const RoleAccess &access = m_context.access();
    Output &out = m_context.out();
    if (m_context.json()) {
        QJsonObject can;
        QJsonObject why;
        for (RoleAction action : RoleAccess::actions()) {
            can.insert(RoleAccess::key(action), access.may(action));
            if (!access.may(action))
                why.insert(RoleAccess::key(action), access.whyNot(action));
        }
        out.json(QJsonObject{{QStringLiteral("login"), access.login},
                             {QStringLiteral("role"), access.roleLabel()},
                             {QStringLiteral("roles"), QJsonArray::fromStringList(access.roles)},
                             {QStringLiteral("owner"), access.owner},
                             {QStringLiteral("can"), can},
                             {QStringLiteral("why_not"), why}});
        return ExitCode::Ok;
    }
    out.line(fieldLine(QStringLiteral("login"), cellText(access.login)));
    out.line(fieldLine(QStringLiteral("role"), access.roleLabel()));
    out.line(fieldLine(QStringLiteral("roles"), access.roles.isEmpty()
                                                    ? QStringLiteral("-")
                                                    : access.roles.join(QStringLiteral(", "))));
    for (RoleAction action : RoleAccess::actions())
        out.line(fieldLine(RoleAccess::key(action),
                           access.may(action) ? QStringLiteral("yes")
                                              : QStringLiteral("no (%1)")
                                                    .arg(access.whyNot(action))));
    return ExitCode::Ok;
}

} // namespace mc::cli
