#include "command_context.h"

#include "cli_error.h"
#include "connection_profile.h"
#include "url_secret.h"
#include "value_parsers.h"

#include <QSettings>

#include <limits>

namespace mc::cli {

CommandContext::CommandContext(ParsedArguments arguments, Output &out)
    : m_arguments(std::move(arguments)), m_out(out)
{
}

CommandContext::~CommandContext() = default;

MergeStore &CommandContext::store()
{
    if (!m_store) {
        QString url = m_arguments.value(QStringLiteral("db"));
        QString profileName = m_arguments.value(QStringLiteral("profile"));
        if (url.isEmpty() && profileName.isEmpty())
            url = qEnvironmentVariable("MIGCTL_DB");
        if (url.isEmpty() && profileName.isEmpty())
            profileName = qEnvironmentVariable("MIGCTL_PROFILE");
        if (url.isEmpty() && !profileName.isEmpty()) {
            // The console's profiles (same settings file): the URL, read-only when it says so.
            QSettings settings(consoleSettingsOrganization(), consoleSettingsApplication());
            const auto profile = ProfileStore(settings).find(profileName);
            if (!profile)
                usageError(QStringLiteral("no connection profile named \"%1\" (File › Connect "
                                          "in the console lists them)")
                               .arg(profileName));
            url = profile->connectionUrl();
        }
        if (url.isEmpty())
            usageError(QStringLiteral("no database: pass --db URL or --profile NAME, or set "
                                      "MIGCTL_DB or MIGCTL_PROFILE "
                                      "(postgresql://… or mariadb://…)"));
        m_store = take(openStore(withPassword(url, qEnvironmentVariable("MC_DB_PASSWORD"))));
    }
    return *m_store;
}

const RoleAccess &CommandContext::access()
{
    if (!m_access)
        m_access = take(store().roleAccess());
    return *m_access;
}

void CommandContext::requireAccess(RoleAction action)
{
    const QString why = access().whyNot(action);
    if (!why.isEmpty())
        fail(ExitCode::Refused, why + QStringLiteral(". Nothing was changed."));
}

QString CommandContext::reason() const
{
    if (!m_arguments.has(QStringLiteral("reason")))
        usageError(QStringLiteral("--reason TEXT is required: it goes into the audit log"));
    const QString reason = m_arguments.value(QStringLiteral("reason"));
    if (reason.trimmed().isEmpty())
        usageError(QStringLiteral("--reason must not be blank: it goes into the audit log"));
    return reason;
}

std::optional<qint64> CommandContext::expectVersion() const
{
    if (!m_arguments.has(QStringLiteral("expect-version")))
        return std::nullopt;
    return parseNumber(QStringLiteral("expect-version"),
                       m_arguments.value(QStringLiteral("expect-version")), 0,
                       std::numeric_limits<qint64>::max());
}

int CommandContext::modelId(const QString &name)
{
    const OverviewSnapshot overview = take(store().overview(OverviewRequest{0}));
    QStringList known;
    for (const ModelProgress &model : overview.models) {
        if (model.model == name)
            return model.modelId;
        known << model.model;
    }
    usageError(QStringLiteral("unknown model \"%1\"; the models are: %2")
                   .arg(name, known.isEmpty() ? QStringLiteral("(none)")
                                              : known.join(QStringLiteral(", "))));
}

} // namespace mc::cli
