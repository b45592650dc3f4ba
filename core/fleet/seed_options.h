#pragma once

// What merge-sim seeds, and what it reports back.

#include "domain.h"

#include <QHash>
#include <QStringList>

namespace mc::fleet {

struct SeedOptions
{
    qint64 users = 10'000;
    QStringList portals{QStringLiteral("lt"), QStringLiteral("de"), QStringLiteral("fr")};
    double failedShare = 0.02; // of all users
    quint64 seed = 1;
    // The "now" of the seeded data: every time is an offset from it, so the same seed and the
    // same `at` give the same rows. 0: the current time, rounded down to 10 s.
    EpochMs at = 0;
    int historyHours = 24;        // of throughput samples before `at`
    int connections = 2;          // loaders working side by side, one connection each
    int usersPerChunk = 5'000;    // what one loader takes at a time

    // Empty when the options are usable, else why not.
    QString problem() const;
};

struct SeedProgress
{
    QString stage; // "catalogue", "users", "throughput history", "statistics"
    qint64 done = 0;
    qint64 total = 0;
};

struct SeedReport
{
    EpochMs at = 0;
    QHash<UserStatus, qint64> usersByStatus;
    qint64 users = 0;
    qint64 progressRows = 0;
    qint64 failedRecords = 0;
    qint64 mappings = 0;
    qint64 jobs = 0;
    qint64 samples = 0;
};

} // namespace mc::fleet
