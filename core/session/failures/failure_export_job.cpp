#include "failure_export_job.h"

#include "progress_relay.h"
#include "store_runner.h"

namespace mc {

FailureExportJob::FailureExportJob(QObject *parent) : QObject(parent) {}

FailureExportJob::~FailureExportJob()
{
    if (m_relay)
        m_relay->detach();
}

void FailureExportJob::open(const QString &url)
{
    setRelay(nullptr); // a new connection: whatever ran on the old one answers nobody
    m_runner.open(url);
}

void FailureExportJob::setRunner(StoreRunner *runner)
{
    setRelay(nullptr);
    m_runner.use(runner, [this] {
        if (!m_relay)
            return;
        m_relay->cancel(); // the partial file is removed when the export stops
        setRelay(nullptr);
        emit failed(tr("Disconnected from the merge database; the export stopped."));
    });
}

StoreRunner *FailureExportJob::runner()
{
    return m_runner.get();
}

void FailureExportJob::start(const FailureFilter &filter, const QString &path,
                             const ExportOptions &options)
{
    if (m_relay)
        return; // one export at a time
    const quint64 run = ++m_runGeneration;
    auto relay = std::make_shared<ProgressRelay<ExportProgress>>(
        this, [this, run](const ExportProgress &p) {
            if (m_relay && run == m_runGeneration)
                emit progress(p);
        });
    setRelay(relay);
    runner()->run<ExportReport>(
        this,
        [filter, path, options, relay](MergeStore &store) {
            ExportControl control;
            control.cancel = relay->cancelFlag();
            control.onProgress = [relay](const ExportProgress &p) { relay->post(p); };
            return exportFailuresToFile(store, filter, options, path, control);
        },
        [this, relay](const Result<ExportReport> &report) {
            if (relay != m_relay)
                return;
            setRelay(nullptr);
            if (report)
                emit finished(*report);
            else
                emit failed(report.error().message);
        });
}

void FailureExportJob::cancel()
{
    if (m_relay)
        m_relay->cancel();
}

void FailureExportJob::setRelay(std::shared_ptr<ProgressRelay<ExportProgress>> relay)
{
    const bool wasRunning = isRunning();
    if (m_relay && m_relay != relay)
        m_relay->detach();
    m_relay = std::move(relay);
    if (wasRunning != isRunning())
        emit runningChanged(isRunning());
}

} // namespace mc
