#include "failure_detail_loader.h"

#include "store_runner.h"

namespace mc {

FailureDetailLoader::FailureDetailLoader(StoreRunner *runner, QObject *parent)
    : QObject(parent), m_runner(runner)
{
}

void FailureDetailLoader::load(qint64 id)
{
    m_id = id;
    if (m_running)
        m_waiting = true;
    else
        start();
}

void FailureDetailLoader::clear()
{
    m_id.reset();
    m_waiting = false;
}

void FailureDetailLoader::start()
{
    if (!m_id)
        return;
    m_running = true;
    m_waiting = false;
    const qint64 id = *m_id;
    m_runner->run<FailureDetail>(
        this, [id](MergeStore &store) { return store.failure(id); },
        [this, id](const Result<FailureDetail> &detail) {
            m_running = false;
            if (m_waiting) {
                start();
                return;
            }
            if (m_id != id)
                return;
            if (detail.ok())
                emit loaded(*detail);
            else
                emit failed(id, detail.error());
        });
}

} // namespace mc
