#pragma once

// The rollout side of the fleet: users ask to move (nil migrations), and each portal's 'merge'
// flag admits those whose stored bucket is below its percentage (nil → pending, with a job in
// the serialize queue). Raising a percentage never drops an admitted user: admission only ever
// adds buckets.

#include "domain.h"
#include "sql/sql_connection.h"

#include <vector>

namespace mc::fleet {

class Admission
{
public:
    explicit Admission(sql::Connection &connection) : m_connection(connection) {}

    // New nil user migrations of one portal; ids already there are left as they are.
    void requestUsers(const QString &portal, const std::vector<qint64> &userIds);
    // The highest user id of the portal, 0 when it has none.
    qint64 highestUserId(const QString &portal);

    // Admits up to `limit` (1 … 10 000) nil users of the portal whose bucket is below
    // `basisPoints`, lowest bucket first, in one transaction; users another admitter holds are
    // skipped. Returns the users moved to pending.
    QList<UserKey> admit(const QString &portal, int basisPoints, int limit);

    // The nil users of a portal in buckets [fromBp, toBp): whom raising the portal's percentage
    // from fromBp to toBp basis points would admit. Counted from the rollout index alone.
    qint64 countNewlyAdmitted(const QString &portal, int fromBp, int toBp);

private:
    sql::Connection &m_connection;
};

} // namespace mc::fleet
