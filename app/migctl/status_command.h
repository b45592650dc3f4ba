#pragma once

#include "cli_error.h"
#include "command_context.h"

namespace mc::cli {

// `migctl status`: users by status with the failure rate, per-model progress, queues, rollout
// flags, the latest throughput buckets, and an ETA for the backlog at the recent rate.
class StatusCommand
{
public:
    explicit StatusCommand(CommandContext &context) : m_context(context) {}
    ExitCode run();

private:
    CommandContext &m_context;
};

} // namespace mc::cli
