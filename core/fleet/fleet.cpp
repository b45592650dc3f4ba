#include "fleet.h"

#include "fleet_scheduler.h"
#include "fleet_worker.h"

namespace mc::fleet {

Fleet::Fleet(ConnectionUrl url, FleetOptions options)
    : m_url(std::move(url)), m_options(std::move(options))
{
}

Fleet::~Fleet()
{
    stop();
}

void Fleet::start()
{
    if (!m_threads.empty())
        return;
    m_threads.emplace_back([this] {
        FleetScheduler(m_url, m_options, m_stop, m_workersStopped, m_recorder, m_counters).run();
    });
    for (int i = 0; i < std::max(0, m_options.workers); ++i)
        m_threads.emplace_back([this, i] {
            FleetWorker(i + 1, m_url, m_options, m_stop, m_recorder, m_counters).run();
        });
}

void Fleet::stop()
{
    m_stop.request();
    // Workers first (they record their last outcomes), then the scheduler's last flush.
    for (size_t i = 1; i < m_threads.size(); ++i)
        if (m_threads[i].joinable())
            m_threads[i].join();
    m_workersStopped.request();
    if (!m_threads.empty() && m_threads.front().joinable())
        m_threads.front().join();
    m_threads.clear();
}

} // namespace mc::fleet
