#include "environment.h"

namespace mc {

QString environmentClassName(EnvironmentClass environmentClass)
{
    switch (environmentClass) {
    case EnvironmentClass::Development:
        return QStringLiteral("development");
    case EnvironmentClass::Staging:
        return QStringLiteral("staging");
    case EnvironmentClass::Production:
        return QStringLiteral("production");
    }
    return QStringLiteral("development");
}

std::optional<EnvironmentClass> environmentClassFromName(const QString &name)
{
    for (auto candidate : {EnvironmentClass::Development, EnvironmentClass::Staging,
                           EnvironmentClass::Production})
        if (environmentClassName(candidate) == name)
            return candidate;
    return std::nullopt;
}

QString environmentColour(EnvironmentClass environmentClass)
{
    switch (environmentClass) {
    case EnvironmentClass::Development:
        return QStringLiteral("#2e7d32");
    case EnvironmentClass::Staging:
        return QStringLiteral("#b26a00");
    case EnvironmentClass::Production:
        return QStringLiteral("#c62828");
    }
    return QStringLiteral("#2e7d32");
}

} // namespace mc
