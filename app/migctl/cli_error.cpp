#include "cli_error.h"

namespace mc::cli {

ExitCode exitCodeFor(const StoreError &error)
{
    switch (error.kind) {
    case StoreError::Kind::Conflict:
        return ExitCode::Conflict;
    case StoreError::Kind::Permission:
        return ExitCode::Refused;
    case StoreError::Kind::NothingToChange:
        return ExitCode::Refused;
    case StoreError::Kind::InvalidInput:
        return ExitCode::Usage;
    case StoreError::Kind::Connection:
    case StoreError::Kind::SchemaMismatch:
    case StoreError::Kind::NotFound:
    case StoreError::Kind::Cancelled:
    case StoreError::Kind::Database:
        return ExitCode::Error;
    }
    return ExitCode::Error;
}

} // namespace mc::cli
