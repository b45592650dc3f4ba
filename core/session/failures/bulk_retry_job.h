#pragma once

// Retries every user a failures filter selects: counts them first (the exact number an operator
// confirms), then moves them failed → pending in batches on a StoreRunner of the job's own, so the
// views keep their connections. Each batch is one transaction with its audit entry; cancel takes
// effect before the next batch, so a cancelled or broken run leaves every user either moved or
// untouched. All signals arrive on the job's thread (the GUI thread).

#include "merge_store.h"
#include "runner_slot.h"
#include "session_types.h" // StoreError as a meta type

#include <QObject>

#include <memory>

namespace mc {

class StoreRunner;
template<typename Progress>
class ProgressRelay;

class BulkRetryJob : public QObject
{
    Q_OBJECT

public:
    explicit BulkRetryJob(QObject *parent = nullptr);
    ~BulkRetryJob() override; // cancels a running retry before its next batch

    // Where the calls run: a runner of the job's own on this URL (the URL carries the password)…
    void open(const QString &url);
    // …or a runner the caller owns, which must outlive the job's calls.
    void setRunner(StoreRunner *runner);

    void setBatchSize(int users) { m_batchSize = users; } // 1 … 10 000, default 1000
    int batchSize() const { return m_batchSize; }

    // The distinct users the filter selects that are still failed: counted() or failed().
    void count(const FailureFilter &filter);
    // Moves them: progress() after each committed batch, then finished() (also when cancelled:
    // the report says so) or failed() with what had been committed before the error.
    void start(const FailureFilter &filter, const QString &reason);
    void cancel(); // takes effect before the next batch
    bool isRunning() const { return m_relay != nullptr; }
    bool isCancelling() const;

signals:
    void counted(qint64 users);
    void progress(const mc::RetryProgress &progress);
    void finished(const mc::RetryReport &report);
    // `committed` is the progress after the last committed batch: those users stay moved.
    void failed(const mc::StoreError &error, const mc::RetryProgress &committed);
    void runningChanged(bool running);

private:
    StoreRunner *runner();
    void setRelay(std::shared_ptr<ProgressRelay<RetryProgress>> relay);

    RunnerSlot m_runner{this};
    int m_batchSize = 1000;
    quint64 m_countGeneration = 0; // only the newest count answers
    quint64 m_runGeneration = 0;
    std::shared_ptr<ProgressRelay<RetryProgress>> m_relay; // while a retry runs
};

} // namespace mc
