#pragma once

// The StoreRunner a background job runs on: one it was given, or one of its own (a child of the
// job) opened on a URL. Asked before either, it makes its own unopened runner, which answers
// every call with "not connected".

#include "store_runner.h"

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
    void use(StoreRunner *runner) { m_current = runner; }
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
};

} // namespace mc
