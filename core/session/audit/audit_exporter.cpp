#include "audit_exporter.h"

#include "store_runner.h"

#include <QFile>

namespace mc {

AuditExporter::AuditExporter(StoreRunner *runner, QObject *parent)
    : QObject(parent), m_runner(runner), m_shared(std::make_shared<Shared>())
{
    m_progressTimer.setInterval(100);
    connect(&m_progressTimer, &QTimer::timeout, this, [this] { emit progress(written()); });
    connect(runner, &StoreRunner::abandoned, this, [this] {
        if (!m_running)
            return;
        m_shared->cancel = true; // the partial file is removed when the export stops
        m_progressTimer.stop();
        setRunning(false);
        emit failed(tr("Disconnected from the merge database; the export stopped."));
    });
}

AuditExporter::~AuditExporter()
{
    m_shared->cancel = true; // a page still being read ends the export there
}

qint64 AuditExporter::written() const
{
    return m_shared->written.load();
}

bool AuditExporter::start(const AuditQuery &filter, const QString &path, AuditExportFormat format)
{
    if (m_running)
        return false;
    m_shared = std::make_shared<Shared>();
    setRunning(true);
    m_progressTimer.start();
    m_runner->run<Outcome>(
        this,
        [filter, path, format, shared = m_shared](MergeStore &store) {
            return exportAll(store, filter, path, format, *shared);
        },
        [this, path](const Result<Outcome> &outcome) {
            m_progressTimer.stop();
            setRunning(false);
            if (!outcome.ok())
                emit failed(outcome.error().message);
            else if (!outcome->fileError.isEmpty())
                emit failed(outcome->fileError);
            else if (outcome->cancelled)
                emit cancelled();
            else {
                emit progress(outcome->entries);
                emit finished(outcome->entries, path);
            }
        });
    return true;
}

void AuditExporter::cancel()
{
    m_shared->cancel = true;
}

void AuditExporter::setRunning(bool running)
{
    if (m_running == running)
        return;
    m_running = running;
    emit runningChanged(running);
}

// Runs on the runner's thread.
Result<AuditExporter::Outcome> AuditExporter::exportAll(MergeStore &store, AuditQuery filter,
                                                        const QString &path,
                                                        AuditExportFormat format, Shared &shared)
{
    Outcome outcome;
    const QString partialPath = path + QStringLiteral(".partial");
    QFile partial(partialPath);
    if (!partial.open(QIODevice::WriteOnly | QIODevice::Truncate)) {
        outcome.fileError = tr("Cannot write %1: %2").arg(partialPath, partial.errorString());
        return outcome;
    }
    auto abandon = [&] {
        partial.close();
        partial.remove();
    };
    auto fileError = [&] {
        outcome.fileError = tr("Writing %1 failed: %2").arg(partialPath, partial.errorString());
        abandon();
        return outcome;
    };

    AuditFileWriter writer(partial, format);
    if (!writer.begin())
        return fileError();
    filter.beforeId.reset();
    filter.afterId.reset();
    filter.limit = kPageSize;
    for (;;) {
        if (shared.cancel) {
            outcome.cancelled = true;
            abandon();
            return outcome;
        }
        Result<AuditPage> page = store.audit(filter);
        if (!page.ok()) {
            abandon();
            return page.error();
        }
        for (const AuditEntry &entry : page->entries)
            if (!writer.write(entry))
                return fileError();
        outcome.entries += page->entries.size();
        shared.written = outcome.entries;
        if (!page->nextBeforeId)
            break;
        filter.beforeId = page->nextBeforeId;
    }
    if (!writer.finish() || !partial.flush())
        return fileError();
    partial.close();
    // Replace an older file of the same name only now that the new one is complete.
    if (QFile::exists(path) && !QFile::remove(path)) {
        outcome.fileError = tr("Cannot replace %1; the export is in %2.").arg(path, partialPath);
        return outcome;
    }
    if (!QFile::rename(partialPath, path)) {
        outcome.fileError = tr("Cannot rename %1 to %2.").arg(partialPath, path);
        return outcome;
    }
    return outcome;
}

} // namespace mc
