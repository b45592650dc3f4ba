#include "schema_commands.h"

#include "connection_url.h"
#include "json_views.h"
#include "schema_manager.h"
#include "terminal.h"
#include "text_format.h"

namespace mc::cli {

void SchemaCommands::print(const SchemaStatus &status, const QString &headline)
{
    Output &out = m_context.out();
    if (m_context.json()) {
        out.json(toJson(status));
        return;
    }
    if (!headline.isEmpty())
        out.line(headline);
    out.line(fieldLine(QStringLiteral("state"), stateName(status.state)));
    out.line(fieldLine(QStringLiteral("installed version"),
                       status.installedVersion > 0 ? QString::number(status.installedVersion)
                                                   : QStringLiteral("-")));
    out.line(fieldLine(QStringLiteral("known version"), QString::number(status.knownVersion)));
    if (!status.detail.isEmpty())
        out.line(fieldLine(QStringLiteral("detail"), status.detail));
}

Result<SchemaStatus> SchemaCommands::upgrade(MergeStore &store)
{
    // Each version on its own line; a step through existing rows (building an index in place)
    // as a percentage: redrawn on a terminal, a line every tenth otherwise.
    Output &out = m_context.out();
    ProgressLine line(out);
    QString step;
    qint64 tenths = -1;
    return store.upgradeSchema(Operator::fromEnvironment(), [&](const SchemaProgress &p) {
        if (p.step != step) {
            line.finish();
            step = p.step;
            tenths = -1;
            if (p.total == 0)
                out.note(QStringLiteral("version %1: %2").arg(p.version).arg(p.step));
        }
        if (p.total <= 0)
            return;
        const qint64 percent = p.done * 100 / p.total;
        const QString text = QStringLiteral("version %1: %2: %3 %").arg(p.version).arg(p.step)
                                 .arg(percent);
        if (Output::stderrIsTerminal())
            line.show(text);
        else if (percent / 10 != tenths)
            out.note(text);
        tenths = percent / 10;
    });
}

ExitCode SchemaCommands::printRoles()
{
    const ParsedArguments &args = m_context.args();
    args.allowOnly(QStringLiteral("schema roles"),
                   {QStringLiteral("print-sql"), QStringLiteral("db")});
    args.expectPositionals(QStringLiteral("schema roles"), 2, 2);
    if (!args.has(QStringLiteral("print-sql")))
        usageError(QStringLiteral("use: migctl schema roles --print-sql --db URL"));
    // Only the URL's kind is needed: nothing is asked of the server.
    QString url = args.value(QStringLiteral("db"));
    if (url.isEmpty())
        url = qEnvironmentVariable("MIGCTL_DB");
    const auto parsed = ConnectionUrl::parse(url);
    if (!parsed)
        usageError(QStringLiteral("give the database with --db URL (postgresql://… or "
                                  "mariadb://…) so the statements fit its server"));
    const bool postgres = parsed->backend == sql::Backend::PostgreSQL;
    Output &out = m_context.out();
    out.line(QStringLiteral("-- Run as a login that may create roles (PostgreSQL: CREATEROLE or "
                            "superuser; MariaDB: CREATE USER),"));
    out.line(QStringLiteral("-- then `migctl schema install` or `upgrade` as the schema's owner."));
    if (!postgres)
        out.line(QStringLiteral("-- MariaDB: the installing login grants these roles, so it needs "
                                "their admin option: run this as that login, or add "
                                "WITH ADMIN 'installer'@'%' to each CREATE ROLE."));
    out.print(SchemaManager::roleStatements(parsed->backend));
    out.line(QStringLiteral("-- Each person's login gets one role, for example:"));
    out.line(postgres ? QStringLiteral("--   GRANT mc_support TO alice;")
                      : QStringLiteral("--   GRANT mc_support TO 'alice'@'%';\n"
                                       "--   SET DEFAULT ROLE mc_support FOR 'alice'@'%';"));
    return ExitCode::Ok;
}

ExitCode SchemaCommands::run()
{
    const ParsedArguments &args = m_context.args();
    const QString verb = args.positional(1);
    if (verb == QLatin1String("roles"))
        return printRoles();
    if (verb != QLatin1String("status") && verb != QLatin1String("install")
        && verb != QLatin1String("upgrade"))
        usageError(verb.isEmpty() ? QStringLiteral("'schema' needs status, install or upgrade")
                                  : QStringLiteral("unknown schema command \"%1\"; use status, "
                                                   "install or upgrade")
                                        .arg(verb));
    const QString command = QStringLiteral("schema ") + verb;
    args.allowOnly(command, {QStringLiteral("json")});
    args.expectPositionals(command, 2, 2);
    MergeStore &store = m_context.store();

    if (verb == QLatin1String("status")) {
        print(take(store.schemaStatus()), QStringLiteral("Merge database schema"));
    } else if (verb == QLatin1String("install")) {
        const SchemaStatus status = take(store.installSchema(Operator::fromEnvironment()));
        print(status, QStringLiteral("Installed the merge schema (version %1).")
                          .arg(status.installedVersion));
    } else {
        const SchemaStatus before = take(store.schemaStatus());
        const SchemaStatus after = take(upgrade(store));
        print(after, before.installedVersion == after.installedVersion
                         ? QStringLiteral("The schema is already at version %1; nothing to "
                                          "upgrade.")
                               .arg(after.installedVersion)
                         : QStringLiteral("Upgraded the merge schema from version %1 to %2.")
                               .arg(before.installedVersion)
                               .arg(after.installedVersion));
    }
    return ExitCode::Ok;
}

} // namespace mc::cli
