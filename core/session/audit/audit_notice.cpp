#include "audit_notice.h"

#include "number_text.h"

#include <cmath>

namespace mc {

namespace {

QJsonObject object(const QString &json)
{
    return auditState(json).value_or(QJsonObject());
}

// "set parallelism of create_high 4 → 8, max attempts 3 → 5", "paused serialize"
QString queueChange(const AuditEntry &entry)
{
    const QString queue = entry.target.section(QLatin1Char(':'), 1);
    const QJsonObject before = object(entry.before);
    QJsonObject after = object(entry.after);
    QStringList parts;
    if (after.contains(QStringLiteral("paused")))
        parts << QStringLiteral("%1 %2")
                     .arg(after.value(QStringLiteral("paused")).toBool()
                              ? QStringLiteral("paused")
                              : QStringLiteral("resumed"),
                          queue);
    after.remove(QStringLiteral("paused"));
    QStringList settings;
    for (auto it = after.begin(); it != after.end(); ++it) {
        // "set parallelism of create_high 4 → 8, max attempts 3 → 5"
        QString name = auditSettingName(it.key());
        if (settings.isEmpty())
            name += QStringLiteral(" of ") + queue;
        settings << QStringLiteral("%1 %2 → %3")
                        .arg(name, auditValueText(before.value(it.key())),
                             auditValueText(it.value()));
    }
    if (!settings.isEmpty())
        parts << QStringLiteral("set ") + settings.join(QStringLiteral(", "));
    if (parts.isEmpty())
        return QStringLiteral("changed queue %1").arg(queue);
    return parts.join(QStringLiteral(" and "));
}

QString rolloutChange(const AuditEntry &entry)
{
    const QString flag = entry.target.section(QLatin1Char(':'), 1, 1);
    const QString portal = entry.target.section(QLatin1Char(':'), 2);
    auto percent = [](const QString &json) {
        const QString text = object(json).value(QStringLiteral("percentage")).toString();
        return percentText(int(std::llround(text.toDouble() * 100.0)));
    };
    return QStringLiteral("set rollout %1 on %2 %3 → %4")
        .arg(flag, portal, percent(entry.before), percent(entry.after));
}

QString whatWasDone(const AuditEntry &entry)
{
    if (entry.action == QLatin1String("set_queue"))
        return queueChange(entry);
    if (entry.action == QLatin1String("set_rollout"))
        return rolloutChange(entry);
    if (entry.action == QLatin1String("retry_users"))
        return QStringLiteral("retried %1").arg(entry.target);
    if (entry.action == QLatin1String("resolve_failures")) {
        const QString to = object(entry.after).value(QStringLiteral("resolution")).toString();
        return QStringLiteral("marked %1 %2").arg(entry.target, to);
    }
    if (entry.action == QLatin1String("reopen_failures"))
        return QStringLiteral("reopened %1").arg(entry.target);
    if (entry.action == QLatin1String("install_schema"))
        return QStringLiteral("installed the schema");
    if (entry.action == QLatin1String("upgrade_schema"))
        return QStringLiteral("upgraded the schema");
    return QStringLiteral("%1 %2").arg(entry.action, entry.target).trimmed();
}

} // namespace

QString auditNotice(const AuditEntry &entry)
{
    // One line: a reason typed over several lines is folded into it.
    QString reason = entry.reason.simplified();
    if (reason.size() > 200)
        reason = reason.left(199) + QChar(0x2026);
    const QString line = QStringLiteral("%1 %2").arg(auditActor(entry), whatWasDone(entry));
    return reason.isEmpty() ? line : QStringLiteral("%1: %2").arg(line, reason);
}

QString auditNotice(const QList<AuditEntry> &entries)
{
    if (entries.isEmpty())
        return {};
    const QString newest = auditNotice(entries.last());
    if (entries.size() == 1)
        return newest;
    return QStringLiteral("%1 (and %2 more changes)").arg(newest).arg(entries.size() - 1);
}

} // namespace mc
