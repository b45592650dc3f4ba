#pragma once

// Times and durations as the support views show them: local time to read, UTC to quote.

#include "domain.h"

namespace mc {

QString localTimeText(EpochMs at); // "2025-11-24 17:00:00" in the local time zone
QString utcTimeText(EpochMs at);   // "2025-11-24T16:00:00.000Z"
QString durationText(qint64 ms);   // "2 d 3 h", "2 h 05 m", "4 m 10 s", "35 s", "850 ms"

} // namespace mc
