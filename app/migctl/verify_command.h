#pragma once

#include "cli_error.h"
#include "command_context.h"

namespace mc::cli {

// `migctl verify [--json]`: every counter row (stripes summed) against the tables it counts;
// prints each drift (counter, key, stored, true); exit 0 when none, 1 when any.
// `migctl verify --repair --reason TEXT`: recomputes what drifted in one transaction with one
// audit entry; exit 0 when the counters are true afterwards.
class VerifyCommand
{
public:
    explicit VerifyCommand(CommandContext &context) : m_context(context) {}
    ExitCode run();

private:
    void report(const CounterCheck &check, bool repairing);

    CommandContext &m_context;
};

} // namespace mc::cli
