#include "signal_waiter.h"

#include <csignal>
#include <ctime>
#include <pthread.h>

namespace mc::sim {

namespace {

sigset_t stopSignals()
{
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    return set;
}

} // namespace

SignalWaiter::SignalWaiter(std::function<void(int)> onSignal) : m_onSignal(std::move(onSignal))
{
    const sigset_t set = stopSignals();
    pthread_sigmask(SIG_BLOCK, &set, nullptr);
    m_thread = std::thread([this] {
        const sigset_t signals = stopSignals();
        const timespec slice{0, 100'000'000}; // look at m_done ten times a second
        while (!m_done.load()) {
            const int signal = sigtimedwait(&signals, nullptr, &slice);
            if (signal > 0)
                m_onSignal(signal);
        }
    });
}

SignalWaiter::~SignalWaiter()
{
    m_done.store(true);
    if (m_thread.joinable())
        m_thread.join();
}

} // namespace mc::sim
