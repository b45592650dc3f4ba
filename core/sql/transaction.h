#pragma once

// One transaction around body(), retried when the server reports a deadlock or a serialisation
// failure (with a short growing pause), rolled back on any other error. Used by the store and
// the fleet alike, so both give up and back off the same way.

#include "logging.h"
#include "sql/sql_connection.h"

#include <spdlog/logger.h>

#include <QRandomGenerator>

#include <chrono>
#include <thread>
#include <type_traits>

namespace mc::sql {

template<typename F>
auto inTransaction(Connection &c, F &&body) -> std::invoke_result_t<F &>
{
    using T = std::invoke_result_t<F &>;
    // Writers that upsert the same counter rows (error groups, status counts) in different
    // orders deadlock now and then under load; a retry after a short, jittered wait gets through.
    constexpr int kAttempts = 10;
    for (int attempt = 1;; ++attempt) {
        c.begin();
        try {
            if constexpr (std::is_void_v<T>) {
                body();
                if (c.inTransaction()) // body may have committed already (commitWith)
                    c.commit();
                return;
            } else {
                T value = body();
                if (c.inTransaction())
                    c.commit();
                return value;
            }
        } catch (const DbError &error) {
            c.rollback();
            if (error.kind() != DbError::Kind::Deadlock || attempt >= kAttempts)
                throw;
            log()->debug("transaction retried after: {}", error.what());
            const int jitter = int(QRandomGenerator::global()->bounded(5 * attempt + 1));
            std::this_thread::sleep_for(std::chrono::milliseconds(5 * attempt * attempt + jitter));
        } catch (...) {
            c.rollback();
            throw;
        }
    }
}

} // namespace mc::sql
