#include "failure_count.h"

#include "overview_kpis.h"
#include "store_runner.h"

#include <QLocale>
#include <QTimer>

namespace mc {

FailureCount::FailureCount(StoreRunner *runner, QObject *parent)
    : QObject(parent), m_runner(runner), m_slowTimer(new QTimer(this))
{
    m_slowTimer->setSingleShot(true);
    m_slowTimer->setInterval(kSlowAfterMs);
    connect(m_slowTimer, &QTimer::timeout, this, [this] {
        if (m_state != State::Counting)
            return;
        m_slow = true;
        emit changed();
    });
}

void FailureCount::setSlowAfterMs(int ms)
{
    m_slowTimer->setInterval(ms);
}

void FailureCount::setFilter(const FailureFilter &filter)
{
    m_filter = filter;
    ++m_generation;
    m_state = State::Counting;
    m_slow = false;
    m_slowTimer->start();
    if (m_running)
        m_waiting = true;
    else
        start();
    emit changed();
}

void FailureCount::clear()
{
    ++m_generation;
    m_waiting = false;
    m_state = State::Idle;
    m_slow = false;
    m_slowTimer->stop();
    emit changed();
}

void FailureCount::stop()
{
    if (m_state != State::Counting)
        return;
    m_stoppedGeneration = m_generation;
    m_waiting = false;
    m_state = State::Stopped;
    m_slow = false;
    m_slowTimer->stop();
    if (m_running)
        m_runner->cancelRunning(this);
    emit changed();
}

std::optional<qint64> FailureCount::exact() const
{
    if (m_state != State::Exact)
        return std::nullopt;
    return m_count;
}

void FailureCount::start()
{
    m_running = true;
    m_waiting = false;
    const quint64 generation = m_generation;
    const FailureFilter filter = m_filter;
    m_runner->run<qint64>(
        this, [filter](MergeStore &store) { return store.countFailures(filter); },
        [this, generation](const Result<qint64> &count) {
            m_running = false;
            if (generation != m_generation) {
                if (m_waiting)
                    start(); // the newest filter, counted now
                return;
            }
            if (m_state == State::Stopped)
                return; // stopped: whatever it answered is not shown
            if (!count.ok() && count.error().kind == StoreError::Kind::Cancelled
                && generation != m_stoppedGeneration) {
                start(); // an earlier stop reached this count instead: count it again
                return;
            }
            m_slowTimer->stop();
            m_slow = false;
            if (count.ok()) {
                m_state = State::Exact;
                m_count = *count;
            } else {
                m_state = State::Failed;
                emit failed(count.error());
            }
            emit changed();
        });
}

QString FailureCount::text(qint64 loadedRows, bool allLoaded) const
{
    auto records = [](qint64 n) {
        return n == 1 ? tr("1 failed record") : tr("%1 failed records").arg(QLocale().toString(n));
    };
    switch (m_state) {
    case State::Idle:
        return {};
    case State::Exact:
        if (m_count < 0) // error-group counters that drifted: never shown as a figure
            return counterDriftText({tr("%1 failed records").arg(m_count)});
        return records(m_count);
    case State::Counting:
        if (allLoaded)
            return records(loadedRows);
        if (m_slow && loadedRows > 0)
            return tr("counting… (%1+ so far)").arg(QLocale().toString(loadedRows));
        return tr("counting…");
    case State::Stopped:
        if (allLoaded)
            return records(loadedRows);
        return loadedRows > 0 ? tr("%1+ failed records (count stopped)")
                                    .arg(QLocale().toString(loadedRows))
                              : tr("count stopped");
    case State::Failed:
        if (allLoaded)
            return records(loadedRows);
        return loadedRows > 0 ? tr("%1+ failed records (count failed)")
                                    .arg(QLocale().toString(loadedRows))
                              : tr("count failed");
    }
    return {};
}

} // namespace mc
