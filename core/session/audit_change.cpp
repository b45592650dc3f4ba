#include "audit_change.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace mc {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("mc::AuditChange", text);
}

std::optional<QJsonObject> objectOf(const QString &text)
{
    if (text.trimmed().isEmpty())
        return QJsonObject();
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(text.toUtf8(), &error);
    if (error.error != QJsonParseError::NoError || !document.isObject())
        return std::nullopt;
    return document.object();
}

QString valueText(const QJsonValue &value)
{
    switch (value.type()) {
    case QJsonValue::Null:
    case QJsonValue::Undefined:
        return QStringLiteral("—");
    case QJsonValue::Bool:
        return value.toBool() ? QStringLiteral("true") : QStringLiteral("false");
    case QJsonValue::Double:
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

QString clip(const QString &text, int maxLength)
{
    QString flat = text;
    flat.replace(QLatin1Char('\n'), QLatin1Char(' ')).replace(QLatin1Char('\r'), QLatin1Char(' '));
    return flat.size() <= maxLength ? flat : flat.left(maxLength - 1) + QChar(0x2026);
}

} // namespace

QString compactChange(const QString &before, const QString &after, int maxLength)
{
    const std::optional<QJsonObject> b = objectOf(before);
    const std::optional<QJsonObject> a = objectOf(after);
    if (!b || !a)
        return clip(QStringLiteral("%1 → %2").arg(before, after), maxLength);

    QStringList keys = a->keys();
    for (const QString &key : b->keys())
        if (!a->contains(key))
            keys << key;
    QStringList parts;
    for (const QString &key : std::as_const(keys)) {
        const bool inBefore = b->contains(key);
        const bool inAfter = a->contains(key);
        if (inBefore && inAfter && b->value(key) == a->value(key))
            continue;
        if (!inBefore)
            parts << QStringLiteral("%1: %2").arg(key, valueText(a->value(key)));
        else
            parts << QStringLiteral("%1: %2 → %3")
                         .arg(key, valueText(b->value(key)),
                              inAfter ? valueText(a->value(key)) : QStringLiteral("—"));
    }
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

QString auditWho(const AuditEntry &entry)
{
    if (entry.osUser.isEmpty())
        return entry.databaseUser;
    if (entry.databaseUser.isEmpty() || entry.databaseUser == entry.osUser)
        return entry.osUser;
    return tr("%1 (as %2)").arg(entry.osUser, entry.databaseUser);
}

} // namespace mc
