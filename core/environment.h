#pragma once

// What the merge database says it is: its name and class (development, staging, production).
// Stored in the database itself (table `environment`, set by `migctl environment set`), so a
// client profile cannot mislabel it. Not set: no row yet.

#include <QString>

#include <optional>

namespace mc {

enum class EnvironmentClass { Development, Staging, Production };

struct Environment
{
    bool known = false; // false: the database was never labelled
    QString name;
    EnvironmentClass environmentClass = EnvironmentClass::Development;
    qint64 version = 0;

    bool isProduction() const { return known && environmentClass == EnvironmentClass::Production; }
};

QString environmentClassName(EnvironmentClass environmentClass); // "production", …
std::optional<EnvironmentClass> environmentClassFromName(const QString &name);
// The class's colour, as "#rrggbb": green, amber, red.
QString environmentColour(EnvironmentClass environmentClass);

} // namespace mc
