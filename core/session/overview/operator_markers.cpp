#include "operator_markers.h"

#include "audit_change.h"

#include <QJsonArray>

#include <algorithm>

namespace mc {

namespace {

constexpr qint64 kFoldRetriesWithinMs = 60'000;

QJsonObject object(const QString &json)
{
    return auditState(json).value_or(QJsonObject());
}

// "parallelism 4 → 8, paused no → yes"
QString changes(const AuditEntry &entry)
{
    QStringList parts;
    for (const AuditValueChange &change :
         auditValueChanges(object(entry.before), object(entry.after))) {
        if (change.key == QLatin1String("users") || !change.after)
            continue;
        if (!change.before) // a key new in the after state reads "from none"
            parts << auditChangeText({change.key, QJsonValue(), change.after});
        else
            parts << auditChangeText(change);
    }
    return parts.join(QStringLiteral(", "));
}

qint64 retriedUsers(const AuditEntry &entry)
{
    // The target reads "lt: 250 users"; the after state lists them.
    const QJsonValue users = object(entry.after).value(QStringLiteral("users"));
    if (users.isArray())
        return users.toArray().size();
    const QString target = entry.target.section(QLatin1Char(':'), 1).trimmed();
    return target.section(QLatin1Char(' '), 0, 0).toLongLong();
}

QString when(EpochMs at)
{
    return QDateTime::fromMSecsSinceEpoch(at).toString(QStringLiteral("yyyy-MM-dd HH:mm:ss"));
}

OperatorMarker markerOf(const AuditEntry &entry)
{
    OperatorMarker marker;
    marker.at = entry.at;
    marker.action = entry.action;
    QString what;
    if (entry.action == QLatin1String("set_queue")) {
        const QString queue = entry.target.section(QLatin1Char(':'), 1);
        what = QStringLiteral("queue %1: %2").arg(queue, changes(entry));
        marker.label = QStringLiteral("%1: %2").arg(queue, changes(entry));
    } else if (entry.action == QLatin1String("set_rollout")) {
        const QString flag = entry.target.section(QLatin1Char(':'), 1, 1);
        const QString portal = entry.target.section(QLatin1Char(':'), 2);
        const QString change = changes(entry).replace(QStringLiteral("percentage "), QString());
        what = QStringLiteral("rollout %1 on %2: %3 %").arg(flag, portal, change);
        marker.label = QStringLiteral("rollout %1: %2 %").arg(portal, change);
    } else {
        const qint64 users = retriedUsers(entry);
        what = QStringLiteral("retried %1 users (%2)").arg(users).arg(entry.target);
        marker.label = QStringLiteral("retry %1 users").arg(users);
    }
    marker.detail = QStringLiteral("%1\nby %2 at %3\nreason: %4")
                        .arg(what, auditActor(entry), when(entry.at), entry.reason);
    return marker;
}

} // namespace

bool isMarkedAction(const QString &action)
{
    return action == QLatin1String("set_queue") || action == QLatin1String("set_rollout")
           || action == QLatin1String("retry_users");
}

QList<OperatorMarker> operatorMarkers(const QList<AuditEntry> &entries)
{
    QList<AuditEntry> sorted;
    for (const AuditEntry &entry : entries)
        if (isMarkedAction(entry.action))
            sorted.append(entry);
    std::sort(sorted.begin(), sorted.end(), [](const AuditEntry &a, const AuditEntry &b) {
        return a.at != b.at ? a.at < b.at : a.id < b.id;
    });

    QList<OperatorMarker> markers;
    qint64 foldedUsers = 0;
    const AuditEntry *previous = nullptr;
    for (const AuditEntry &entry : sorted) {
        const bool fold = previous && entry.action == QLatin1String("retry_users")
                          && previous->action == entry.action && previous->reason == entry.reason
                          && previous->databaseUser == entry.databaseUser
                          && previous->osUser == entry.osUser
                          && entry.at - previous->at <= kFoldRetriesWithinMs;
        if (fold) {
            OperatorMarker &marker = markers.last();
            foldedUsers += retriedUsers(entry);
            ++marker.entries;
            marker.label = QStringLiteral("retry %1 users").arg(foldedUsers);
            marker.detail = QStringLiteral("retried %1 users in %2 batches\nby %3 from %4\n"
                                           "reason: %5")
                                .arg(foldedUsers)
                                .arg(marker.entries)
                                .arg(auditActor(entry), when(marker.at), entry.reason);
        } else {
            markers.append(markerOf(entry));
            foldedUsers = entry.action == QLatin1String("retry_users") ? retriedUsers(entry) : 0;
        }
        previous = &entry;
    }
    return markers;
}

} // namespace mc
