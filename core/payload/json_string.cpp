#include "json_string.h"

#include "utf8_text.h"

namespace mc::payload {

namespace {

int hexValue(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    return c - 'A' + 10;
}

char16_t hex4(QByteArrayView token, qsizetype pos)
{
    int value = 0;
    for (int i = 0; i < 4; ++i)
        value = value * 16 + hexValue(token[pos + i]);
    return char16_t(value);
}

} // namespace

QString decodeJsonString(QByteArrayView token)
{
    if (token.size() < 2)
        return {};
    return decodeJsonStringBody(token.sliced(1, token.size() - 2));
}

QString decodeJsonStringBody(QByteArrayView body)
{
    if (!body.contains('\\'))
        return decodeUtf8(body);

    QString out;
    out.reserve(body.size());
    qsizetype runStart = 0;
    qsizetype pos = 0;
    auto flushRun = [&] { out += decodeUtf8(body.sliced(runStart, pos - runStart)); };
    while (pos < body.size()) {
        if (body[pos] != '\\') {
            ++pos;
            continue;
        }
        flushRun();
        if (pos + 1 >= body.size() || (body[pos + 1] == 'u' && pos + 5 >= body.size())) {
            pos = runStart = body.size(); // an escape cut off: drop it
            break;
        }
        const char e = body[pos + 1];
        switch (e) {
        case 'b': out += u'\b'; break;
        case 'f': out += u'\f'; break;
        case 'n': out += u'\n'; break;
        case 'r': out += u'\r'; break;
        case 't': out += u'\t'; break;
        case 'u': {
            const char16_t unit = hex4(body, pos + 2);
            if (QChar::isHighSurrogate(unit) && pos + 11 < body.size() && body[pos + 6] == '\\'
                && body[pos + 7] == 'u' && QChar::isLowSurrogate(hex4(body, pos + 8))) {
                out += QChar(unit);
                out += QChar(hex4(body, pos + 8));
                pos += 6;
            } else if (QChar::isSurrogate(unit)) {
                out += QChar(QChar::ReplacementCharacter);
            } else {
                out += QChar(unit);
            }
            pos += 4;
            break;
        }
        default: out += QLatin1Char(e); break; // '"', '\\', '/'
        }
        pos += 2;
        runStart = pos;
    }
    flushRun();
    return out;
}

QString previewString(const QString &value, qsizetype maxLength)
{
    QString out;
    out.reserve(qMin(value.size(), maxLength) + 8);
    for (const QChar c : value) {
        if (out.size() >= maxLength) {
            out += u'…';
            break;
        }
        switch (c.unicode()) {
        case '\n': out += QLatin1StringView("\\n"); break;
        case '\r': out += QLatin1StringView("\\r"); break;
        case '\t': out += QLatin1StringView("\\t"); break;
        default:
            if (c.unicode() < 0x20 || c.unicode() == 0x7F || c.unicode() == 0x2028
                || c.unicode() == 0x2029 || c.unicode() == 0x85) {
                out += QStringLiteral("\\u%1").arg(c.unicode(), 4, 16, QLatin1Char('0'));
            } else {
                out += c;
            }
        }
    }
    return out;
}

} // namespace mc::payload
