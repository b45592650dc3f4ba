#include "text_format.h"

#include <QDateTime>

namespace mc::cli {

namespace {

bool needsEscape(char32_t c)
{
    return c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0) // C0, DEL, C1
           || (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069) // bidi controls
           || c == 0x200e || c == 0x200f || c == 0x061c;
}

QString escaped(char32_t c)
{
    switch (c) {
    case '\n': return QStringLiteral("\\n");
    case '\r': return QStringLiteral("\\r");
    case '\t': return QStringLiteral("\\t");
    default: break;
    }
    if (c < 0x100)
        return QStringLiteral("\\x%1").arg(uint(c), 2, 16, QLatin1Char('0'));
    return QStringLiteral("\\u%1").arg(uint(c), 4, 16, QLatin1Char('0'));
}

QString sanitized(const QString &text, bool keepLines)
{
    QString result;
    result.reserve(text.size());
    for (char32_t c : text.toUcs4()) {
        if (keepLines && (c == '\n' || c == '\t'))
            result += QChar(c);
        else if (needsEscape(c))
            result += escaped(c);
        else
            result += QString::fromUcs4(&c, 1);
    }
    return result;
}

bool isWide(char32_t c)
{
    return (c >= 0x1100 && c <= 0x115f) || (c >= 0x2e80 && c <= 0xa4cf && c != 0x303f)
           || (c >= 0xac00 && c <= 0xd7a3) || (c >= 0xf900 && c <= 0xfaff)
           || (c >= 0xfe30 && c <= 0xfe4f) || (c >= 0xff00 && c <= 0xff60)
           || (c >= 0xffe0 && c <= 0xffe6) || (c >= 0x1f300 && c <= 0x1f64f)
           || (c >= 0x1f900 && c <= 0x1f9ff) || (c >= 0x20000 && c <= 0x3fffd);
}

} // namespace

QString isoTime(EpochMs ms)
{
    return QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC).toString(Qt::ISODateWithMs);
}

QString shortTime(EpochMs ms)
{
    return QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC).toString(Qt::ISODate);
}

QString optionalTime(const std::optional<EpochMs> &ms)
{
    return ms ? shortTime(*ms) : QStringLiteral("-");
}

QString duration(qint64 seconds)
{
    if (seconds < 60)
        return QStringLiteral("%1s").arg(seconds);
    const qint64 minutes = seconds / 60, hours = minutes / 60, days = hours / 24;
    if (days > 0)
        return QStringLiteral("%1d %2h").arg(days).arg(hours % 24);
    if (hours > 0)
        return QStringLiteral("%1h %2m").arg(hours).arg(minutes % 60);
    return QStringLiteral("%1m %2s").arg(minutes).arg(seconds % 60);
}

QString thousands(qint64 number)
{
    QString digits = QString::number(number < 0 ? -number : number);
    for (qsizetype at = digits.size() - 3; at > 0; at -= 3)
        digits.insert(at, QLatin1Char(' '));
    return number < 0 ? QLatin1Char('-') + digits : digits;
}

QString bytesText(qint64 bytes)
{
    if (bytes < 1024)
        return QStringLiteral("%1 B").arg(bytes);
    if (bytes < 1024 * 1024)
        return QStringLiteral("%1 KiB").arg(double(bytes) / 1024.0, 0, 'f', 1);
    return QStringLiteral("%1 MiB").arg(double(bytes) / (1024.0 * 1024.0), 0, 'f', 1);
}

QString cellText(const QString &text)
{
    return sanitized(text, false);
}

QString blockText(const QString &text)
{
    return sanitized(text, true);
}

QString fieldLine(const QString &name, const QString &value)
{
    return QStringLiteral("  %1 %2").arg(name, -18).arg(cellText(value));
}

int displayWidth(const QString &text)
{
    int width = 0;
    for (char32_t c : text.toUcs4()) {
        const QChar::Category category = QChar::category(c);
        if (category == QChar::Mark_NonSpacing || category == QChar::Mark_Enclosing
            || category == QChar::Other_Format || c == 0)
            continue;
        width += isWide(c) ? 2 : 1;
    }
    return width;
}

} // namespace mc::cli
