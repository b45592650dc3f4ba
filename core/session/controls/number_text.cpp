#include "number_text.h"

#include <QLocale>

namespace mc {

QString countText(qint64 count)
{
    return QLocale().toString(count);
}

QString percentText(int basisPoints)
{
    return QStringLiteral("%1 %").arg(QLocale().toString(basisPoints / 100.0, 'f', 2));
}

QString rateText(double fraction)
{
    return QStringLiteral("%1 %").arg(QLocale().toString(fraction * 100.0, 'f', 1));
}

} // namespace mc
