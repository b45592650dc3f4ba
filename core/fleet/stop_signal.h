#pragma once

// A stop request shared by the fleet's threads: waits that end early when it is raised, so a
// worker finishes its current transaction and stops within a fraction of a second.

#include <QtGlobal>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <mutex>

namespace mc::fleet {

class StopSignal
{
public:
    void request()
    {
        {
            std::lock_guard lock(m_mutex);
            m_requested = true;
        }
        m_condition.notify_all();
    }

    bool requested() const
    {
        std::lock_guard lock(m_mutex);
        return m_requested;
    }

    // Waits up to `ms` milliseconds; true when a stop was requested.
    bool waitFor(qint64 ms) const
    {
        std::unique_lock lock(m_mutex);
        return m_condition.wait_for(lock, std::chrono::milliseconds(std::max<qint64>(0, ms)),
                                    [this] { return m_requested; });
    }

private:
    mutable std::mutex m_mutex;
    mutable std::condition_variable m_condition;
    bool m_requested = false;
};

} // namespace mc::fleet
