#pragma once

// One worker thread of the fleet: picks a queue that is due (each queue is looked at again
// run_every_ms after it had nothing to give), claims one job, does its simulated work while
// renewing the lease, and writes the outcome. On a stop request it gives an unfinished job back.
// A lost connection is reopened after a pause.

#include "connection_url.h"
#include "failure_injector.h"
#include "fleet_options.h"
#include "fleet_settings.h"
#include "stop_signal.h"
#include "throughput_recorder.h"

#include <QHash>

#include <memory>

namespace mc::fleet {

class JobBoard;
class MigrationSteps;

class FleetWorker
{
public:
    FleetWorker(int index, ConnectionUrl url, const FleetOptions &options,
                const StopSignal &stop, ThroughputRecorder &recorder, FleetCounters &counters);
    ~FleetWorker();

    void run(); // the thread's body; returns once a stop is requested

private:
    bool connect();
    void disconnect();
    void step();
    void refreshQueues(qint64 now);
    QString dueQueue(qint64 now, qint64 *nextDue);
    void process(const ClaimedJob &job);
    // Sleeps through the job's work; false when it was interrupted (stop, or the claim lost).
    bool work(const ClaimedJob &job, qint64 ms);

    int m_index = 0;
    QString m_name;
    ConnectionUrl m_url;
    FleetOptions m_options;
    const StopSignal &m_stop;
    ThroughputRecorder &m_recorder;
    FleetCounters &m_counters;
    FailureInjector m_injector;
    qint64 m_startedAt = 0; // steady clock: the spike's and stall's windows count from here
    FleetRandom m_random;

    std::unique_ptr<sql::Connection> m_connection;
    std::unique_ptr<JobBoard> m_board;
    std::unique_ptr<MigrationSteps> m_steps;
    FleetCatalogue m_catalogue;
    QList<QueueSettings> m_queues;
    qint64 m_queuesReadAt = -1;
    QHash<QString, qint64> m_lastPoll; // queue → when it last had nothing to give
    int m_nextQueue = 0;
};

} // namespace mc::fleet
