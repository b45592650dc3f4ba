#pragma once

// How migctl ends: its exit codes, and the error that carries one up to main().

#include "store_error.h"

#include <QString>

namespace mc::cli {

enum class ExitCode {
    Ok = 0,
    Error = 1,    // the store or the server failed, or something is not there
    Usage = 2,    // bad flags or values: nothing was asked of the database
    Conflict = 3, // a stale --expect-version: someone else changed the row first
    Refused = 4,  // not permitted, nothing to do, or the operator said no
};

// Thrown inside migctl only (never across core): unwinds a command to main() with its exit code
// and the one line migctl prints on stderr.
struct CliError
{
    ExitCode code = ExitCode::Error;
    QString message;
};

[[noreturn]] inline void fail(ExitCode code, const QString &message)
{
    throw CliError{code, message};
}

[[noreturn]] inline void usageError(const QString &message)
{
    fail(ExitCode::Usage, message);
}

// The exit code an operator or a script should see for a store error.
ExitCode exitCodeFor(const StoreError &error);

// The value of a store call, or a CliError with the store's message.
template<typename T>
T take(Result<T> result)
{
    if (!result.ok())
        fail(exitCodeFor(result.error()), result.error().message);
    return std::move(result).value();
}

} // namespace mc::cli
