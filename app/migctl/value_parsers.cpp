#include "value_parsers.h"

#include "cli_error.h"

#include <QDateTime>
#include <QFile>
#include <QRegularExpression>

#include <cstdio>

namespace mc::cli {

int parseBasisPoints(const QString &text)
{
    static const QRegularExpression pattern(QStringLiteral("^([0-9]{1,3})(?:\\.([0-9]{1,2}))?$"));
    const QRegularExpressionMatch match = pattern.match(text);
    if (!match.hasMatch())
        usageError(QStringLiteral("PERCENT must be a number from 0 to 100 with at most two "
                                  "decimals, like 12.34 (got \"%1\")")
                       .arg(text));
    QString decimals = match.captured(2);
    while (decimals.size() < 2)
        decimals += QLatin1Char('0');
    const int basisPoints = match.captured(1).toInt() * 100 + decimals.toInt();
    if (basisPoints > 10'000)
        usageError(QStringLiteral("PERCENT must lie between 0 and 100 (got \"%1\")").arg(text));
    return basisPoints;
}

QString percentText(int basisPoints)
{
    return QStringLiteral("%1.%2").arg(basisPoints / 100).arg(basisPoints % 100, 2, 10,
                                                               QLatin1Char('0'));
}

qint64 parseDurationMs(const QString &flag, const QString &text)
{
    static const QRegularExpression pattern(QStringLiteral("^([0-9]{1,9})(ms|s|m|h|d)?$"));
    const QRegularExpressionMatch match = pattern.match(text);
    if (!match.hasMatch())
        usageError(QStringLiteral("--%1 takes a duration such as 90s, 5m, 2h or 1d (got \"%2\")")
                       .arg(flag, text));
    const QString unit = match.captured(2);
    const qint64 scale = unit == u"s" ? 1000 : unit == u"m" ? 60'000 : unit == u"h" ? 3'600'000
                                                              : unit == u"d" ? 86'400'000 : 1;
    const qint64 ms = match.captured(1).toLongLong() * scale;
    if (ms > 7 * 86'400'000LL)
        usageError(QStringLiteral("--%1 is at most 7 days (got \"%2\")").arg(flag, text));
    return ms;
}

EpochMs parseTime(const QString &flag, const QString &text, EpochMs now)
{
    static const QRegularExpression relative(QStringLiteral("^([0-9]{1,9})([smhd])$"));
    if (const QRegularExpressionMatch match = relative.match(text); match.hasMatch()) {
        const qint64 amount = match.captured(1).toLongLong();
        const QChar unit = match.captured(2).at(0);
        const qint64 unitMs = unit == QLatin1Char('s') ? 1'000
                              : unit == QLatin1Char('m') ? 60'000
                              : unit == QLatin1Char('h') ? 3'600'000
                                                         : 86'400'000;
        return now - amount * unitMs;
    }
    QDateTime when;
    static const QRegularExpression dateOnly(QStringLiteral("^[0-9]{4}-[0-9]{2}-[0-9]{2}$"));
    if (dateOnly.match(text).hasMatch()) {
        when = QDateTime(QDate::fromString(text, Qt::ISODate), QTime(0, 0), Qt::UTC);
    } else if (text.contains(QLatin1Char('T'))) {
        when = QDateTime::fromString(text, Qt::ISODateWithMs);
        if (when.isValid() && when.timeSpec() == Qt::LocalTime) // no zone given: UTC
            when = QDateTime(when.date(), when.time(), Qt::UTC);
    }
    if (!when.isValid())
        usageError(QStringLiteral("--%1 takes an ISO-8601 time like 2026-11-24T10:00:00Z or an "
                                  "age like 15m, 2h, 7d (got \"%2\")")
                       .arg(flag, text));
    return when.toMSecsSinceEpoch();
}

std::optional<UserKey> parseUserKey(const QString &text)
{
    static const QRegularExpression pattern(QStringLiteral("^([^:\\s]+):([0-9]{1,18})$"));
    const QRegularExpressionMatch match = pattern.match(text);
    if (!match.hasMatch())
        return std::nullopt;
    return UserKey{match.captured(1), match.captured(2).toLongLong()};
}

UserKey requireUserKey(const QString &text)
{
    const std::optional<UserKey> user = parseUserKey(text);
    if (!user)
        usageError(QStringLiteral("\"%1\" is not PORTAL:USER_ID (like lt:12345)").arg(text));
    return *user;
}

qint64 parseNumber(const QString &flag, const QString &text, qint64 min, qint64 max)
{
    static const QRegularExpression pattern(QStringLiteral("^-?[0-9]{1,18}$"));
    bool ok = pattern.match(text).hasMatch();
    const qint64 number = ok ? text.toLongLong(&ok) : 0;
    if (!ok || number < min || number > max)
        usageError(QStringLiteral("--%1 takes a whole number from %2 to %3 (got \"%4\")")
                       .arg(flag)
                       .arg(min)
                       .arg(max)
                       .arg(text));
    return number;
}

std::vector<UserKey> readUserKeys(QIODevice &device, const QString &source)
{
    std::vector<UserKey> users;
    // Read whole: a pipe on stdin is sequential and reports its end only once read.
    const QList<QByteArray> lines = device.readAll().split('\n');
    int lineNumber = 0;
    for (const QByteArray &raw : lines) {
        ++lineNumber;
        const QString line = QString::fromUtf8(raw).trimmed();
        if (line.isEmpty() || line.startsWith(QLatin1Char('#')))
            continue;
        const std::optional<UserKey> user = parseUserKey(line);
        if (!user)
            usageError(QStringLiteral("%1 line %2: \"%3\" is not PORTAL:USER_ID")
                           .arg(source)
                           .arg(lineNumber)
                           .arg(line.left(80)));
        users.push_back(*user);
    }
    return users;
}

std::vector<UserKey> readUserKeysFrom(const QString &path)
{
    QFile file;
    QString source = path;
    bool opened = false;
    if (path == QLatin1String("-")) {
        source = QStringLiteral("stdin");
        opened = file.open(stdin, QIODevice::ReadOnly);
    } else {
        file.setFileName(path);
        opened = file.open(QIODevice::ReadOnly);
    }
    if (!opened)
        usageError(QStringLiteral("cannot read --users-from %1: %2").arg(path, file.errorString()));
    return readUserKeys(file, source);
}

} // namespace mc::cli
