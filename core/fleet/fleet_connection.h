#pragma once

// Connections of the fleet: one per worker thread, with the session settings workers need, and
// short transactions that are retried when the server reports a deadlock.

#include "connection_url.h"
#include "sql/transaction.h"

#include <memory>

namespace mc::fleet {

// Opens a connection for a worker. On MariaDB the session reads committed data (as PostgreSQL
// does by default), so SKIP LOCKED claims lock only the rows they take and a lock wait gives up
// after five seconds instead of fifty. Throws sql::DbError.
std::unique_ptr<sql::Connection> openFleetConnection(const ConnectionUrl &url);

// "ON CONFLICT DO NOTHING" or its MariaDB twin for an INSERT whose duplicates are expected.
QString ignoreDuplicates(sql::Backend backend, const QString &anyKeyColumn);

using sql::inTransaction;

} // namespace mc::fleet
