#include "domain.h"
#include "failures.h"
#include "merge_store.h"
#include "operations.h"
#include "store_error.h"

#include <QDateTime>
#include <QStringList>

namespace mc {

QString statusName(UserStatus status)
{
    switch (status) {
    case UserStatus::Nil: return QStringLiteral("nil");
    case UserStatus::Pending: return QStringLiteral("pending");
    case UserStatus::InProgress: return QStringLiteral("in_progress");
    case UserStatus::Completed: return QStringLiteral("completed");
    case UserStatus::Failed: return QStringLiteral("failed");
    }
    return QString();
}

std::optional<UserStatus> statusFromName(const QString &name)
{
    for (UserStatus status : kAllUserStatuses)
        if (statusName(status) == name)
            return status;
    return std::nullopt;
}

QString UserKey::toString() const
{
    return portal + QLatin1Char(':') + QString::number(userId);
}

std::optional<UserKey> UserKey::parse(const QString &text)
{
    const qsizetype colon = text.indexOf(QLatin1Char(':'));
    if (colon <= 0)
        return std::nullopt;
    bool ok = false;
    const qint64 id = text.mid(colon + 1).trimmed().toLongLong(&ok);
    if (!ok)
        return std::nullopt;
    return UserKey{text.left(colon).trimmed(), id};
}

qint64 OverviewSnapshot::users(UserStatus status) const
{
    for (const StatusCount &count : usersByStatus)
        if (count.status == status)
            return count.users;
    return 0;
}

qint64 OverviewSnapshot::totalUsers() const
{
    qint64 total = 0;
    for (const StatusCount &count : usersByStatus)
        total += count.users;
    return total;
}

bool FailureFilter::isEmpty() const
{
    return !modelId && errorClass.isEmpty() && portal.isEmpty() && !since && !until
           && searchText.isEmpty() && fingerprint.isEmpty();
}

QString FailureFilter::describe() const
{
    auto when = [](EpochMs ms) {
        return QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC).toString(Qt::ISODate);
    };
    QStringList parts;
    if (modelId)
        parts << QStringLiteral("model id %1").arg(*modelId);
    if (!errorClass.isEmpty())
        parts << QStringLiteral("error class \"%1\"").arg(errorClass);
    if (!portal.isEmpty())
        parts << QStringLiteral("portal \"%1\"").arg(portal);
    if (!fingerprint.isEmpty())
        parts << QStringLiteral("error group %1").arg(fingerprint);
    if (since)
        parts << QStringLiteral("failed at or after %1").arg(when(*since));
    if (until)
        parts << QStringLiteral("failed before %1").arg(when(*until));
    if (!searchText.isEmpty())
        parts << QStringLiteral("text containing \"%1\"%2")
                     .arg(searchText, matchCase ? QStringLiteral(" (matching case)")
                                                : QString());
    QString text = parts.isEmpty() ? QStringLiteral("all failed records")
                                   : QStringLiteral("failed records with ")
                                         + parts.join(QStringLiteral(", "));
    text += includeResolved ? QStringLiteral(", resolved ones included")
                            : QStringLiteral(", unresolved only");
    return text;
}

bool FailureFilter::searchScans() const
{
    return !searchText.isEmpty() && searchTrigrams(searchText).isEmpty();
}

QStringList searchTrigrams(const QString &text)
{
    auto isAsciiAlnum = [](QChar c) {
        return (c >= u'a' && c <= u'z') || (c >= u'A' && c <= u'Z') || (c >= u'0' && c <= u'9');
    };
    QStringList grams;
    for (qsizetype i = 0; i + 3 <= text.size(); ++i) {
        if (!isAsciiAlnum(text[i]) || !isAsciiAlnum(text[i + 1]) || !isAsciiAlnum(text[i + 2]))
            continue;
        const QString gram = text.mid(i, 3).toLower(); // ASCII only here: lower() is ASCII's
        if (!grams.contains(gram))
            grams.append(gram);
    }
    return grams;
}

QString FailureCursor::encode() const
{
    return QStringLiteral("%1.%2").arg(failedAt).arg(id);
}

std::optional<FailureCursor> FailureCursor::decode(const QString &text)
{
    const QStringList parts = text.split(QLatin1Char('.'));
    if (parts.size() != 2)
        return std::nullopt;
    bool okAt = false, okId = false;
    FailureCursor cursor{parts[0].toLongLong(&okAt), parts[1].toLongLong(&okId)};
    if (!okAt || !okId)
        return std::nullopt;
    return cursor;
}

Operator Operator::fromEnvironment()
{
    for (const char *name : {"USER", "LOGNAME", "USERNAME"}) {
        const QString value = qEnvironmentVariable(name);
        if (!value.isEmpty())
            return Operator{value};
    }
    return Operator{QStringLiteral("unknown")};
}

QString kindName(StoreError::Kind kind)
{
    switch (kind) {
    case StoreError::Kind::Connection: return QStringLiteral("connection");
    case StoreError::Kind::Conflict: return QStringLiteral("conflict");
    case StoreError::Kind::SchemaMismatch: return QStringLiteral("schema mismatch");
    case StoreError::Kind::NotFound: return QStringLiteral("not found");
    case StoreError::Kind::InvalidInput: return QStringLiteral("invalid input");
    case StoreError::Kind::NothingToChange: return QStringLiteral("nothing to change");
    case StoreError::Kind::Permission: return QStringLiteral("permission");
    case StoreError::Kind::Cancelled: return QStringLiteral("cancelled");
    case StoreError::Kind::Database: return QStringLiteral("database");
    }
    return QString();
}

QString stateName(SchemaStatus::State state)
{
    switch (state) {
    case SchemaStatus::State::Empty: return QStringLiteral("empty");
    case SchemaStatus::State::Current: return QStringLiteral("current");
    case SchemaStatus::State::Older: return QStringLiteral("older");
    case SchemaStatus::State::Newer: return QStringLiteral("newer");
    case SchemaStatus::State::Foreign: return QStringLiteral("foreign");
    }
    return QString();
}

QString tlsDescription(const TlsState &tls)
{
    if (!tls.enabled)
        return QStringLiteral("not encrypted");
    return tls.verified ? QStringLiteral("verified") : QStringLiteral("encrypted, not verified");
}

} // namespace mc
