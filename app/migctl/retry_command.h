#pragma once

#include "cli_error.h"
#include "command_context.h"
#include "operations.h"

namespace mc::cli {

// `migctl retry (--user K … | --users-from FILE | filter flags) --reason TEXT [--dry-run] [--yes]`
// Moves failed users back to pending: says how many and which first, asks unless --yes, runs in
// batches with progress and Ctrl-C cancel, and ends with what happened to each user.
class RetryCommand
{
public:
    explicit RetryCommand(CommandContext &context) : m_context(context) {}
    ExitCode run();

private:
    struct Plan
    {
        std::variant<std::vector<UserKey>, FailureFilter> users;
        qint64 count = 0;     // users listed, or failed users the filter selects now
        QString description;  // in words, for the operator and the JSON
        bool byFilter = false;
    };

    Plan plan();
    void announce(const Plan &plan);
    RetryReport execute(const Plan &plan, const QString &reason, int batchSize);
    void report(const Plan &plan, const RetryReport &result);

    CommandContext &m_context;
};

} // namespace mc::cli
