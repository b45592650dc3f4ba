#pragma once

// Where a user's history is recorded: the migration row keeps only the latest run's times, and
// the audit log keeps every retry (a retry_users entry lists the users it moved in its
// after_state). The audit log has no per-user index, so the newest retry entries are read page by
// page and searched here, up to a limit that is reported with the answer.

#include "merge_store.h"

namespace mc {

inline constexpr int kUserHistoryScanLimit = 2000;

struct UserHistory
{
    QList<AuditEntry> entries; // retry_users entries naming the user, newest first
    int scanned = 0;           // retry_users entries read
    bool complete = true;      // false when older retry entries exist that were not read
};

// Reads the newest `scanLimit` retry_users entries and keeps those that name `user`.
Result<UserHistory> readUserHistory(MergeStore &store, const UserKey &user,
                                    int scanLimit = kUserHistoryScanLimit);

// Whether a retry_users entry's after_state names the user ("users": ["lt:12", …]).
bool auditEntryNamesUser(const AuditEntry &entry, const UserKey &user);

// One line of a user's timeline: the migration row's own times, its failed records and the
// audited retries.
struct UserEvent
{
    EpochMs at = 0;
    QString event;  // "requested", "started", "finished: failed", "retried", …
    QString who;    // for audited events: "os user (database user)"
    QString detail; // the reason of an audited event, or the phase / last error
};

// Oldest first.
QList<UserEvent> userTimeline(const UserMigration &migration, const QList<FailureRow> &failures,
                              const QList<AuditEntry> &retries);

} // namespace mc
