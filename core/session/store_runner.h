#pragma once

// Runs calls against a MergeStore of its own, on a thread of its own, and hands each result back
// on the GUI thread. The views that make their own requests (failures, users, controls, audit)
// each hold one, so a long page or a bulk retry never holds up the overview's connection, and a
// slow server never blocks the caller.
//
// Calls run one after another in the order they were made. A call's answer goes to `done` on the
// receiver's thread, unless the receiver was destroyed meanwhile (then it is dropped). Closing or
// destroying the runner drops answers not delivered yet; a call still running on a slow server
// finishes on its thread without waiting for it.

#include "merge_store.h"

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
    void open(const QString &url);
    void close();
    bool isOpen() const { return m_thread != nullptr; }

    // Calls made and not answered yet.
    int pending() const { return m_pending; }
    // Asks the server to stop the statement running now (from a pool thread); that call then
    // answers StoreError::Kind::Cancelled. Calls after it run as usual.
    void cancelRunning();

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

private:
    struct Link;
    using Work = std::function<void(MergeStore *, const StoreError &)>;

    void post(Work work, QObject *receiver, std::function<void()> deliver);
    void delivered(const QPointer<QObject> &receiver, const std::function<void()> &deliver);

    QThread *m_thread = nullptr;
    QObject *m_worker = nullptr; // lives on m_thread
    std::shared_ptr<Link> m_link;
    int m_pending = 0;
};

} // namespace mc
