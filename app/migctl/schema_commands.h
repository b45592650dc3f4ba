#pragma once

#include "cli_error.h"
#include "command_context.h"

namespace mc::cli {

// `migctl schema status|install|upgrade [--json]`: the merge-database contract's version, and
// installing or upgrading it (core refuses newer and foreign databases and changes nothing).
class SchemaCommands
{
public:
    explicit SchemaCommands(CommandContext &context) : m_context(context) {}
    ExitCode run();

private:
    void print(const SchemaStatus &status, const QString &headline);
    ExitCode printRoles();
    Result<SchemaStatus> upgrade(MergeStore &store);

    CommandContext &m_context;
};

} // namespace mc::cli
