#pragma once

// A TCP proxy on loopback that delays every chunk of bytes by a fixed time each way, so a console
// on this machine sees its database as a remote user does (a 20 ms round trip: 10 ms each way).
// It also counts round trips: a round trip starts each time the client sends after the server
// last spoke (or first on a connection), so a batch of statements sent together counts once and
// statements sent one after another count once each. Used by tests, bench/ and scripts/demo.

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <thread>

namespace mc::latency {

struct ProxyCounts
{
    std::int64_t connections = 0; // accepted client connections
    std::int64_t roundTrips = 0;  // client turns: the client spoke after the server did
    std::int64_t bytesUp = 0;     // client → server
    std::int64_t bytesDown = 0;   // server → client
};

class LatencyProxy
{
public:
    // Forwards to targetHost:targetPort (IPv4 address), delaying each direction by oneWay.
    LatencyProxy(std::string targetHost, int targetPort, std::chrono::microseconds oneWay);
    ~LatencyProxy();
    LatencyProxy(const LatencyProxy &) = delete;
    LatencyProxy &operator=(const LatencyProxy &) = delete;

    // Listens on 127.0.0.1:listenPort (0: any free port) and starts forwarding on a thread of
    // its own. Returns the port; throws std::runtime_error when it cannot listen.
    int start(int listenPort = 0);
    void stop();
    int port() const { return m_port; }

    ProxyCounts counts() const;
    void resetCounts();
    void setOneWayDelay(std::chrono::microseconds oneWay) { m_delayUs = oneWay.count(); }

private:
    void loop();

    std::string m_targetHost;
    int m_targetPort;
    std::atomic<std::int64_t> m_delayUs;
    int m_listenFd = -1;
    int m_wakeFds[2] = {-1, -1};
    int m_port = 0;
    std::thread m_thread;
    std::atomic<bool> m_stop{false};
    std::atomic<std::int64_t> m_connections{0};
    std::atomic<std::int64_t> m_roundTrips{0};
    std::atomic<std::int64_t> m_bytesUp{0};
    std::atomic<std::int64_t> m_bytesDown{0};
};

} // namespace mc::latency
