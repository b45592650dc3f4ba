#pragma once

// A strict RFC 4180 reader for the tests: records end with CRLF, fields may be quoted, quotes
// inside quoted fields are doubled, quoted fields may hold commas, CR and LF. Independent of the
// writer under test, so an export is checked by reading it back.

#include <QByteArray>
#include <QList>
#include <QStringList>

namespace mc::test {

// The records of a CSV document; sets *error (and returns what it read) when it is malformed.
QList<QStringList> readCsv(const QByteArray &utf8, QString *error);

} // namespace mc::test
