#pragma once

#include "cli_error.h"
#include "command_context.h"

namespace mc::cli {

// The console's connection profiles (its settings file), without a database:
//   migctl profile list [--json]
//   migctl profile import-pg-service [FILE] [--json]   FILE: $PGSERVICEFILE, else ~/.pg_service.conf
// Importing adds one profile per service (a profile of the same name is replaced); a password
// line in the file is never copied.
class ProfileCommands
{
public:
    explicit ProfileCommands(CommandContext &context) : m_context(context) {}
    ExitCode run();

private:
    ExitCode list();
    ExitCode importPgService();

    CommandContext &m_context;
};

} // namespace mc::cli
