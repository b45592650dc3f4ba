#pragma once

#include "cli_error.h"
#include "command_context.h"

namespace mc::cli {

// `migctl whoami [--json]`: the login, its mc_ roles and what it may do (role_access.h), as the
// console shows it in its status bar and tooltips.
class WhoamiCommand
{
public:
    explicit WhoamiCommand(CommandContext &context) : m_context(context) {}
    ExitCode run();

private:
    CommandContext &m_context;
};

} // namespace mc::cli
