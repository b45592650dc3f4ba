#pragma once

// Talking to the operator at a terminal: confirmation prompts, a progress line, and Ctrl-C that
// cancels a bulk action between batches instead of killing it mid-way.

#include "output.h"

#include <atomic>

namespace mc::cli {

// Asks `question [y/N]` on the terminal unless assumeYes. Refuses (exit 4) when stdin is not a
// terminal and there is no --yes, and when the answer is not yes; nothing has changed then.
void confirmOrRefuse(Output &out, const QString &question, bool assumeYes);

// One updating line on stderr when stderr is a terminal; silent when piped.
class ProgressLine
{
public:
    explicit ProgressLine(Output &out);
    ~ProgressLine();

    void show(const QString &text);
    void finish(); // ends the line, if one was drawn

private:
    Output &m_out;
    bool m_enabled;
    bool m_drawn = false;
};

// While alive, the first SIGINT sets the cancel flag (checked before each batch) and the second
// ends the process at once with 130. The previous handler is restored afterwards.
class InterruptGuard
{
public:
    InterruptGuard();
    ~InterruptGuard();
    InterruptGuard(const InterruptGuard &) = delete;
    InterruptGuard &operator=(const InterruptGuard &) = delete;

    const std::atomic_bool *cancelFlag() const;
    bool interrupted() const;
};

} // namespace mc::cli
