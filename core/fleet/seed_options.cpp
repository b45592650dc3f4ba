#include "seed_options.h"

#include <QRegularExpression>

namespace mc::fleet {

QString SeedOptions::problem() const
{
    if (users < 0)
        return QStringLiteral("--users must be 0 or more");
    if (portals.isEmpty())
        return QStringLiteral("--portals names no portal");
    static const QRegularExpression code(QStringLiteral("^[a-z0-9_]{1,16}$"));
    for (const QString &portal : portals) {
        if (!code.match(portal).hasMatch())
            return QStringLiteral("portal code '%1' is not 1–16 lower-case letters, digits or _")
                .arg(portal);
        if (portal == QLatin1String("target"))
            return QStringLiteral("'target' is the target portal, not a source");
        if (portals.count(portal) > 1)
            return QStringLiteral("portal '%1' is named twice").arg(portal);
    }
    if (!(failedShare >= 0.0 && failedShare <= 0.5))
        return QStringLiteral("--failed-share must be between 0 and 0.5");
    if (historyHours < 0 || historyHours > 24 * 366)
        return QStringLiteral("the throughput history must be 0 to 8784 hours");
    if (connections <= 0 || usersPerChunk <= 0)
        return QStringLiteral("connections and users per chunk must be positive");
    return QString();
}

} // namespace mc::fleet
