#pragma once

#include "cli_error.h"
#include "command_context.h"

namespace mc::cli {

// The shared alert rules (issue 15):
//   migctl alerts [--json]                 each rule's alert as the database holds it
//   migctl alerts rules [--json]
//   migctl alerts set RULE [--kind K] [--scope S] [--threshold N] [--min-count N] [--window D]
//                 [--for D] [--keep-firing D] [--severity S] [--enable] [--mute D | --unmute]
//                 --reason TEXT [--json]   (a lead's action, audited; creates RULE if new)
//   migctl alerts disable RULE --reason TEXT [--json]
//   migctl alerts watch [--interval D] [--json]   evaluates every D (default 10s) and prints
//                 each transition; ends with 0 on SIGTERM or Ctrl-C
class AlertCommands
{
public:
    explicit AlertCommands(CommandContext &context) : m_context(context) {}
    ExitCode run();

private:
    ExitCode state();
    ExitCode rules();
    ExitCode set(bool disable);
    ExitCode watch();

    CommandContext &m_context;
};

} // namespace mc::cli
