#include "profile_commands.h"

#include "connection_profile.h"
#include "table.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QSettings>

namespace mc::cli {

namespace {

QJsonObject toJson(const ConnectionProfile &profile)
{
    return {{QStringLiteral("name"), profile.name},
            {QStringLiteral("url"), profile.url},
            {QStringLiteral("class"), environmentClassName(profile.environmentClass)},
            {QStringLiteral("read_only"), profile.readOnly}};
}

} // namespace

ExitCode ProfileCommands::run()
{
    const QString verb = m_context.args().positional(1);
    if (verb == QLatin1String("list"))
        return list();
    if (verb == QLatin1String("import-pg-service"))
        return importPgService();
    usageError(verb.isEmpty()
                   ? QStringLiteral("'profile' needs list or import-pg-service")
                   : QStringLiteral("unknown profile command \"%1\"; use list or "
                                    "import-pg-service")
                         .arg(verb));
}

ExitCode ProfileCommands::list()
{
    const ParsedArguments &args = m_context.args();
    args.allowOnly(QStringLiteral("profile list"), {QStringLiteral("json")});
    args.expectPositionals(QStringLiteral("profile list"), 2, 2);
    QSettings settings(consoleSettingsOrganization(), consoleSettingsApplication());
    const QList<ConnectionProfile> profiles = ProfileStore(settings).profiles();
    if (m_context.json()) {
        QJsonArray rows;
        for (const ConnectionProfile &profile : profiles)
            rows.append(toJson(profile));
        m_context.out().json(QJsonObject{{QStringLiteral("profiles"), rows}});
        return ExitCode::Ok;
    }
    if (profiles.isEmpty()) {
        m_context.out().note(QStringLiteral("No connection profiles (the console's File › "
                                            "Connect › Profiles…, or `migctl profile "
                                            "import-pg-service`)."));
        return ExitCode::Ok;
    }
    Table table({QStringLiteral("NAME"), QStringLiteral("CLASS"), QStringLiteral("READ-ONLY"),
                 QStringLiteral("URL")});
    for (const ConnectionProfile &profile : profiles)
        table.addRow({profile.name, environmentClassName(profile.environmentClass),
                      profile.readOnly ? QStringLiteral("yes") : QStringLiteral("no"),
                      profile.url});
    m_context.out().print(table.render());
    return ExitCode::Ok;
}

ExitCode ProfileCommands::importPgService()
{
    const ParsedArguments &args = m_context.args();
    args.allowOnly(QStringLiteral("profile import-pg-service"), {QStringLiteral("json")});
    args.expectPositionals(QStringLiteral("profile import-pg-service"), 2, 3);
    const QString path = args.positionals().size() > 2 ? args.positional(2)
                                                       : defaultPgServiceFile();
    QSettings settings(consoleSettingsOrganization(), consoleSettingsApplication());
    ProfileStore store(settings);
    const auto names = importPgServiceProfiles(store, path);
    if (!names)
        fail(ExitCode::Error, names.error().message + QStringLiteral(". No profile was imported."));
    settings.sync();
    if (settings.status() != QSettings::NoError)
        fail(ExitCode::Error, QStringLiteral("cannot write the profiles to %1")
                                  .arg(settings.fileName()));
    if (m_context.json()) {
        m_context.out().json(QJsonObject{
            {QStringLiteral("imported"), QJsonArray::fromStringList(*names)},
            {QStringLiteral("file"), path}});
        return ExitCode::Ok;
    }
    m_context.out().line(QStringLiteral("Imported %1 profile(s) from %2: %3 (passwords are not "
                                        "copied; the keychain or ~/.pgpass keeps them).")
                             .arg(names->size())
                             .arg(path, names->join(QStringLiteral(", "))));
    return ExitCode::Ok;
}

} // namespace mc::cli
