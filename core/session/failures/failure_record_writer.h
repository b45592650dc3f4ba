#pragma once

// Failed records written one at a time straight to a device, as CSV (RFC 4180: UTF-8, a header
// row, CRLF line ends, every text field quoted with inner quotes doubled) or as a JSON array of
// objects (written as it goes, never held whole). Both carry the same fields in the same order:
//
//   id, failed_at (ISO-8601 UTC), portal, user_id, model, record_id, phase, error_class,
//   message_excerpt | message, attempt, resolution, payload_size
//   and with details: backtrace, content_type, payload_encoding ("utf-8" or "base64"), payload
//
// Without details the message is the page's excerpt (first line, at most 200 characters), and the
// column says so by its name. With details it is the full message, and the payload is text when
// its bytes are valid UTF-8 without NUL, otherwise base64.

#include "failures.h"

#include <memory>

class QIODevice;

namespace mc {

enum class ExportFormat { Csv, Json };

class FailureRecordWriter
{
public:
    static std::unique_ptr<FailureRecordWriter> create(ExportFormat format, bool details,
                                                       QIODevice &out);
    virtual ~FailureRecordWriter() = default;

    // Each returns false when the device refused the bytes (disk full, closed, …).
    virtual bool begin() = 0;
    // `detail` is null without details, or when the record vanished before its detail was read
    // (its detail fields are then empty).
    virtual bool write(const FailureRow &row, const FailureDetail *detail) = 0;
    virtual bool end() = 0;

    QStringList columns() const;

protected:
    struct Field
    {
        QString name;
        bool isNumber = false;
        QString value; // numbers already in decimal
    };
    FailureRecordWriter(bool details, QIODevice &out) : m_details(details), m_out(out) {}
    QList<Field> fields(const FailureRow &row, const FailureDetail *detail) const;
    bool put(const QByteArray &bytes);

    bool m_details;
    QIODevice &m_out;
};

// A payload as text when its bytes are valid UTF-8 without NUL (they then come back exactly from
// the text's UTF-8), otherwise as base64.
struct PayloadText
{
    QString text;
    bool base64 = false;
};
PayloadText payloadText(const QByteArray &payload);

QString isoUtc(EpochMs ms); // 2025-11-24T16:00:00.000Z

} // namespace mc
