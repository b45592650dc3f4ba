#pragma once

#include "cli_error.h"
#include "command_context.h"

namespace mc::cli {

// `migctl audit [--limit N] [--action A] [--actor NAME] [--json]`: the newest operator changes,
// who made them, what changed and the reason typed.
class AuditCommand
{
public:
    explicit AuditCommand(CommandContext &context) : m_context(context) {}
    ExitCode run();

private:
    CommandContext &m_context;
};

} // namespace mc::cli
