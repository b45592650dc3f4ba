#pragma once

// What the connected login may do, read from the server once at connect (MergeStore::roleAccess:
// PostgreSQL privilege functions, MariaDB's enabled roles and privileges) and shown before the
// click: the console disables what the login may not do, with why and which role allows it, and
// migctl refuses the same actions (exit 4) with the same words. The server enforces the roles
// whatever the client does (resources/schema/*/004_roles.sql); this is only what it will allow.

#include <QString>
#include <QStringList>

#include <array>

namespace mc {

enum class RoleAction {
    RetryUsers,       // named users, one or a pasted list (mc_support)
    RetryAllMatching, // every failed user of a filter (mc_lead)
    MarkFailures,     // ignore / resolve / undo (mc_support)
    ChangeQueues,     // parallelism, frequency, attempts, pause, resume (mc_lead)
    ChangeRollout,    // (mc_lead)
    Export,           // failures with payloads, audited (mc_qa)
    RepairCounters,   // (mc_lead)
    ManagePlans,      // create, pause, resume, cancel and execute guarded plans (mc_lead)
    EditAlerts,       // edit, disable and mute the shared alert rules (mc_lead)
};
constexpr int kRoleActionCount = 9;

struct RoleAccess
{
    bool known = false;    // false until read: every action is offered, the server decides
    QString login;         // the session's login (PostgreSQL session_user, MariaDB USER())
    QStringList roles;     // the mc_ roles it holds, directly or through another, sorted
    bool owner = false;    // owns the schema or holds every privilege: may do everything
    std::array<bool, kRoleActionCount> can{}; // as the server's privileges say

    bool may(RoleAction action) const;
    // "lead", "support", "qa", "worker", "owner" or "no mc_ role": the highest it holds.
    QString roleLabel() const;
    // Empty when allowed; otherwise "Needs mc_lead: your login alice has mc_support".
    QString whyNot(RoleAction action) const;

    // The role that allows an action ("mc_lead") and its key in `whoami --json` ("retry_users").
    static QString neededRole(RoleAction action);
    static QString key(RoleAction action);
    static QList<RoleAction> actions();
};

} // namespace mc
