#pragma once

// Fills an empty merge database (schema installed, no users) with a realistic migration:
// portals, the model catalogue, queues, the 'merge' rollout per portal, N users in all states
// with progress, failed records, id mappings and jobs, and 24 h of throughput samples. The same
// options give the same rows, ids included.
//
// Speed: users go in with multi-row INSERTs (1 000 users, 2 000 progress rows a statement) from
// `connections` loaders at once. Each statement commits on its own: the counter triggers lock a
// counter row from the statement that changes it until commit, so loaders with long
// transactions would only take turns. An interrupted seed leaves a consistent but partial
// database (counters still equal COUNT(*)); seed a fresh one again. Planner statistics are
// refreshed at the end.

#include "connection_url.h"
#include "seed_options.h"

#include <functional>
#include <stdexcept>

namespace mc::fleet {

class SeedRefused : public std::runtime_error
{
public:
    using std::runtime_error::runtime_error;
};

class Seeder
{
public:
    Seeder(ConnectionUrl url, SeedOptions options);

    // Throws SeedRefused when the options are unusable or the database already holds users,
    // sql::DbError on database errors. onProgress may be called from the loaders' threads (one
    // at a time).
    SeedReport run(const std::function<void(const SeedProgress &)> &onProgress = {});

    const SeedOptions &options() const { return m_options; }

private:
    ConnectionUrl m_url;
    SeedOptions m_options;
};

} // namespace mc::fleet
