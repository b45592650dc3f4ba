#pragma once

// How a fleet runs, and what it has done so far.

#include <QHash>
#include <QString>

#include <atomic>
#include <mutex>

namespace mc::fleet {

// A stretch of a run, measured from its start: [afterMs, afterMs + forMs), forMs 0 = to the end.
// afterMs < 0: never.
struct RunWindow
{
    qint64 afterMs = -1;
    qint64 forMs = 0;

    bool contains(qint64 elapsedMs) const
    {
        return afterMs >= 0 && elapsedMs >= afterMs && (forMs <= 0 || elapsedMs < afterMs + forMs);
    }
};

struct FleetOptions
{
    int workers = 8;             // threads claiming jobs, each with its own connection
    double influxPerSecond = 0;  // new users (nil) requested per second, spread over portals
    double failureRate = 0.02;   // share of user runs that fail for good, and of attempts that
                                 // fail transiently
    double speed = 1.0;          // simulated work takes 1/speed of its normal time
    qint64 leaseMs = 30'000;     // a claim's lease; a live worker renews it
    int admitBatch = 200;        // users admitted per portal and admission round
    int admissionIntervalMs = 250;
    int reclaimIntervalMs = 1000;
    int settingsRefreshMs = 500; // how old the queue list a worker schedules from may get
    quint64 seed = 1;            // for the failure injection
    RunWindow spike;             // a failure spike: user runs are doomed with spikeRate instead
    double spikeRate = 0.8;
    QString spikePortal;         // only this portal's users are hit ("" = every portal)
    RunWindow stall;             // workers claim nothing: no user completes, admission goes on
    QString name = QStringLiteral("merge-sim"); // claimed_by prefix
};

struct FleetStats
{
    qint64 claims = 0;
    qint64 jobsDone = 0;
    qint64 attemptsFailed = 0;
    qint64 usersStarted = 0;
    qint64 usersCompleted = 0;
    qint64 usersFailed = 0;
    qint64 usersRequested = 0;
    qint64 usersAdmitted = 0;
    qint64 leasesReclaimed = 0;
    qint64 claimsReleased = 0;
    qint64 claimsLost = 0;
    qint64 databaseErrors = 0;
    QHash<QString, qint64> claimsByQueue;
};

// Thread-safe tallies behind FleetStats.
class FleetCounters
{
public:
    void add(qint64 FleetStats::*field, qint64 n = 1)
    {
        std::lock_guard lock(m_mutex);
        m_stats.*field += n;
    }
    void claimed(const QString &queue)
    {
        std::lock_guard lock(m_mutex);
        ++m_stats.claims;
        ++m_stats.claimsByQueue[queue];
    }
    FleetStats snapshot() const
    {
        std::lock_guard lock(m_mutex);
        return m_stats;
    }

private:
    mutable std::mutex m_mutex;
    FleetStats m_stats;
};

} // namespace mc::fleet
