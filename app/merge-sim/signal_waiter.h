#pragma once

// SIGINT and SIGTERM for a multi-threaded program: blocked in every thread (construct this
// before starting any) and taken by one thread with sigtimedwait, which calls onSignal in that
// thread. No async-signal-safety puzzles: the handler is ordinary code.

#include <atomic>
#include <functional>
#include <thread>

namespace mc::sim {

class SignalWaiter
{
public:
    explicit SignalWaiter(std::function<void(int signal)> onSignal);
    ~SignalWaiter(); // stops the waiting thread; the signals stay blocked

    SignalWaiter(const SignalWaiter &) = delete;
    SignalWaiter &operator=(const SignalWaiter &) = delete;

private:
    std::function<void(int)> m_onSignal;
    std::atomic_bool m_done{false};
    std::thread m_thread;
};

} // namespace mc::sim
