#pragma once

// Verify counters… in the console: compares every counter with the tables it counts, or repairs
// the ones that drifted (one transaction, one audit entry), on the console's bulk connection so
// the views' reads never wait behind it. Signals arrive on the job's thread (the GUI thread).

#include "merge_store.h"
#include "runner_slot.h"
#include "session_types.h" // StoreError, CounterCheck as meta types

#include <QObject>

namespace mc {

class CounterCheckJob : public QObject
{
    Q_OBJECT

public:
    explicit CounterCheckJob(QObject *parent = nullptr);

    void setRunner(StoreRunner *runner);    // the console's bulk runner (ends the job if closed)

    void verify();                          // checked() or failed()
    void repair(const QString &reason);     // checked() with repaired set, or failed()
    bool isRunning() const { return m_running; }

signals:
    void checked(const mc::CounterCheck &check);
    void failed(const mc::StoreError &error);
    void runningChanged(bool running);

private:
    void start(std::function<Result<CounterCheck>(MergeStore &)> work);

    RunnerSlot m_runner{this};
    bool m_running = false;
};

} // namespace mc
