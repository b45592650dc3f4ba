#include "audit_change.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>

namespace mc {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("mc::AuditChange", text);
}

QString clip(const QString &text, int maxLength)
{
    QString flat = text;
    flat.replace(QLatin1Char('\n'), QLatin1Char(' ')).replace(QLatin1Char('\r'), QLatin1Char(' '));
    return flat.size() <= maxLength ? flat : flat.left(maxLength - 1) + QChar(0x2026);
}

} // namespace

QString auditActor(const AuditEntry &entry)
{
    if (entry.osUser.isEmpty() || entry.osUser == entry.databaseUser)
        return entry.databaseUser;
    if (entry.databaseUser.isEmpty())
        return entry.osUser;
    return tr("%1 (db: %2)").arg(entry.osUser, entry.databaseUser);
}

QString auditValueText(const QJsonValue &value)
{
    switch (value.type()) {
    case QJsonValue::Null:
    case QJsonValue::Undefined:
        return QStringLiteral("—");
    case QJsonValue::Bool:
        return value.toBool() ? tr("yes") : tr("no");
    case QJsonValue::Double:
        // As JSON writes it: 8, 0.5, 12345678 (no grouping, no trailing zeros).
        return QJsonDocument(QJsonArray{value}).toJson(QJsonDocument::Compact).mid(1).chopped(1);
    case QJsonValue::String:
        return value.toString();
    case QJsonValue::Array: {
        // A few short names in full ("lt:1, lt:2"), a longer list by its length.
        const QJsonArray array = value.toArray();
        QStringList names;
        for (const QJsonValue &item : array)
            if (item.isString() && item.toString().size() <= 24)
                names << item.toString();
        if (names.size() == array.size() && array.size() <= 3)
            return names.isEmpty() ? QStringLiteral("[]") : names.join(QStringLiteral(", "));
        return array.size() == 1 ? tr("1 listed") : tr("%1 listed").arg(array.size());
    }
    case QJsonValue::Object:
        return QStringLiteral("{…}");
    }
    return {};
}

QString auditSettingName(const QString &key)
{
    if (key == QLatin1String("run_every_ms"))
        return tr("run every (ms)");
    if (key == QLatin1String("max_attempts"))
        return tr("max attempts");
    return key;
}

std::optional<QJsonObject> auditState(const QString &json)
{
    if (json.trimmed().isEmpty())
        return QJsonObject();
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(json.toUtf8(), &error);
    if (error.error != QJsonParseError::NoError || !document.isObject())
        return std::nullopt;
    return document.object();
}

QList<AuditValueChange> auditValueChanges(const QJsonObject &before, const QJsonObject &after)
{
    QStringList keys = after.keys();
    for (const QString &key : before.keys())
        if (!after.contains(key))
            keys << key;
    QList<AuditValueChange> changes;
    for (const QString &key : std::as_const(keys)) {
        AuditValueChange change{key, std::nullopt, std::nullopt};
        if (before.contains(key))
            change.before = before.value(key);
        if (after.contains(key))
            change.after = after.value(key);
        if (change.before && change.after && *change.before == *change.after)
            continue;
        changes << change;
    }
    return changes;
}

QString auditChangeText(const AuditValueChange &change)
{
    const QString name = auditSettingName(change.key);
    if (!change.before)
        return QStringLiteral("%1 %2").arg(name, auditValueText(change.after.value_or(QJsonValue())));
    return QStringLiteral("%1 %2 → %3")
        .arg(name, auditValueText(*change.before),
             auditValueText(change.after.value_or(QJsonValue())));
}

QString compactChange(const QString &before, const QString &after, int maxLength)
{
    const std::optional<QJsonObject> b = auditState(before);
    const std::optional<QJsonObject> a = auditState(after);
    if (!b || !a)
        return clip(QStringLiteral("%1 → %2").arg(before, after), maxLength);
    QStringList parts;
    for (const AuditValueChange &change : auditValueChanges(*b, *a))
        parts << auditChangeText(change);
    if (parts.isEmpty())
        return b->isEmpty() ? QString() : tr("no change");
    return clip(parts.join(QStringLiteral("; ")), maxLength);
}

QString readableJson(const QString &text)
{
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(text.toUtf8(), &error);
    if (error.error != QJsonParseError::NoError)
        return text;
    return QString::fromUtf8(document.toJson(QJsonDocument::Indented)).trimmed();
}

} // namespace mc
