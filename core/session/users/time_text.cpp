#include "time_text.h"

#include <QDateTime>


namespace mc {

QString localTimeText(EpochMs at)
{
    return QDateTime::fromMSecsSinceEpoch(at).toLocalTime().toString(
        QStringLiteral("yyyy-MM-dd HH:mm:ss"));
}

QString utcTimeText(EpochMs at)
{
    return QDateTime::fromMSecsSinceEpoch(at, Qt::UTC).toString(Qt::ISODateWithMs);
}

QString durationText(qint64 ms)
{
    if (ms < 0)
        return QLatin1Char('-') + durationText(-ms);
    if (ms < 1000)
        return QStringLiteral("%1 ms").arg(ms);
    const qint64 seconds = ms / 1000;
    const qint64 days = seconds / 86'400;
    const qint64 hours = seconds / 3600 % 24;
    const qint64 minutes = seconds / 60 % 60;
    const qint64 rest = seconds % 60;
    if (days > 0)
        return QStringLiteral("%1 d %2 h").arg(days).arg(hours);
    if (hours > 0)
        return QStringLiteral("%1 h %2 m").arg(hours).arg(minutes, 2, 10, QLatin1Char('0'));
    if (minutes > 0)
        return QStringLiteral("%1 m %2 s").arg(minutes).arg(rest);
    return QStringLiteral("%1 s").arg(rest);
}

} // namespace mc
