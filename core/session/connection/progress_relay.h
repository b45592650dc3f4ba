#pragma once

// What a long store call (a bulk retry, an export) shares with the object that started it: the
// cancel flag the call checks between batches, and the progress it reports from the store's
// thread. Progress reaches the receiver on the receiver's thread by a queued call; once the
// receiver detaches (it is going away) nothing more is posted to it, and the call is cancelled.
// Held by shared_ptr on both sides, so it outlives whichever side ends first.

#include <QMetaObject>
#include <QMutex>
#include <QObject>

#include <atomic>
#include <functional>
#include <memory>

namespace mc {

template<typename Progress>
class ProgressRelay
{
public:
    // `deliver` runs on `receiver`'s thread, only while the receiver is attached.
    ProgressRelay(QObject *receiver, std::function<void(const Progress &)> deliver)
        : m_receiver(receiver), m_deliver(std::move(deliver))
    {
    }

    // From the store's thread: remember the progress and post it to the receiver.
    void post(const Progress &progress)
    {
        QMutexLocker lock(&m_mutex);
        m_last = progress;
        if (!m_receiver)
            return;
        // An event posted to an object that is destroyed before it runs is discarded with the
        // object, and detach() (under this mutex) comes before that destruction.
        QMetaObject::invokeMethod(
            m_receiver, [deliver = m_deliver, progress] { deliver(progress); },
            Qt::QueuedConnection);
    }

    // The newest progress posted: what had been committed when the call ended.
    Progress last() const
    {
        QMutexLocker lock(&m_mutex);
        return m_last;
    }

    // The receiver is going away: post nothing more, and stop the call at its next check.
    void detach()
    {
        cancel();
        QMutexLocker lock(&m_mutex);
        m_receiver = nullptr;
    }

    void cancel() { m_cancel = true; }
    bool cancelled() const { return m_cancel.load(); }
    const std::atomic_bool *cancelFlag() const { return &m_cancel; }

private:
    mutable QMutex m_mutex;
    QObject *m_receiver;
    std::function<void(const Progress &)> m_deliver;
    Progress m_last{};
    std::atomic_bool m_cancel{false};
};

} // namespace mc
