#include "store_runner.h"

#include "thread_end.h"

#include <QMutex>
#include <QThread>
#include <QThreadPool>

namespace mc {

// What the worker thread and the runner share. The worker posts answers to the runner only while
// holding the mutex and only while `runner` is set; the runner clears it before it goes away, so
// no answer is ever posted to a destroyed object.
struct StoreRunner::Link
{
    QMutex mutex;
    StoreRunner *runner = nullptr;
    QString url;                        // read and written only on the worker thread after open
    StoreFactory factory;               // likewise
    std::unique_ptr<MergeStore> store;  // likewise
    std::function<void()> canceller;    // the store's statementCanceller(), under the mutex
    const QObject *runningFor = nullptr; // the receiver whose work runs now, under the mutex
    quint64 runs = 0;                   // works started, under the mutex
};

StoreRunner::StoreRunner(QObject *parent) : QObject(parent) {}

StoreRunner::~StoreRunner()
{
    blockSignals(true);
    stop(kShutdownWaitMs);
}

void StoreRunner::open(const QString &url, StoreFactory factory)
{
    close();
    m_link = std::make_shared<Link>();
    m_link->runner = this;
    m_link->url = url;
    m_link->factory = std::move(factory);
    m_thread = new QThread;
    m_thread->setObjectName(QStringLiteral("store-runner"));
    m_worker = new QObject;
    m_worker->moveToThread(m_thread);
    // The store belongs to the worker thread: it is closed there when the thread ends.
    connect(m_thread, &QThread::finished, m_worker, [link = m_link] { link->store.reset(); });
    connect(m_thread, &QThread::finished, m_worker, &QObject::deleteLater);
    m_thread->start();
}

void StoreRunner::close()
{
    stop(0);
}

void StoreRunner::stop(int waitMs)
{
    if (!m_thread)
        return;
    {
        QMutexLocker lock(&m_link->mutex);
        m_link->runner = nullptr;
    }
    m_link.reset();
    finishThread(m_thread, waitMs);
    m_thread = nullptr;
    m_worker = nullptr;
    const bool wasBusy = m_pending > 0;
    m_pending = 0;
    if (wasBusy) {
        emit abandoned();
        emit busyChanged(false);
    }
}

void StoreRunner::post(Work work, QObject *receiver, std::function<void()> deliver)
{
    if (!m_thread) {
        // Answer "not connected" on the next turn of the event loop, like any other answer.
        const StoreError error = StoreError::make(StoreError::Kind::Connection,
                                                  QStringLiteral("Not connected to a merge database."));
        QMetaObject::invokeMethod(
            this,
            [this, work = std::move(work), error, guard = QPointer<QObject>(receiver),
             deliver = std::move(deliver)] {
                work(nullptr, error);
                if (guard)
                    deliver();
            },
            Qt::QueuedConnection);
        return;
    }
    if (m_pending++ == 0)
        emit busyChanged(true);
    QMetaObject::invokeMethod(
        m_worker,
        [link = m_link, work = std::move(work), guard = QPointer<QObject>(receiver),
         deliver = std::move(deliver)] {
            {
                QMutexLocker lock(&link->mutex);
                if (!link->runner)
                    return; // closed: nobody waits for this answer
            }
            StoreError openError;
            if (!link->store) {
                auto opened = link->factory(link->url);
                if (opened) {
                    link->store = std::move(opened).value();
                    QMutexLocker lock(&link->mutex);
                    link->canceller = link->store->statementCanceller();
                } else {
                    openError = opened.error();
                }
            }
            {
                QMutexLocker lock(&link->mutex);
                link->runningFor = guard.data();
                ++link->runs;
            }
            work(link->store.get(), openError);
            QMutexLocker lock(&link->mutex);
            link->runningFor = nullptr;
            if (StoreRunner *runner = link->runner)
                QMetaObject::invokeMethod(
                    runner, [runner, guard, deliver] { runner->delivered(guard, deliver); },
                    Qt::QueuedConnection);
        },
        Qt::QueuedConnection);
}

void StoreRunner::cancelRunning(const QObject *receiver)
{
    if (!m_link || m_pending == 0 || !receiver)
        return;
    quint64 run = 0;
    {
        QMutexLocker lock(&m_link->mutex);
        if (m_link->runningFor != receiver || !m_link->canceller)
            return; // the receiver's work waits in line, or another caller's runs now
        run = m_link->runs;
    }
    // It talks to the server: never on this (the GUI) thread. Still the same work when it gets
    // there, or nothing is stopped.
    QThreadPool::globalInstance()->start([link = m_link, receiver, run] {
        std::function<void()> cancel;
        {
            QMutexLocker lock(&link->mutex);
            if (link->runningFor != receiver || link->runs != run)
                return;
            cancel = link->canceller;
        }
        cancel();
    });
}

void StoreRunner::delivered(const QPointer<QObject> &receiver, const std::function<void()> &deliver)
{
    if (m_pending > 0 && --m_pending == 0)
        emit busyChanged(false);
    if (receiver)
        deliver();
}

} // namespace mc
