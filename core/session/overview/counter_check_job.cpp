#include "counter_check_job.h"

namespace mc {

CounterCheckJob::CounterCheckJob(QObject *parent) : QObject(parent) {}

void CounterCheckJob::setRunner(StoreRunner *runner)
{
    m_runner.use(runner, [this] {
        if (!m_running)
            return;
        m_running = false;
        emit runningChanged(false);
        emit failed(StoreError::make(StoreError::Kind::Connection,
                                     QStringLiteral("Disconnected before the counters were "
                                                    "checked.")));
    });
}

void CounterCheckJob::verify()
{
    start([](MergeStore &store) { return store.verifyCounters(); });
}

void CounterCheckJob::repair(const QString &reason)
{
    CounterRepair request{reason, Operator::fromEnvironment()};
    start([request](MergeStore &store) { return store.repairCounters(request); });
}

void CounterCheckJob::start(std::function<Result<CounterCheck>(MergeStore &)> work)
{
    m_running = true;
    emit runningChanged(true);
    m_runner.get()->run<CounterCheck>(this, std::move(work), [this](const Result<CounterCheck> &r) {
        m_running = false;
        emit runningChanged(false);
        if (r.ok())
            emit checked(*r);
        else
            emit failed(r.error());
    });
}

} // namespace mc
