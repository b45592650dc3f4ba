#include "audit_export_format.h"

#include "time_text.h"

#include <QFileInfo>
#include <QIODevice>
#include <QJsonDocument>
#include <QJsonObject>

namespace mc {

AuditExportFormat auditExportFormatFor(const QString &path)
{
    return QFileInfo(path).suffix().compare(QStringLiteral("json"), Qt::CaseInsensitive) == 0
               ? AuditExportFormat::Json
               : AuditExportFormat::Csv;
}

QByteArray csvField(const QString &text)
{
    QByteArray bytes = text.toUtf8();
    if (bytes.contains(',') || bytes.contains('"') || bytes.contains('\r')
        || bytes.contains('\n')) {
        bytes.replace("\"", "\"\"");
        return '"' + bytes + '"';
    }
    return bytes;
}

QStringList auditExportColumns()
{
    return {QStringLiteral("id"),           QStringLiteral("at_utc"),
            QStringLiteral("database_user"), QStringLiteral("os_user"),
            QStringLiteral("action"),       QStringLiteral("target"),
            QStringLiteral("before"),       QStringLiteral("after"),
            QStringLiteral("reason")};
}

AuditFileWriter::AuditFileWriter(QIODevice &device, AuditExportFormat format)
    : m_device(device), m_format(format)
{
}

bool AuditFileWriter::put(const QByteArray &bytes)
{
    return m_device.write(bytes) == bytes.size();
}

bool AuditFileWriter::begin()
{
    if (m_format == AuditExportFormat::Json)
        return put("[");
    QByteArray header;
    for (const QString &column : auditExportColumns())
        header += (header.isEmpty() ? "" : ",") + column.toUtf8();
    return put(header + "\r\n");
}

bool AuditFileWriter::write(const AuditEntry &entry)
{
    const QString at = utcTimeText(entry.at);
    ++m_written;
    if (m_format == AuditExportFormat::Json) {
        const QJsonObject object{
            {QStringLiteral("id"), entry.id},
            {QStringLiteral("at_utc"), at},
            {QStringLiteral("at_ms"), entry.at},
            {QStringLiteral("database_user"), entry.databaseUser},
            {QStringLiteral("os_user"), entry.osUser},
            {QStringLiteral("action"), entry.action},
            {QStringLiteral("target"), entry.target},
            {QStringLiteral("before"), entry.before},
            {QStringLiteral("after"), entry.after},
            {QStringLiteral("reason"), entry.reason},
        };
        return put((m_written == 1 ? "\n  " : ",\n  ")
                   + QJsonDocument(object).toJson(QJsonDocument::Compact));
    }
    const QList<QByteArray> fields{QByteArray::number(entry.id), at.toUtf8(),
                                   csvField(entry.databaseUser), csvField(entry.osUser),
                                   csvField(entry.action),       csvField(entry.target),
                                   csvField(entry.before),       csvField(entry.after),
                                   csvField(entry.reason)};
    return put(fields.join(',') + "\r\n");
}

bool AuditFileWriter::finish()
{
    if (m_format == AuditExportFormat::Json)
        return put(m_written ? "\n]\n" : "]\n");
    return true;
}

} // namespace mc
