#pragma once

// The StoreRunner a background job runs on: one it was given (the console's bulk connection), or
// one of its own (a child of the job) opened on a URL. Asked before either, it makes its own
// unopened runner, which answers every call with "not connected". A given runner closed while the
// job waits for it calls `onAbandoned`, so the job ends instead of waiting for ever.

#include "store_runner.h"

#include <functional>

namespace mc {

class RunnerSlot
{
public:
    explicit RunnerSlot(QObject *owner) : m_owner(owner) {}

    void open(const QString &url)
    {
        own()->open(url);
        m_current = m_own;
    }
    void use(StoreRunner *runner, std::function<void()> onAbandoned)
    {
        QObject::disconnect(m_abandoned);
        m_current = runner;
        m_abandoned = QObject::connect(runner, &StoreRunner::abandoned, m_owner,
                                       std::move(onAbandoned));
    }
    StoreRunner *get()
    {
        if (!m_current)
            m_current = own();
        return m_current;
    }

private:
    StoreRunner *own()
    {
        if (!m_own)
            m_own = new StoreRunner(m_owner);
        return m_own;
    }

    QObject *m_owner;
    StoreRunner *m_own = nullptr; // a child of the owner
    StoreRunner *m_current = nullptr;
    QMetaObject::Connection m_abandoned;
};

} // namespace mc
