#include "bulk_retry_job.h"

#include "progress_relay.h"
#include "store_runner.h"

namespace mc {

BulkRetryJob::BulkRetryJob(QObject *parent) : QObject(parent) {}

BulkRetryJob::~BulkRetryJob()
{
    // The batch in flight (if any) commits or rolls back on the runner's thread; no batch after
    // it starts, and no progress is posted to this object any more.
    if (m_relay)
        m_relay->detach();
}

void BulkRetryJob::open(const QString &url)
{
    setRelay(nullptr); // a new connection: whatever ran on the old one answers nobody
    m_runner.open(url);
}

void BulkRetryJob::setRunner(StoreRunner *runner)
{
    setRelay(nullptr);
    m_runner.use(runner, [this] {
        if (!m_relay)
            return;
        const auto relay = m_relay;
        relay->cancel(); // the batch on the server is the last one
        setRelay(nullptr);
        emit failed(StoreError::make(StoreError::Kind::Connection,
                                     tr("Disconnected from the merge database; no batch after "
                                        "the one under way runs.")),
                    relay->last());
    });
}

StoreRunner *BulkRetryJob::runner()
{
    return m_runner.get();
}

void BulkRetryJob::count(const FailureFilter &filter)
{
    const quint64 generation = ++m_countGeneration;
    runner()->run<qint64>(
        this, [filter](MergeStore &store) { return store.countRetryableUsers(filter); },
        [this, generation](const Result<qint64> &users) {
            if (generation != m_countGeneration)
                return; // a newer count was asked for
            if (users)
                emit counted(*users);
            else
                emit failed(users.error(), RetryProgress{});
        });
}

void BulkRetryJob::start(const FailureFilter &filter, const QString &reason)
{
    if (m_relay)
        return; // one retry at a time
    const quint64 run = ++m_runGeneration;
    auto relay = std::make_shared<ProgressRelay<RetryProgress>>(
        this, [this, run](const RetryProgress &p) {
            if (m_relay && run == m_runGeneration) // not a run detached by open()/setRunner()
                emit progress(p);
        });
    setRelay(relay);

    RetryRequest request;
    request.users = filter;
    request.reason = reason;
    request.by = Operator::fromEnvironment();
    request.batchSize = m_batchSize;
    runner()->run<RetryReport>(
        this,
        [request, relay](MergeStore &store) {
            BulkControl control;
            control.cancel = relay->cancelFlag();
            control.onProgress = [relay](const RetryProgress &p) { relay->post(p); };
            return store.retryUsers(request, control);
        },
        [this, relay](const Result<RetryReport> &report) {
            if (relay != m_relay)
                return; // detached meanwhile
            setRelay(nullptr);
            if (report)
                emit finished(*report);
            else
                emit failed(report.error(), relay->last());
        });
}

void BulkRetryJob::cancel()
{
    if (m_relay)
        m_relay->cancel();
}

bool BulkRetryJob::isCancelling() const
{
    return m_relay && m_relay->cancelled();
}

void BulkRetryJob::setRelay(std::shared_ptr<ProgressRelay<RetryProgress>> relay)
{
    const bool wasRunning = isRunning();
    if (m_relay && m_relay != relay)
        m_relay->detach();
    m_relay = std::move(relay);
    if (wasRunning != isRunning())
        emit runningChanged(isRunning());
}

} // namespace mc
