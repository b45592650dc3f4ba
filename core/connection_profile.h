#pragma once

// Connection profiles: a name, the URL without its password, the environment class the operator
// expects (its colour) and whether sessions open read-only (on by default for production). Kept
// in the console's settings file (never a password: that goes to the keychain). migctl reads the
// same file (--profile NAME, MIGCTL_PROFILE). Profiles can be imported from a PostgreSQL service
// file (~/.pg_service.conf, PGSERVICEFILE).

#include "environment.h"
#include "store_error.h"

#include <QList>
#include <QString>

class QSettings;

namespace mc {

struct ConnectionProfile
{
    QString name;
    QString url; // without a password
    EnvironmentClass environmentClass = EnvironmentClass::Development;
    bool readOnly = false;

    // The URL to open: with read_only=true when the profile says so.
    QString connectionUrl() const;
};

class ProfileStore
{
public:
    explicit ProfileStore(QSettings &settings);

    QList<ConnectionProfile> profiles() const;
    std::optional<ConnectionProfile> find(const QString &name) const;
    // Adds or replaces by name; refuses a URL with a password or one that does not parse.
    Result<ConnectionProfile> save(ConnectionProfile profile);
    // False when no profile has that name.
    bool remove(const QString &name);

private:
    void write(const QList<ConnectionProfile> &all);

    QSettings &m_settings;
};

// The console's settings file, for migctl to read the same profiles.
QString consoleSettingsOrganization();
QString consoleSettingsApplication();

// Profiles from a PostgreSQL service file: one per [service] section (host, port, dbname, user,
// sslmode, sslrootcert, sslcert, sslkey). A password line is skipped, never copied. Errors name
// the line.
Result<QList<ConnectionProfile>> importPgServiceFile(const QString &path);
// $PGSERVICEFILE, else ~/.pg_service.conf.
QString defaultPgServiceFile();
// Imports every service of the file into the store (a profile of the same name is replaced):
// the names imported, in the file's order. Nothing is saved when the file has an error.
Result<QStringList> importPgServiceProfiles(ProfileStore &store, const QString &path);

} // namespace mc
