#pragma once

#include "cli_error.h"
#include "command_context.h"

namespace mc::cli {

// The rollout flags that admit users portal by portal:
//   migctl rollout list [--json]
//   migctl rollout set FLAG PORTAL PERCENT [--expect-version V] --reason TEXT [--yes] [--json]
// A jump of more than 10 percentage points asks for confirmation unless --yes.
class RolloutCommands
{
public:
    static constexpr int kConfirmAboveBasisPoints = 1000;

    explicit RolloutCommands(CommandContext &context) : m_context(context) {}
    ExitCode run();

private:
    ExitCode list();
    ExitCode set();

    CommandContext &m_context;
};

} // namespace mc::cli
