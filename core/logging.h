#pragma once

// Logging, set up once per process: stderr plus a rotating file in the user's data directory.
// The level comes from the caller (a --log-level flag) or MIGRATION_CONSOLE_LOG, else "info".

#include <QString>

#include <memory>
#include <optional>

namespace spdlog {
class logger;
}

namespace mc {

struct LoggingSetup
{
    QString level;   // as applied: trace, debug, info, warn, error, critical or off
    QString logFile; // empty when the data directory is not writable
};

// Safe to call more than once; the first call wins for the file, later calls change the level.
LoggingSetup initLogging(const QString &appName, const std::optional<QString> &level = {});

// The project logger; usable before initLogging (then it logs to stderr only).
std::shared_ptr<spdlog::logger> log();

} // namespace mc
