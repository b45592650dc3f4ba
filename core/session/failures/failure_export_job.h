#pragma once

// Runs an export of failed records to a file on a StoreRunner of its own: the pages are read and
// the file is written on the runner's thread, and progress comes back to the job's thread. A
// cancelled or failed export leaves no file behind (see exportFailuresToFile).

#include "failure_export.h"

#include "runner_slot.h"

#include <QObject>

#include <memory>

namespace mc {

class StoreRunner;
template<typename Progress>
class ProgressRelay;

class FailureExportJob : public QObject
{
    Q_OBJECT

public:
    explicit FailureExportJob(QObject *parent = nullptr);
    ~FailureExportJob() override; // cancels a running export; its partial file is removed

    // A runner of the job's own on this URL, or one the caller owns (which must outlive the
    // job's calls).
    void open(const QString &url);
    void setRunner(StoreRunner *runner);

    // progress() as it goes, then finished() (also when cancelled: the report says so) or
    // failed().
    void start(const FailureFilter &filter, const QString &path, const ExportOptions &options);
    void cancel();
    bool isRunning() const { return m_relay != nullptr; }

signals:
    void progress(const mc::ExportProgress &progress);
    void finished(const mc::ExportReport &report);
    void failed(const QString &message);
    void runningChanged(bool running);

private:
    StoreRunner *runner();
    void setRelay(std::shared_ptr<ProgressRelay<ExportProgress>> relay);

    RunnerSlot m_runner{this};
    quint64 m_runGeneration = 0;
    std::shared_ptr<ProgressRelay<ExportProgress>> m_relay; // while an export runs
};

} // namespace mc
