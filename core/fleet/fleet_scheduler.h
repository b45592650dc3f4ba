#pragma once

// The fleet's housekeeping thread: requests new users at the influx rate, admits users through
// each portal's rollout flag (read live), reclaims jobs whose lease expired, samples queue
// gauges and writes the collected throughput samples.

#include "connection_url.h"
#include "fleet_catalogue.h"
#include "fleet_options.h"
#include "stop_signal.h"
#include "throughput_recorder.h"

#include <QHash>

#include <memory>

namespace mc::fleet {

class FleetScheduler
{
public:
    // `workersStopped` is raised once every worker has stopped: the last flush waits for it.
    FleetScheduler(ConnectionUrl url, const FleetOptions &options, const StopSignal &stop,
                   const StopSignal &workersStopped, ThroughputRecorder &recorder,
                   FleetCounters &counters);
    ~FleetScheduler();

    void run(); // the thread's body; returns once a stop is requested (after a last flush)

private:
    bool connect();
    void tick(qint64 now, qint64 elapsedMs);
    void requestUsers(qint64 elapsedMs);
    void admitUsers();
    void reclaimLeases();
    void sampleQueues();
    void flushSamples();

    ConnectionUrl m_url;
    FleetOptions m_options;
    const StopSignal &m_stop;
    const StopSignal &m_workersStopped;
    ThroughputRecorder &m_recorder;
    FleetCounters &m_counters;
    QString m_name;

    std::unique_ptr<sql::Connection> m_connection;
    FleetCatalogue m_catalogue;
    QHash<QString, qint64> m_nextUserId;
    double m_owedUsers = 0;
    int m_nextPortal = 0;
    qint64 m_admittedAt = -1;
    qint64 m_reclaimedAt = -1;
    qint64 m_sampledAt = -1;
    qint64 m_flushedAt = -1;
};

} // namespace mc::fleet
