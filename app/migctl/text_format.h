#pragma once

// Text for people: times, durations, and strings from the database made safe for a terminal.

#include "domain.h"

#include <QString>

namespace mc::cli {

QString isoTime(EpochMs ms);        // 2026-11-24T10:00:00.123Z, for JSON
QString shortTime(EpochMs ms);      // 2026-11-24T10:00:00Z, for tables
QString optionalTime(const std::optional<EpochMs> &ms); // shortTime or "-"
QString duration(qint64 seconds);   // "2h 13m", "45s", "3d 4h"
QString thousands(qint64 number);   // 1 234 567
QString bytesText(qint64 bytes);    // "512 B", "1.4 KiB", "3.0 MiB"

// One table cell: control characters (newlines, ESC, …) and bidirectional overrides shown as
// escapes, so a hostile string cannot move the cursor, recolour or reorder the terminal.
QString cellText(const QString &text);
// A block of lines (a message, a backtrace): newlines and tabs kept, other controls escaped.
QString blockText(const QString &text);

// "  name           value" for detail views: the value terminal-safe.
QString fieldLine(const QString &name, const QString &value);

// How many terminal columns a string takes (combining marks 0, East Asian wide 2).
int displayWidth(const QString &text);

} // namespace mc::cli
