#pragma once

// Ending a connection's thread without holding up the GUI thread. A query on a slow or stopped
// server may keep the thread busy for as long as the server takes: disconnecting never waits for
// it (the thread ends, deleting its connection, when the query returns); only destruction at
// shutdown waits, and at most kShutdownWaitMs.

class QThread;

namespace mc {

inline constexpr int kShutdownWaitMs = 500;

// Asks the thread to quit; waits up to waitMs for it; a thread still busy then deletes itself
// when it finishes.
void finishThread(QThread *thread, int waitMs);

} // namespace mc
