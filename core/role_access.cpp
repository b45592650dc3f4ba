#include "role_access.h"

namespace mc {

bool RoleAccess::may(RoleAction action) const
{
    return !known || can[size_t(action)];
}

QString RoleAccess::roleLabel() const
{
    if (owner)
        return QStringLiteral("owner");
    for (const char *role : {"mc_lead", "mc_support", "mc_qa", "mc_worker"})
        if (roles.contains(QLatin1String(role)))
            return QString::fromLatin1(role).mid(3);
    return QStringLiteral("no mc_ role");
}

QString RoleAccess::whyNot(RoleAction action) const
{
    if (may(action))
        return {};
    const QString label = roleLabel();
    return QStringLiteral("Needs %1: your login %2 has %3")
        .arg(neededRole(action), login,
             label.startsWith(QLatin1String("no ")) ? label : QStringLiteral("mc_") + label);
}

QString RoleAccess::neededRole(RoleAction action)
{
    switch (action) {
    case RoleAction::RetryUsers:
    case RoleAction::MarkFailures:
        return QStringLiteral("mc_support");
    case RoleAction::Export:
        return QStringLiteral("mc_qa");
    case RoleAction::RetryAllMatching:
    case RoleAction::ChangeQueues:
    case RoleAction::ChangeRollout:
    case RoleAction::RepairCounters:
    case RoleAction::ManagePlans:
    case RoleAction::EditAlerts:
        break;
    }
    return QStringLiteral("mc_lead");
}

QString RoleAccess::key(RoleAction action)
{
    switch (action) {
    case RoleAction::RetryUsers:
        return QStringLiteral("retry_users");
    case RoleAction::RetryAllMatching:
        return QStringLiteral("retry_all_matching");
    case RoleAction::MarkFailures:
        return QStringLiteral("mark_failures");
    case RoleAction::ChangeQueues:
        return QStringLiteral("change_queues");
    case RoleAction::ChangeRollout:
        return QStringLiteral("change_rollout");
    case RoleAction::Export:
        return QStringLiteral("export");
    case RoleAction::ManagePlans:
        return QStringLiteral("manage_plans");
    case RoleAction::RepairCounters:
        return QStringLiteral("repair_counters");
    case RoleAction::EditAlerts:
        break;
    }
    return QStringLiteral("edit_alerts");
}

QList<RoleAction> RoleAccess::actions()
{
    QList<RoleAction> all;
    for (int i = 0; i < kRoleActionCount; ++i)
        all << RoleAction(i);
    return all;
}

} // namespace mc
