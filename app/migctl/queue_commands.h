#pragma once

#include "cli_error.h"
#include "command_context.h"

namespace mc::cli {

// The lead's queue settings, read live by the workers:
//   migctl queue list [--json]
//   migctl queue set QUEUE (--parallelism N | --run-every-ms N | --max-attempts N)
//                    [--expect-version V] --reason TEXT [--json]
//   migctl queue pause|resume QUEUE [--expect-version V] --reason TEXT [--json]
class QueueCommands
{
public:
    explicit QueueCommands(CommandContext &context) : m_context(context) {}
    ExitCode run();

private:
    ExitCode list();
    ExitCode set();
    ExitCode pause(bool paused);
    ExitCode apply(QueueChange change);

    CommandContext &m_context;
};

} // namespace mc::cli
