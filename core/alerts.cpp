#include "alerts.h"

#include <array>

namespace mc {

namespace {

template<typename Enum, size_t N>
std::optional<Enum> fromName(const std::array<const char *, N> &names, const QString &name)
{
    for (size_t i = 0; i < N; ++i)
        if (name == QLatin1String(names[i]))
            return Enum(i);
    return std::nullopt;
}

const std::array<const char *, 4> kKinds{"failure_rate", "falling_behind", "stall",
                                         "plan_halted"};
const std::array<const char *, 3> kSeverities{"info", "warning", "critical"};
const std::array<const char *, 4> kPhases{"inactive", "pending", "firing", "resolved"};
const std::array<const char *, 6> kSteps{"pending", "firing", "clearing", "refiring", "resolved",
                                         "inactive"};

} // namespace

QString alertKindName(AlertKind kind)
{
    return QString::fromLatin1(kKinds.at(size_t(kind)));
}

std::optional<AlertKind> alertKindFromName(const QString &name)
{
    return fromName<AlertKind>(kKinds, name);
}

QString severityName(AlertSeverity severity)
{
    return QString::fromLatin1(kSeverities.at(size_t(severity)));
}

std::optional<AlertSeverity> severityFromName(const QString &name)
{
    return fromName<AlertSeverity>(kSeverities, name);
}

QString alertPhaseName(AlertPhase phase)
{
    return QString::fromLatin1(kPhases.at(size_t(phase)));
}

std::optional<AlertPhase> alertPhaseFromName(const QString &name)
{
    return fromName<AlertPhase>(kPhases, name);
}

QString alertStepName(AlertStep step)
{
    return QString::fromLatin1(kSteps.at(size_t(step)));
}

} // namespace mc
