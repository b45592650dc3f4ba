#pragma once

// Turning flag values into domain values, exactly, or a usage error that names the flag.

#include "domain.h"

#include <QIODevice>
#include <vector>

namespace mc::cli {

// "12.34" → 1234. At most two decimals, 0 … 100; no floating point involved.
int parseBasisPoints(const QString &text);
// 1234 → "12.34"
QString percentText(int basisPoints);

// ISO-8601 ("2026-11-24T10:00:00Z", an offset, or no zone for UTC; a date alone is midnight UTC)
// or relative to now: "15m", "2h", "7d", "30s" ago.
EpochMs parseTime(const QString &flag, const QString &text, EpochMs now);

// "lt:12345": a portal code (no spaces or colons) and a decimal user id.
std::optional<UserKey> parseUserKey(const QString &text);
UserKey requireUserKey(const QString &text);

// A duration for --flag: "90s", "5m", "2h", "1d", or plain milliseconds ("1500"); at most 7 days.
qint64 parseDurationMs(const QString &flag, const QString &text);

// A whole number in [min, max] for --flag.
qint64 parseNumber(const QString &flag, const QString &text, qint64 min, qint64 max);

// One PORTAL:USER_ID per line; blank lines and lines starting with '#' skipped. `source` names
// the file in errors; a bad line is a usage error naming its number.
std::vector<UserKey> readUserKeys(QIODevice &device, const QString &source);
// The same from a path, "-" meaning stdin.
std::vector<UserKey> readUserKeysFrom(const QString &path);

} // namespace mc::cli
