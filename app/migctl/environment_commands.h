#pragma once

#include "cli_error.h"
#include "command_context.h"

namespace mc::cli {

// What the merge database says it is:
//   migctl environment show [--json]
//   migctl environment set NAME --class development|staging|production --reason TEXT [--json]
// Setting it is a lead's action, written with its audit entry.
class EnvironmentCommands
{
public:
    explicit EnvironmentCommands(CommandContext &context) : m_context(context) {}
    ExitCode run();

private:
    ExitCode show();
    ExitCode set();
    void print(const Environment &environment);

    CommandContext &m_context;
};

} // namespace mc::cli
