#pragma once

#include "cli_error.h"
#include "command_context.h"

namespace mc::cli {

// QA's view of failed records:
//   migctl failures [filter flags] [--limit N] [--after CURSOR] [--json]   one keyset page
//   migctl failure show ID [--payload | --json]                              one record
//   migctl errors [--json]                                                   error groups
class FailureCommands
{
public:
    explicit FailureCommands(CommandContext &context) : m_context(context) {}

    ExitCode list();
    ExitCode show();
    ExitCode errors();

private:
    CommandContext &m_context;
};

} // namespace mc::cli
