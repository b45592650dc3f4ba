#include "environment_commands.h"

#include <QJsonObject>

namespace mc::cli {

namespace {

QJsonObject toJson(const Environment &environment)
{
    if (!environment.known)
        return {{QStringLiteral("name"), QJsonValue::Null},
                {QStringLiteral("class"), QJsonValue::Null}};
    return {{QStringLiteral("name"), environment.name},
            {QStringLiteral("class"), environmentClassName(environment.environmentClass)},
            {QStringLiteral("version"), double(environment.version)}};
}

} // namespace

ExitCode EnvironmentCommands::run()
{
    const QString verb = m_context.args().positional(1);
    if (verb == QLatin1String("show"))
        return show();
    if (verb == QLatin1String("set"))
        return set();
    usageError(verb.isEmpty()
                   ? QStringLiteral("'environment' needs show or set")
                   : QStringLiteral("unknown environment command \"%1\"; use show or set")
                         .arg(verb));
}

void EnvironmentCommands::print(const Environment &environment)
{
    if (m_context.json())
        m_context.out().json(QJsonObject{{QStringLiteral("environment"), toJson(environment)}});
    else if (!environment.known)
        m_context.out().line(QStringLiteral("Environment: not set (a lead sets it with "
                                            "`migctl environment set NAME --class CLASS "
                                            "--reason TEXT`)"));
    else
        m_context.out().line(QStringLiteral("Environment: %1 (%2)")
                                 .arg(environment.name,
                                      environmentClassName(environment.environmentClass)));
}

ExitCode EnvironmentCommands::show()
{
    const ParsedArguments &args = m_context.args();
    args.allowOnly(QStringLiteral("environment show"), {QStringLiteral("json")});
    args.expectPositionals(QStringLiteral("environment show"), 2, 2);
    print(take(m_context.store().serverInfo()).environment);
    return ExitCode::Ok;
}

ExitCode EnvironmentCommands::set()
{
    const ParsedArguments &args = m_context.args();
    args.allowOnly(QStringLiteral("environment set"),
                   {QStringLiteral("class"), QStringLiteral("reason"), QStringLiteral("json")});
    args.expectPositionals(QStringLiteral("environment set"), 3, 3);
    EnvironmentChange change;
    change.name = args.positional(2);
    if (change.name.trimmed().isEmpty())
        usageError(QStringLiteral("environment set needs a NAME"));
    const auto environmentClass = environmentClassFromName(args.value(QStringLiteral("class")));
    if (!environmentClass)
        usageError(QStringLiteral("--class must be development, staging or production"));
    change.environmentClass = *environmentClass;
    change.reason = m_context.reason();
    change.by = Operator::fromEnvironment();
    print(take(m_context.store().setEnvironment(change)));
    return ExitCode::Ok;
}

} // namespace mc::cli
