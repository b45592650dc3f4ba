#pragma once

// Locking one user's migration for a change, in the fleet's one lock order: first every job of
// the user (by id), then the user row. Claims, completions, failures and lease reclaims all take
// them in this order, so two of them never wait on each other in a circle.

#include "domain.h"
#include "sql/sql_connection.h"

namespace mc::fleet {

struct UserJob
{
    qint64 id = 0;
    QString queue;
    QString state; // "pending" or "running"
    QString claimedBy;
    int attempts = 0;
    bool leaseExpired = false;
};

// SELECT … FOR UPDATE of the user's jobs, ordered by id.
QList<UserJob> lockUserJobs(sql::Connection &c, const UserKey &user);
// SELECT … FOR UPDATE of the user row: its status, or nothing when there is no such user.
std::optional<UserStatus> lockUser(sql::Connection &c, const UserKey &user);
// Locks the counter rows of these models (model_totals) in id order, before a transaction
// changes their model progress. PostgreSQL's counter triggers of an upsert take the inserted
// models' rows first and the updated ones' after: without this, two upserts that split
// differently would lock the same rows in opposite orders.
void lockModelTotals(sql::Connection &c, QList<int> modelIds);
// The user becomes failed with its last error; every job of the user is removed.
void failUser(sql::Connection &c, const UserKey &user, const QString &lastError);

} // namespace mc::fleet
