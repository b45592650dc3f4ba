#pragma once

// The exact number of failed records the current filter selects, counted on the server without
// holding anything up. Until the count arrives the text says "counting…"; when it takes longer
// than a moment, it also gives the rows loaded so far as a lower bound ("200+ so far"). When the
// table has loaded every row of the filter, that number is exact without waiting for the count.
//
// One count runs at a time: a filter set while one runs waits, and only the newest one waiting is
// counted afterwards (typing does not queue a count per keystroke on a slow server). A slow count
// can be stopped: the server is asked to stop the statement and the text says so.

#include "failures.h"
#include "session_types.h" // StoreError as a meta type, for the signals

#include <QObject>

class QTimer;

namespace mc {

class StoreRunner;

class FailureCount : public QObject
{
    Q_OBJECT

public:
    enum class State { Idle, Counting, Exact, Failed, Stopped };
    static constexpr int kSlowAfterMs = 1000;

    explicit FailureCount(StoreRunner *runner, QObject *parent = nullptr);

    void setFilter(const FailureFilter &filter); // counts it (after the one running, if any)
    void recount() { setFilter(m_filter); }
    void clear();                                // Idle: nothing counted, nothing shown
    void stop();                                 // Counting → Stopped, the server's work too
    void setSlowAfterMs(int ms);

    State state() const { return m_state; }
    std::optional<qint64> exact() const; // when State::Exact
    bool isSlow() const { return m_slow; } // counting for longer than slowAfterMs
    const FailureFilter &filter() const { return m_filter; }

    // What to show: loaded rows and whether they are all of the filter come from the table.
    QString text(qint64 loadedRows, bool allLoaded) const;

signals:
    void changed();
    void failed(const mc::StoreError &error);

private:
    void start();

    StoreRunner *m_runner;
    QTimer *m_slowTimer;
    FailureFilter m_filter;
    quint64 m_generation = 0;
    quint64 m_stoppedGeneration = 0; // the filter whose count stop() interrupted
    bool m_running = false; // a count is on its way (perhaps for an older filter)
    bool m_waiting = false; // the current filter waits for the running count to end
    State m_state = State::Idle;
    qint64 m_count = 0;
    bool m_slow = false;
};

} // namespace mc
