#pragma once

// Runs calls against a MergeStore of its own, on a thread of its own, and hands each result back
// on the GUI thread. A console holds two, in its Database: one for the views' interactive calls
// and one for bulk jobs (retry all, exports), so a bulk retry never holds up a page, and a slow
// server never blocks the caller.
//
// Calls run one after another in the order they were made. A call's answer goes to `done` on the
// receiver's thread, unless the receiver was destroyed meanwhile (then it is dropped). Closing or
// destroying the runner drops answers not delivered yet; a call still running on a slow server
// finishes on its thread: close() never waits for it (destruction waits a bounded time).

#include "store_opener.h"

#include <QObject>
#include <QPointer>

#include <functional>
#include <memory>
#include <optional>

class QThread;

namespace mc {

class StoreRunner : public QObject
{
    Q_OBJECT

public:
    explicit StoreRunner(QObject *parent = nullptr);
    ~StoreRunner() override;

    // The connection is made on the first call after open(); a broken one is made again by the
    // next call. The URL (with its password) stays inside the runner.
    void open(const QString &url, StoreFactory factory = realStores());
    void close();
    bool isOpen() const { return m_thread != nullptr; }

    // Calls made and not answered yet.
    int pending() const { return m_pending; }
    // Asks the server to stop the statement running now (from a pool thread) when it runs for
    // `receiver` (the connection may be shared: another caller's work is never stopped); that call
    // then answers StoreError::Kind::Cancelled. Calls after it run as usual.
    void cancelRunning(const QObject *receiver);

    template<typename T>
    void run(QObject *receiver, std::function<Result<T>(MergeStore &)> work,
             std::function<void(const Result<T> &)> done)
    {
        auto result = std::make_shared<std::optional<Result<T>>>();
        post(
            [work = std::move(work), result](MergeStore *store, const StoreError &openError) {
                if (store)
                    result->emplace(work(*store));
                else
                    result->emplace(openError);
            },
            receiver, [result, done = std::move(done)] { done(**result); });
    }

signals:
    void busyChanged(bool busy);
    // Closed while calls were on their way: they will not be answered. A job waiting for one
    // ends (the database was closed) instead of waiting for ever.
    void abandoned();

private:
    struct Link;
    using Work = std::function<void(MergeStore *, const StoreError &)>;

    void post(Work work, QObject *receiver, std::function<void()> deliver);
    void delivered(const QPointer<QObject> &receiver, const std::function<void()> &deliver);
    void stop(int waitMs);

    QThread *m_thread = nullptr;
    QObject *m_worker = nullptr; // lives on m_thread
    std::shared_ptr<Link> m_link;
    int m_pending = 0;
};

} // namespace mc
