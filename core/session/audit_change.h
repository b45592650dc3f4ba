#pragma once

// An audit entry's before → after in a few words for a table cell, and in full for a tooltip or
// a detail pane. The states are JSON objects written by core; anything else is shown as it is.

#include "operations.h"

namespace mc {

// "parallelism: 4 → 8", "status: failed → pending; users: lt:1, lt:2", "users: 250 listed",
// "version: 1".
QString compactChange(const QString &before, const QString &after, int maxLength = 120);
// The JSON indented for reading, or the text itself when it is not JSON.
QString readableJson(const QString &text);
// "anna (as postgres)": the OS user and the database user of an entry.
QString auditWho(const AuditEntry &entry);

} // namespace mc
