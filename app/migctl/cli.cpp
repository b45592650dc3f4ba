#include "cli.h"

#include "alert_commands.h"
#include "audit_command.h"
#include "build_info.h"
#include "failure_commands.h"
#include "logging.h"
#include "plan_commands.h"
#include "profile_commands.h"
#include "queue_commands.h"
#include "retry_command.h"
#include "environment_commands.h"
#include "rollout_commands.h"
#include "schema_commands.h"
#include "status_command.h"
#include "text_format.h"
#include "usage_text.h"
#include "user_command.h"
#include "verify_command.h"
#include "whoami_command.h"

#include <exception>

namespace mc::cli {

namespace {

ArgumentParser parser()
{
    auto value = [](const char *name, const char *valueName) {
        return OptionSpec{QString::fromLatin1(name), QString::fromLatin1(valueName), false};
    };
    auto flag = [](const char *name) { return OptionSpec{QString::fromLatin1(name), {}, false}; };
    return ArgumentParser({
        value("db", "URL"), value("log-level", "LEVEL"), flag("help"), flag("version"),
        flag("json"),
        value("limit", "N"), value("after", "CURSOR"), value("model", "NAME"),
        value("error-class", "CLASS"), value("portal", "CODE"), value("since", "TIME"),
        value("until", "TIME"), value("search", "TEXT"), flag("match-case"),
        value("group", "FINGERPRINT"), flag("include-resolved"), flag("payload"),
        OptionSpec{QStringLiteral("user"), QStringLiteral("PORTAL:USER_ID"), true},
        value("users-from", "FILE"), value("reason", "TEXT"), flag("dry-run"), flag("yes"),
        value("batch-size", "N"), value("parallelism", "N"), value("run-every-ms", "N"),
        value("max-attempts", "N"), value("expect-version", "V"), value("action", "ACTION"),
        value("actor", "NAME"), flag("repair"), flag("print-sql"), value("class", "CLASS"),
        value("profile", "NAME"), value("canary", "N"), value("steps", "LIST"),
        value("hold", "DURATION"), value("halt-above", "PERCENT"), value("min-finished", "N"),
        value("interval", "DURATION"), flag("until-idle"),
        value("kind", "KIND"), value("scope", "SCOPE"), value("threshold", "PERCENT"),
        value("min-count", "N"), value("window", "DURATION"), value("for", "DURATION"),
        value("keep-firing", "DURATION"), value("severity", "SEVERITY"), flag("enable"),
        value("mute", "DURATION"), flag("unmute"),
    });
}

// Level for mc::initLogging: the flag, else MIGRATION_CONSOLE_LOG, else "error" so that a
// command's stderr carries its own message and not the store's log lines as well.
QString logLevel(const ParsedArguments &args)
{
    static const QStringList levels{QStringLiteral("trace"), QStringLiteral("debug"),
                                    QStringLiteral("info"),  QStringLiteral("warn"),
                                    QStringLiteral("error"), QStringLiteral("critical"),
                                    QStringLiteral("off")};
    if (args.has(QStringLiteral("log-level"))) {
        const QString level = args.value(QStringLiteral("log-level")).toLower();
        if (!levels.contains(level))
            usageError(QStringLiteral("--log-level takes one of %1")
                           .arg(levels.join(QStringLiteral(", "))));
        return level;
    }
    const QString fromEnvironment = qEnvironmentVariable("MIGRATION_CONSOLE_LOG");
    return fromEnvironment.isEmpty() ? QStringLiteral("error") : fromEnvironment;
}

// One line, terminal-safe, whatever the store's message holds.
QString oneLine(const QString &message)
{
    QString text = message;
    text.replace(QLatin1Char('\n'), QLatin1Char(' '));
    return cellText(text.trimmed());
}

} // namespace

ExitCode Cli::dispatch(const QStringList &arguments)
{
    ParsedArguments args = parser().parse(arguments);
    const QString command = args.positional(0);
    if (args.has(QStringLiteral("help")) || command == QLatin1String("help")) {
        m_out.print(usageText());
        return ExitCode::Ok;
    }
    if (args.has(QStringLiteral("version"))) {
        m_out.line(QStringLiteral("migctl ") + QLatin1String(versionText()));
        return ExitCode::Ok;
    }
    if (command.isEmpty())
        usageError(QStringLiteral("no command given; see migctl --help"));
    initLogging(QStringLiteral("migctl"), logLevel(args));

    CommandContext context(std::move(args), m_out);
    const QString verb = context.args().positional(1);
    if (command == QLatin1String("schema"))
        return SchemaCommands(context).run();
    if (command == QLatin1String("status"))
        return StatusCommand(context).run();
    if (command == QLatin1String("failures"))
        return FailureCommands(context).list();
    if (command == QLatin1String("failure")) {
        if (verb != QLatin1String("show"))
            usageError(QStringLiteral("use: migctl failure show ID [--payload]"));
        return FailureCommands(context).show();
    }
    if (command == QLatin1String("errors"))
        return FailureCommands(context).errors();
    if (command == QLatin1String("user")) {
        if (verb != QLatin1String("show"))
            usageError(QStringLiteral("use: migctl user show PORTAL:USER_ID"));
        return UserCommand(context).show();
    }
    if (command == QLatin1String("retry")) {
        if (PlanCommands::wantsGuard(context.args()))
            return PlanCommands(context).createRetry();
        return RetryCommand(context).run();
    }
    if (command == QLatin1String("plan"))
        return PlanCommands(context).run();
    if (command == QLatin1String("queue"))
        return QueueCommands(context).run();
    if (command == QLatin1String("rollout"))
        return RolloutCommands(context).run();
    if (command == QLatin1String("environment"))
        return EnvironmentCommands(context).run();
    if (command == QLatin1String("alerts"))
        return AlertCommands(context).run();
    if (command == QLatin1String("profile"))
        return ProfileCommands(context).run();
    if (command == QLatin1String("audit"))
        return AuditCommand(context).run();
    if (command == QLatin1String("whoami"))
        return WhoamiCommand(context).run();
    if (command == QLatin1String("verify"))
        return VerifyCommand(context).run();
    usageError(QStringLiteral("unknown command \"%1\"; see migctl --help").arg(command));
}

ExitCode Cli::run(const QStringList &arguments)
{
    try {
        return dispatch(arguments);
    } catch (const CliError &error) {
        m_out.note(QStringLiteral("migctl: ") + oneLine(error.message));
        return error.code;
    } catch (const std::exception &error) {
        m_out.note(QStringLiteral("migctl: unexpected error: ")
                   + oneLine(QString::fromLocal8Bit(error.what())));
        return ExitCode::Error;
    }
}

} // namespace mc::cli
