#pragma once

// Loads one failed record's detail (message, backtrace, payload) for the row the operator is on.
// Moving quickly through the table does not queue a load per row: one load runs at a time and
// only the newest id asked for meanwhile is loaded after it; answers for rows left behind are
// dropped.

#include "failures.h"
#include "session_types.h" // StoreError as a meta type, for the signals

#include <QObject>

namespace mc {

class StoreRunner;

class FailureDetailLoader : public QObject
{
    Q_OBJECT

public:
    explicit FailureDetailLoader(StoreRunner *runner, QObject *parent = nullptr);

    void load(qint64 id);
    void clear(); // forget the current id; answers still on their way are dropped
    std::optional<qint64> currentId() const { return m_id; }
    bool isLoading() const { return m_running || m_waiting; }

signals:
    void loaded(const mc::FailureDetail &detail);
    void failed(qint64 id, const mc::StoreError &error);

private:
    void start();

    StoreRunner *m_runner;
    std::optional<qint64> m_id;
    bool m_running = false;
    bool m_waiting = false;
};

} // namespace mc
