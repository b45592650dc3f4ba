#include "csv_reader.h"

#include <QStringDecoder>

namespace mc::test {

QList<QStringList> readCsv(const QByteArray &utf8, QString *error)
{
    QStringDecoder decode(QStringDecoder::Utf8, QStringDecoder::Flag::ConvertInitialBom);
    const QString text = decode(utf8);
    if (decode.hasError()) {
        *error = QStringLiteral("not UTF-8");
        return {};
    }
    QList<QStringList> records;
    QStringList record;
    QString field;
    bool quoted = false;     // inside a quoted field
    bool wasQuoted = false;  // the current field was quoted (nothing may follow its end quote)
    qsizetype i = 0;
    const auto fail = [&](const QString &why) {
        *error = QStringLiteral("%1 at character %2").arg(why).arg(i);
        return records;
    };
    while (i < text.size()) {
        const QChar c = text.at(i);
        if (quoted) {
            if (c == QLatin1Char('"')) {
                if (i + 1 < text.size() && text.at(i + 1) == QLatin1Char('"')) {
                    field += QLatin1Char('"');
                    i += 2;
                    continue;
                }
                quoted = false;
                wasQuoted = true;
            } else {
                field += c;
            }
            ++i;
            continue;
        }
        if (c == QLatin1Char('"')) {
            if (!field.isEmpty() || wasQuoted)
                return fail(QStringLiteral("a quote inside an unquoted field"));
            quoted = true;
        } else if (c == QLatin1Char(',')) {
            record << field;
            field.clear();
            wasQuoted = false;
        } else if (c == QLatin1Char('\r')) {
            if (i + 1 >= text.size() || text.at(i + 1) != QLatin1Char('\n'))
                return fail(QStringLiteral("a CR without LF outside quotes"));
            record << field;
            records << record;
            record.clear();
            field.clear();
            wasQuoted = false;
            ++i;
        } else if (c == QLatin1Char('\n')) {
            return fail(QStringLiteral("an LF without CR outside quotes"));
        } else {
            if (wasQuoted)
                return fail(QStringLiteral("text after a closing quote"));
            field += c;
        }
        ++i;
    }
    if (quoted)
        return fail(QStringLiteral("an unterminated quoted field"));
    if (!field.isEmpty() || !record.isEmpty() || wasQuoted)
        return fail(QStringLiteral("a last record without CRLF"));
    return records;
}

} // namespace mc::test
