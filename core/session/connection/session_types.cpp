#include "session_types.h"

namespace mc {

QString requestName(RequestKind kind)
{
    switch (kind) {
    case RequestKind::Overview:
        return QStringLiteral("overview");
    case RequestKind::Throughput:
        return QStringLiteral("throughput");
    case RequestKind::Audit:
        return QStringLiteral("audit");
    case RequestKind::MigrationTimes:
        return QStringLiteral("migration times");
    case RequestKind::Alerts:
        return QStringLiteral("alerts");
    }
    return {};
}

} // namespace mc
