#pragma once

// Numbers as the Controls view and its notices write them, in the user's locale.

#include <QString>
#include <QtGlobal>

namespace mc {

QString countText(qint64 count);         // "12,345" (grouped by the locale)
QString percentText(int basisPoints);    // 1234 → "12.34 %"
QString rateText(double fraction);       // 0.0251 → "2.5 %"

} // namespace mc
