#pragma once

// Before merge-sim writes: the database must hold the current schema. `seed` installs it into
// an empty database; everything else is refused with the reason.

#include <QString>

namespace mc::sim {

// Empty when the schema is current (installed now if allowed and the database was empty),
// else what is wrong, in words.
QString ensureCurrentSchema(const QString &url, bool installIntoEmpty);

// What the database says it is, when that is production: merge-sim claims jobs and writes users,
// so it refuses (exit 2) before writing anything. Empty when the database may be used.
QString productionRefusal(const QString &url);

} // namespace mc::sim
