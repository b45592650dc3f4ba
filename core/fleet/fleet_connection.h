#pragma once

// Connections of the fleet: one per worker thread, with the session settings workers need, and
// short transactions that are retried when the server reports a deadlock.

#include "connection_url.h"
#include "logging.h"

#include <spdlog/logger.h>

#include <memory>
#include <thread>
#include <type_traits>

namespace mc::fleet {

// Opens a connection for a worker. On MariaDB the session reads committed data (as PostgreSQL
// does by default), so SKIP LOCKED claims lock only the rows they take and a lock wait gives up
// after five seconds instead of fifty. Throws sql::DbError.
std::unique_ptr<sql::Connection> openFleetConnection(const ConnectionUrl &url);

// "ON CONFLICT DO NOTHING" or its MariaDB twin for an INSERT whose duplicates are expected.
QString ignoreDuplicates(sql::Backend backend, const QString &anyKeyColumn);

// Runs body() in a transaction, retrying up to five times on a deadlock or lock timeout.
template<typename F>
auto inTransaction(sql::Connection &c, F &&body) -> std::invoke_result_t<F &>
{
    using T = std::invoke_result_t<F &>;
    for (int attempt = 1;; ++attempt) {
        c.begin();
        try {
            if constexpr (std::is_void_v<T>) {
                body();
                c.commit();
                return;
            } else {
                T value = body();
                c.commit();
                return value;
            }
        } catch (const sql::DbError &error) {
            c.rollback();
            if (error.kind() != sql::DbError::Kind::Deadlock || attempt >= 5)
                throw;
            log()->debug("fleet transaction retried after: {}", error.what());
            std::this_thread::sleep_for(std::chrono::milliseconds(5 * attempt * attempt));
        } catch (...) {
            c.rollback();
            throw;
        }
    }
}

} // namespace mc::fleet
