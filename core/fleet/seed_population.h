#pragma once

// The seeded users: each user's migration, model progress, failed records, id mappings and jobs
// as a snapshot of a live migration at the seed's "now". A user's rows depend only on the seed,
// the portal and the user's position, so any chunking gives the same database.
//
// Per portal n (0, 1, …) the 'merge' flag stands at 30 %, 20 %, 10 %, then 5 %. Users
// whose bucket is above it are nil. Of the admitted users, enough are failed to make
// --failed-share of all users; of the rest 0.5 % are nil (asked, not yet admitted), 1 % pending,
// 1 % in progress (jobs claimed by a fleet that has since died; their leases run out within a
// minute or so), and the others completed.

#include "bulk_insert.h"
#include "fleet_catalogue.h"
#include "seed_options.h"

#include <memory>

namespace mc::fleet {

// The inserts one loader fills, each statement committed on its own (see BulkInsert).
struct SeedSink
{
    explicit SeedSink(sql::Connection &connection);
    void flush();

    BulkInsert users;
    BulkInsert progress;
    BulkInsert failures;
    BulkInsert mappings;
    BulkInsert jobs;
    QHash<UserStatus, qint64> usersByStatus;
};

class SeedPopulation
{
public:
    SeedPopulation(const SeedOptions &options, const FleetCatalogue &catalogue,
                   QHash<QString, int> maxAttempts);

    // How many users portal n gets (the users are split evenly, the first portals take the rest).
    qint64 usersOfPortal(int portalIndex) const;
    // Failed records get ids of their own, 8 per user by the user's position over all portals,
    // so they are the same however the loaders share the work.
    static constexpr int kFailureIdsPerUser = 8;
    // Writes users [first, last) of portal n.
    void write(SeedSink &sink, int portalIndex, qint64 first, qint64 last) const;

private:
    void writeUser(SeedSink &sink, int portalIndex, qint64 index) const;
    qint64 ordinalOf(int portalIndex, qint64 index) const;

    SeedOptions m_options;
    FleetCatalogue m_catalogue;
    QHash<QString, int> m_maxAttempts; // queue → max attempts
};

} // namespace mc::fleet
