#pragma once

// A running fleet of migration workers against one merge database: worker threads that claim
// and do jobs, and one scheduler thread for influx, admission, lease reclaim and samples. Each
// thread has its own connection. stop() finishes current transactions, gives unfinished claims
// back and joins the threads.

#include "connection_url.h"
#include "fleet_options.h"
#include "stop_signal.h"
#include "throughput_recorder.h"

#include <thread>
#include <vector>

namespace mc::fleet {

class Fleet
{
public:
    Fleet(ConnectionUrl url, FleetOptions options);
    ~Fleet(); // stops and joins
    Fleet(const Fleet &) = delete;
    Fleet &operator=(const Fleet &) = delete;

    void start();
    void requestStop() { m_stop.request(); }
    void stop(); // requestStop() and wait for every thread
    const StopSignal &stopSignal() const { return m_stop; }
    FleetStats stats() const { return m_counters.snapshot(); }
    const FleetOptions &options() const { return m_options; }

private:
    ConnectionUrl m_url;
    FleetOptions m_options;
    StopSignal m_stop;
    StopSignal m_workersStopped;
    ThroughputRecorder m_recorder;
    FleetCounters m_counters;
    std::vector<std::thread> m_threads;
};

} // namespace mc::fleet
