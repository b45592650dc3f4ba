#pragma once

#include "cli_error.h"
#include "command_context.h"

namespace mc::cli {

// `migctl user show PORTAL:USER_ID [--json]`: one user's migration, per-model progress,
// failures and id mappings, as support sees them before a retry.
class UserCommand
{
public:
    explicit UserCommand(CommandContext &context) : m_context(context) {}
    ExitCode show();

private:
    CommandContext &m_context;
};

} // namespace mc::cli
