// mc-latency-proxy: forwards 127.0.0.1:LISTEN to HOST:PORT, delaying each direction by half the
// round trip, and prints the round trips it counted when stopped (SIGINT/SIGTERM).
//
//   mc-latency-proxy --listen PORT --target HOST:PORT --rtt-ms MS

#include "latency_proxy.h"

#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <unistd.h>

namespace {
volatile std::sig_atomic_t g_stop = 0;
void onSignal(int) { g_stop = 1; }

int usage()
{
    std::fprintf(stderr, "usage: mc-latency-proxy --listen PORT --target HOST:PORT --rtt-ms MS\n");
    return 2;
}
} // namespace

int main(int argc, char **argv)
{
    int listen = 0;
    std::string host;
    int port = 0;
    double rttMs = -1;
    for (int i = 1; i + 1 < argc; i += 2) {
        const std::string key = argv[i];
        const std::string value = argv[i + 1];
        if (key == "--listen") {
            listen = std::atoi(value.c_str());
        } else if (key == "--target") {
            const auto colon = value.rfind(':');
            if (colon == std::string::npos)
                return usage();
            host = value.substr(0, colon);
            port = std::atoi(value.c_str() + colon + 1);
        } else if (key == "--rtt-ms") {
            rttMs = std::atof(value.c_str());
        } else {
            return usage();
        }
    }
    if (argc % 2 == 0 || host.empty() || port <= 0 || rttMs < 0)
        return usage();
    if (host == "localhost")
        host = "127.0.0.1";
    mc::latency::LatencyProxy proxy(host, port,
                                    std::chrono::microseconds(static_cast<long long>(rttMs * 500)));
    try {
        const int bound = proxy.start(listen);
        std::printf("mc-latency-proxy: 127.0.0.1:%d -> %s:%d, %.1f ms round trip\n", bound,
                    host.c_str(), port, rttMs);
        std::fflush(stdout);
    } catch (const std::exception &e) {
        std::fprintf(stderr, "%s\n", e.what());
        return 1;
    }
    std::signal(SIGINT, onSignal);
    std::signal(SIGTERM, onSignal);
    while (!g_stop)
        pause();
    const auto counts = proxy.counts();
    std::printf("mc-latency-proxy: %lld connections, %lld round trips\n",
                static_cast<long long>(counts.connections),
                static_cast<long long>(counts.roundTrips));
    return 0;
}
