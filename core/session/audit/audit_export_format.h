#pragma once

// Audit entries as files: CSV (RFC 4180: CRLF line ends, fields quoted when they hold a comma,
// quote, CR or LF, quotes doubled) or a JSON array of objects, both UTF-8 without a byte order
// mark. Every field is written exactly as stored, so what is exported reads back the same.

#include "operations.h"

#include <QByteArray>

class QIODevice;

namespace mc {

enum class AuditExportFormat { Csv, Json };

// "csv" or "json" by the file name's suffix; CSV when it has neither.
AuditExportFormat auditExportFormatFor(const QString &path);

QByteArray csvField(const QString &text);
QStringList auditExportColumns(); // id, at_utc, database_user, os_user, action, target, …

// Writes one file entry by entry: begin(), write() for each entry, finish().
class AuditFileWriter
{
public:
    AuditFileWriter(QIODevice &device, AuditExportFormat format);

    bool begin();
    bool write(const AuditEntry &entry);
    bool finish();

private:
    bool put(const QByteArray &bytes);

    QIODevice &m_device;
    AuditExportFormat m_format;
    qint64 m_written = 0;
};

} // namespace mc
