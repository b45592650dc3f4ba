#pragma once

// Audit entries in one line each, for the status bar: who did what, and why. Who and the values
// are written by audit_change, as the Audit view and the chart markers write them.
//   "bob (db: lead) set parallelism of create_high 4 → 8: more workers for the backlog"
//   "bob (db: lead) paused serialize: target database maintenance"
//   "ann (db: lead) set rollout merge on lt 5.00 % → 30.00 %: second wave"

#include "audit_change.h"

namespace mc {

QString auditNotice(const AuditEntry &entry);

// Several entries (oldest first) in one line: the newest, and how many more came with it.
QString auditNotice(const QList<AuditEntry> &entries);

} // namespace mc
