#include "connection_profile.h"

#include "connection_url.h"
#include "url_secret.h"

#include <QDir>
#include <QFile>
#include <QSettings>
#include <QTextStream>
#include <QUrl>
#include <QUrlQuery>

namespace mc {

namespace {

const QString kGroup = QStringLiteral("profiles");

StoreError invalid(const QString &why)
{
    return StoreError::make(StoreError::Kind::InvalidInput, why);
}

} // namespace

QString ConnectionProfile::connectionUrl() const
{
    if (!readOnly)
        return url;
    auto parsed = ConnectionUrl::parse(url);
    if (!parsed)
        return url;
    parsed->settings.readOnly = true;
    return parsed->toString();
}

ProfileStore::ProfileStore(QSettings &settings) : m_settings(settings) {}

QList<ConnectionProfile> ProfileStore::profiles() const
{
    QList<ConnectionProfile> result;
    const int count = m_settings.beginReadArray(kGroup);
    for (int i = 0; i < count; ++i) {
        m_settings.setArrayIndex(i);
        ConnectionProfile profile;
        profile.name = m_settings.value(QStringLiteral("name")).toString();
        profile.url = m_settings.value(QStringLiteral("url")).toString();
        profile.environmentClass =
            environmentClassFromName(m_settings.value(QStringLiteral("class")).toString())
                .value_or(EnvironmentClass::Development);
        // Unless the profile says otherwise, production sessions open read-only.
        profile.readOnly = m_settings
                               .value(QStringLiteral("readOnly"),
                                      profile.environmentClass == EnvironmentClass::Production)
                               .toBool();
        result << profile;
    }
    m_settings.endArray();
    return result;
}

std::optional<ConnectionProfile> ProfileStore::find(const QString &name) const
{
    for (const ConnectionProfile &profile : profiles())
        if (profile.name == name)
            return profile;
    return std::nullopt;
}

Result<ConnectionProfile> ProfileStore::save(ConnectionProfile profile)
{
    profile.name = profile.name.trimmed();
    if (profile.name.isEmpty())
        return invalid(QStringLiteral("A profile needs a name."));
    if (splitPassword(profile.url).hasPassword)
        return invalid(QStringLiteral("A profile keeps no password: remove it from the URL "
                                      "(the keychain remembers it)."));
    if (auto parsed = ConnectionUrl::parse(profile.url); !parsed)
        return parsed.error();
    QList<ConnectionProfile> all = profiles();
    bool replaced = false;
    for (ConnectionProfile &existing : all)
        if (existing.name == profile.name) {
            existing = profile;
            replaced = true;
        }
    if (!replaced)
        all << profile;
    write(all);
    return profile;
}

bool ProfileStore::remove(const QString &name)
{
    QList<ConnectionProfile> all = profiles();
    const qsizetype before = all.size();
    all.removeIf([&name](const ConnectionProfile &profile) { return profile.name == name; });
    if (all.size() == before)
        return false;
    write(all);
    return true;
}

void ProfileStore::write(const QList<ConnectionProfile> &all)
{
    m_settings.remove(kGroup);
    m_settings.beginWriteArray(kGroup, int(all.size()));
    for (int i = 0; i < all.size(); ++i) {
        m_settings.setArrayIndex(i);
        m_settings.setValue(QStringLiteral("name"), all[i].name);
        m_settings.setValue(QStringLiteral("url"), all[i].url);
        m_settings.setValue(QStringLiteral("class"), environmentClassName(all[i].environmentClass));
        m_settings.setValue(QStringLiteral("readOnly"), all[i].readOnly);
    }
    m_settings.endArray();
}

QString consoleSettingsOrganization()
{
    return QStringLiteral("MigrationConsole");
}

QString consoleSettingsApplication()
{
    return QStringLiteral("migration-console");
}

QString defaultPgServiceFile()
{
    const QString fromEnvironment = qEnvironmentVariable("PGSERVICEFILE");
    return fromEnvironment.isEmpty() ? QDir::homePath() + QStringLiteral("/.pg_service.conf")
                                     : fromEnvironment;
}

Result<QList<ConnectionProfile>> importPgServiceFile(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly | QIODevice::Text))
        return invalid(QStringLiteral("Cannot read the service file %1: %2")
                           .arg(path, file.errorString()));
    struct Section
    {
        QString name;
        QHash<QString, QString> values;
    };
    QList<Section> sections;
    QTextStream in(&file);
    int lineNumber = 0;
    while (!in.atEnd()) {
        const QString line = in.readLine().trimmed();
        ++lineNumber;
        if (line.isEmpty() || line.startsWith(u'#'))
            continue;
        if (line.startsWith(u'[') && line.endsWith(u']')) {
            sections.append({line.mid(1, line.size() - 2).trimmed(), {}});
            continue;
        }
        const qsizetype equals = line.indexOf(u'=');
        if (equals <= 0 || sections.isEmpty())
            return invalid(QStringLiteral("%1 line %2: expected [service] or key=value")
                               .arg(path)
                               .arg(lineNumber));
        const QString key = line.left(equals).trimmed();
        if (key == u"password")
            continue; // never copied: the keychain or ~/.pgpass holds it
        sections.last().values.insert(key, line.mid(equals + 1).trimmed());
    }
    QList<ConnectionProfile> profiles;
    for (const Section &section : std::as_const(sections)) {
        QUrl url;
        url.setScheme(QStringLiteral("postgresql"));
        url.setUserName(section.values.value(QStringLiteral("user")));
        url.setHost(section.values.value(QStringLiteral("host"), QStringLiteral("127.0.0.1")));
        url.setPort(section.values.value(QStringLiteral("port"), QStringLiteral("5432")).toInt());
        url.setPath(QLatin1Char('/') + section.values.value(QStringLiteral("dbname"), section.name));
        QUrlQuery query;
        for (const char *key : {"sslmode", "sslrootcert", "sslcert", "sslkey", "connect_timeout"})
            if (section.values.contains(QLatin1String(key)))
                query.addQueryItem(QLatin1String(key), section.values.value(QLatin1String(key)));
        url.setQuery(query);
        ConnectionProfile profile;
        profile.name = section.name;
        profile.url = url.toString();
        if (auto parsed = ConnectionUrl::parse(profile.url); !parsed)
            return invalid(QStringLiteral("service [%1]: %2").arg(section.name,
                                                                  parsed.error().message));
        profiles << profile;
    }
    return profiles;
}

Result<QStringList> importPgServiceProfiles(ProfileStore &store, const QString &path)
{
    auto imported = importPgServiceFile(path);
    if (!imported)
        return imported.error();
    QStringList names;
    for (const ConnectionProfile &profile : *imported) {
        auto saved = store.save(profile);
        if (!saved)
            return saved.error();
        names << saved->name;
    }
    return names;
}

} // namespace mc
