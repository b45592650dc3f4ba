#pragma once

// Exports every audit entry a filter selects to a file, in the background: pages are read on the
// runner it is given (the console's bulk connection) and written as they come to "<path>.partial", which is renamed
// to <path> only when the last page is written. A failed or cancelled export removes the partial
// file and leaves an existing <path> untouched.

#include "audit_export_format.h"
#include "merge_store.h"

#include <QObject>
#include <QTimer>

#include <atomic>
#include <memory>

namespace mc {

class StoreRunner;

class AuditExporter : public QObject
{
    Q_OBJECT

public:
    static constexpr int kPageSize = 1000;

    explicit AuditExporter(StoreRunner *runner, QObject *parent = nullptr);
    ~AuditExporter() override;

    // Starts an export; refused (returns false) while one runs.
    bool start(const AuditQuery &filter, const QString &path, AuditExportFormat format);
    void cancel();
    bool isRunning() const { return m_running; }
    qint64 written() const;

signals:
    void progress(qint64 entries);                      // entries written so far
    void finished(qint64 entries, const QString &path); // the file is complete at path
    void failed(const QString &message);                // nothing was written to path
    void cancelled();
    void runningChanged(bool running);

private:
    struct Shared
    {
        std::atomic<qint64> written{0};
        std::atomic_bool cancel{false};
    };
    struct Outcome
    {
        qint64 entries = 0;
        bool cancelled = false;
        QString fileError;
    };

    static Result<Outcome> exportAll(MergeStore &store, AuditQuery filter, const QString &path,
                                     AuditExportFormat format, Shared &shared);
    void setRunning(bool running);

    StoreRunner *m_runner;
    std::shared_ptr<Shared> m_shared;
    QTimer m_progressTimer;
    bool m_running = false;
};

} // namespace mc
