#include "failure_record_writer.h"

#include <QDateTime>
#include <QIODevice>
#include <QStringDecoder>

namespace mc {

namespace {

QByteArray csvQuoted(const QString &text)
{
    QByteArray bytes = text.toUtf8();
    bytes.replace('"', QByteArrayLiteral("\"\""));
    return '"' + bytes + '"';
}

QByteArray jsonString(const QString &text)
{
    QString out;
    out.reserve(text.size() + 2);
    out += QLatin1Char('"');
    for (const QChar c : text) {
        const char16_t u = c.unicode();
        switch (u) {
        case u'"': out += QLatin1String("\\\""); break;
        case u'\\': out += QLatin1String("\\\\"); break;
        case u'\n': out += QLatin1String("\\n"); break;
        case u'\r': out += QLatin1String("\\r"); break;
        case u'\t': out += QLatin1String("\\t"); break;
        default:
            // Control characters must be escaped. A byte-order mark is escaped too: some parsers
            // (Qt's among them) drop one at the start of a string. U+2028/U+2029 likewise, for
            // JavaScript readers.
            if (u < 0x20 || u == 0xFEFF || u == 0x2028 || u == 0x2029)
                out += QStringLiteral("\\u%1").arg(uint(u), 4, 16, QLatin1Char('0'));
            else
                out += c; // everything else as UTF-8: JSON text is UTF-8
        }
    }
    out += QLatin1Char('"');
    return out.toUtf8();
}

class CsvWriter : public FailureRecordWriter
{
public:
    CsvWriter(bool details, QIODevice &out) : FailureRecordWriter(details, out) {}

    bool begin() override
    {
        QByteArray line;
        for (const QString &name : columns())
            line += (line.isEmpty() ? "" : ",") + name.toUtf8();
        return put(line + "\r\n");
    }

    bool write(const FailureRow &row, const FailureDetail *detail) override
    {
        QByteArray line;
        bool first = true;
        for (const Field &field : fields(row, detail)) {
            if (!first)
                line += ',';
            first = false;
            line += field.isNumber ? field.value.toUtf8() : csvQuoted(field.value);
        }
        return put(line + "\r\n");
    }

    bool end() override { return true; }
};

class JsonWriter : public FailureRecordWriter
{
public:
    JsonWriter(bool details, QIODevice &out) : FailureRecordWriter(details, out) {}

    bool begin() override { return put("["); }

    bool write(const FailureRow &row, const FailureDetail *detail) override
    {
        QByteArray object = m_first ? "\n{" : ",\n{";
        m_first = false;
        bool firstField = true;
        for (const Field &field : fields(row, detail)) {
            if (!firstField)
                object += ',';
            firstField = false;
            object += jsonString(field.name) + ':'
                + (field.isNumber ? field.value.toUtf8() : jsonString(field.value));
        }
        return put(object + '}');
    }

    bool end() override { return put("\n]\n"); }

private:
    bool m_first = true;
};

} // namespace

std::unique_ptr<FailureRecordWriter> FailureRecordWriter::create(ExportFormat format,
                                                                 bool details, QIODevice &out)
{
    if (format == ExportFormat::Json)
        return std::make_unique<JsonWriter>(details, out);
    return std::make_unique<CsvWriter>(details, out);
}

QStringList FailureRecordWriter::columns() const
{
    QStringList names;
    for (const Field &field : fields(FailureRow{}, nullptr))
        names << field.name;
    return names;
}

QList<FailureRecordWriter::Field> FailureRecordWriter::fields(const FailureRow &row,
                                                              const FailureDetail *detail) const
{
    auto number = [](const QString &name, qint64 value) {
        return Field{name, true, QString::number(value)};
    };
    auto text = [](const QString &name, const QString &value) {
        return Field{name, false, value};
    };
    QList<Field> fields{
        number(QStringLiteral("id"), row.id),
        text(QStringLiteral("failed_at"), isoUtc(row.failedAt)),
        text(QStringLiteral("portal"), row.user.portal),
        number(QStringLiteral("user_id"), row.user.userId),
        text(QStringLiteral("model"), row.model),
        text(QStringLiteral("record_id"), row.recordId),
        text(QStringLiteral("phase"), row.phase),
        text(QStringLiteral("error_class"), row.errorClass),
        m_details ? text(QStringLiteral("message"), detail ? detail->message : row.messageExcerpt)
                  : text(QStringLiteral("message_excerpt"), row.messageExcerpt),
        number(QStringLiteral("attempt"), row.attempt),
        text(QStringLiteral("resolution"), row.resolution),
        number(QStringLiteral("payload_size"), row.payloadSize),
    };
    if (m_details) {
        PayloadText payload;
        if (detail)
            payload = payloadText(detail->payload);
        fields << text(QStringLiteral("backtrace"), detail ? detail->backtrace : QString())
               << text(QStringLiteral("content_type"), detail ? detail->contentType : QString())
               << text(QStringLiteral("payload_encoding"),
                       !detail            ? QString()
                           : payload.base64 ? QStringLiteral("base64")
                                            : QStringLiteral("utf-8"))
               << text(QStringLiteral("payload"), payload.text);
    }
    return fields;
}

bool FailureRecordWriter::put(const QByteArray &bytes)
{
    return m_out.write(bytes) == bytes.size();
}

PayloadText payloadText(const QByteArray &payload)
{
    if (!payload.contains('\0')) {
        // Keep a leading byte-order mark as a character: the text must give back every byte.
        QStringDecoder decode(QStringDecoder::Utf8, QStringDecoder::Flag::ConvertInitialBom);
        QString text = decode(payload);
        if (!decode.hasError() && text.toUtf8() == payload)
            return {text, false};
    }
    return {QString::fromLatin1(payload.toBase64()), true};
}

QString isoUtc(EpochMs ms)
{
    return QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC).toString(Qt::ISODateWithMs);
}

} // namespace mc
