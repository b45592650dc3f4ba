#pragma once

// migctl's guarded plans (README, "Guarded plans"): making a guarded retry or a rollout ramp,
// listing and showing plans, pausing, resuming and cancelling them, and `plan run`, the
// long-running executor for a server.

#include "cli_error.h"
#include "command_context.h"

namespace mc::cli {

class PlanCommands
{
public:
    explicit PlanCommands(CommandContext &context) : m_context(context) {}

    // The options that make `retry FILTER` a guarded plan.
    static QStringList guardOptions();
    static bool wantsGuard(const ParsedArguments &args);

    ExitCode run();          // plan list|show|pause|resume|cancel|run
    ExitCode createRetry();  // retry FILTER --canary N --steps … --hold … --halt-above …
    ExitCode createRamp();   // rollout ramp FLAG PORTAL --steps … --hold … --halt-above …

private:
    ExitCode list();
    ExitCode show();
    ExitCode change(PlanAction action);
    ExitCode execute();
    void report(const Plan &plan, const QString &headline);

    CommandContext &m_context;
};

} // namespace mc::cli
