#include "json_scanner.h"

#include "utf8_text.h"

#include <QList>

#include <vector>

namespace mc::payload {

namespace {

enum class Expect : quint8 {
    Value,           // a value (top level, after ':' or after ',' in an array)
    ValueOrEndArray, // right after '['
    KeyOrEndObject,  // right after '{'
    Key,             // after ',' in an object
    NameSeparator,   // after a key
    AfterValue,      // ',' or the end of the enclosing container, or the end of the text
};

bool isDigit(char c)
{
    return c >= '0' && c <= '9';
}

bool isHexDigit(char c)
{
    return isDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

QString codePoint(uint c)
{
    return QStringLiteral("U+%1").arg(QString::number(c, 16).toUpper().rightJustified(4, u'0'));
}

bool isWhitespace(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

class Scanner
{
public:
    Scanner(QByteArrayView bytes, JsonTokenSink *sink, const std::atomic_bool *cancel)
        : m_bytes(bytes), m_size(bytes.size()), m_sink(sink), m_cancel(cancel)
    {
    }

    JsonScanResult run();

private:
    // Each returns false after recording an error.
    bool value(char c);
    bool string(JsonTokenKind kind);
    bool number();
    bool literal(const char *word, JsonTokenKind kind);

    void open(JsonTokenKind kind);
    void close(JsonTokenKind kind);
    void pushToken(JsonTokenKind kind, qsizetype byteStart, qsizetype textStart);
    void punctuation(JsonTokenKind kind);
    bool fail(qsizetype byteOffset, qsizetype textOffset, const QString &reason);
    bool failHere(const QString &reason) { return fail(m_pos, m_text, reason); }
    bool unexpected(const QString &context = {});
    QString describeAt(qsizetype pos) const;

    QByteArrayView m_bytes;
    qsizetype m_size;
    JsonTokenSink *m_sink;
    const std::atomic_bool *m_cancel;

    qsizetype m_pos = 0;  // byte offset
    qsizetype m_text = 0; // UTF-16 offset
    std::vector<qsizetype> m_open; // byte offsets of the '{' and '[' not closed yet
    JsonScanResult m_result;
};

JsonScanResult Scanner::run()
{
    Expect expect = Expect::Value;
    if (m_size >= 3 && m_bytes.first(3) == "\xEF\xBB\xBF") {
        fail(0, 0, QStringLiteral("byte order mark (U+FEFF) before the JSON text"));
        return m_result;
    }
    for (;;) {
        while (m_pos < m_size && isWhitespace(m_bytes[m_pos])) {
            ++m_pos;
            ++m_text;
        }
        if (m_cancel && (m_result.tokens & 0xFFF) == 0 && m_cancel->load(std::memory_order_relaxed)) {
            m_result.cancelled = true;
            return m_result;
        }
        if (m_pos == m_size) {
            if (expect == Expect::AfterValue && m_open.empty())
                return m_result;
            if (m_size == 0 || (expect == Expect::Value && m_open.empty())) {
                failHere(m_size == 0 ? QStringLiteral("the payload is empty")
                                     : QStringLiteral("no JSON value, only whitespace"));
                return m_result;
            }
            const qsizetype opened = m_open.back();
            failHere(QStringLiteral("unexpected end: '%1' opened at byte %2 is not closed")
                         .arg(QLatin1Char(m_bytes[opened]))
                         .arg(opened));
            return m_result;
        }
        const char c = m_bytes[m_pos];
        bool ok = true;
        switch (expect) {
        case Expect::ValueOrEndArray:
            if (c == ']') {
                close(JsonTokenKind::EndArray);
                expect = Expect::AfterValue;
                break;
            }
            [[fallthrough]];
        case Expect::Value:
            ok = value(c);
            if (c == '{')
                expect = Expect::KeyOrEndObject;
            else if (c == '[')
                expect = Expect::ValueOrEndArray;
            else
                expect = Expect::AfterValue;
            break;
        case Expect::KeyOrEndObject:
            if (c == '}') {
                close(JsonTokenKind::EndObject);
                expect = Expect::AfterValue;
                break;
            }
            [[fallthrough]];
        case Expect::Key:
            if (c == '"')
                ok = string(JsonTokenKind::Key);
            else
                ok = unexpected(QStringLiteral("a key in double quotes"));
            expect = Expect::NameSeparator;
            break;
        case Expect::NameSeparator:
            if (c == ':')
                punctuation(JsonTokenKind::NameSeparator);
            else
                ok = unexpected(QStringLiteral("':' after the key"));
            expect = Expect::Value;
            break;
        case Expect::AfterValue:
            if (m_open.empty()) {
                ok = failHere(QStringLiteral("unexpected %1 after the end of the JSON value")
                                  .arg(describeAt(m_pos)));
            } else if (m_bytes[m_open.back()] == '[') {
                if (c == ',') {
                    punctuation(JsonTokenKind::ValueSeparator);
                    expect = Expect::Value;
                } else if (c == ']') {
                    close(JsonTokenKind::EndArray);
                } else {
                    ok = unexpected(QStringLiteral("',' or ']'"));
                }
            } else {
                if (c == ',') {
                    punctuation(JsonTokenKind::ValueSeparator);
                    expect = Expect::Key;
                } else if (c == '}') {
                    close(JsonTokenKind::EndObject);
                } else {
                    ok = unexpected(QStringLiteral("',' or '}'"));
                }
            }
            break;
        }
        if (!ok)
            return m_result;
    }
}

bool Scanner::value(char c)
{
    switch (c) {
    case '{':
        open(JsonTokenKind::BeginObject);
        return true;
    case '[':
        open(JsonTokenKind::BeginArray);
        return true;
    case '"':
        return string(JsonTokenKind::String);
    case 't':
        return literal("true", JsonTokenKind::True);
    case 'f':
        return literal("false", JsonTokenKind::False);
    case 'n':
        return literal("null", JsonTokenKind::Null);
    default:
        if (c == '-' || isDigit(c))
            return number();
        return unexpected();
    }
}

bool Scanner::string(JsonTokenKind kind)
{
    const qsizetype byteStart = m_pos;
    const qsizetype textStart = m_text;
    ++m_pos;
    ++m_text;
    for (;;) {
        if (m_pos >= m_size)
            return failHere(QStringLiteral("unexpected end: string opened at byte %1 is not closed")
                                .arg(byteStart));
        const auto c = static_cast<uchar>(m_bytes[m_pos]);
        if (c == '"') {
            ++m_pos;
            ++m_text;
            break;
        }
        if (c == '\\') {
            if (m_pos + 1 >= m_size)
                return failHere(QStringLiteral("unexpected end in an escape sequence"));
            const char e = m_bytes[m_pos + 1];
            if (e == 'u') {
                for (int i = 2; i < 6; ++i) {
                    if (m_pos + i >= m_size || !isHexDigit(m_bytes[m_pos + i]))
                        return fail(m_pos + i, m_text + i,
                                    QStringLiteral("\\u must be followed by 4 hex digits"));
                }
                m_pos += 6;
                m_text += 6;
                continue;
            }
            if (e != '"' && e != '\\' && e != '/' && e != 'b' && e != 'f' && e != 'n' && e != 'r'
                && e != 't') {
                return fail(m_pos + 1, m_text + 1,
                            QStringLiteral("invalid escape: '\\' followed by %1")
                                .arg(describeAt(m_pos + 1)));
            }
            m_pos += 2;
            m_text += 2;
            continue;
        }
        if (c < 0x20)
            return failHere(QStringLiteral("control character %1 in a string (must be escaped)")
                                .arg(codePoint(c)));
        if (c < 0x80) {
            ++m_pos;
            ++m_text;
            continue;
        }
        const int length = utf8SequenceLength(m_bytes, m_pos);
        if (length == 0)
            return failHere(QStringLiteral("invalid UTF-8 byte 0x%1 in a string")
                                .arg(c, 2, 16, QLatin1Char('0')));
        m_pos += length;
        m_text += length == 4 ? 2 : 1;
    }
    pushToken(kind, byteStart, textStart);
    return true;
}

bool Scanner::number()
{
    const qsizetype byteStart = m_pos;
    const qsizetype textStart = m_text;
    auto advance = [this] {
        ++m_pos;
        ++m_text;
    };
    auto digits = [this, &advance] {
        while (m_pos < m_size && isDigit(m_bytes[m_pos]))
            advance();
    };
    auto needDigit = [this](const char *after) {
        return m_pos < m_size && isDigit(m_bytes[m_pos])
                   ? true
                   : failHere(QStringLiteral("invalid number: a digit must follow %1, not %2")
                                  .arg(QLatin1StringView(after),
                                       m_pos < m_size ? describeAt(m_pos)
                                                      : QStringLiteral("the end")));
    };
    if (m_bytes[m_pos] == '-') {
        advance();
        if (!needDigit("'-'"))
            return false;
    }
    if (m_bytes[m_pos] == '0') {
        advance();
        if (m_pos < m_size && isDigit(m_bytes[m_pos]))
            return failHere(QStringLiteral("invalid number: no leading zeros"));
    } else {
        digits();
    }
    if (m_pos < m_size && m_bytes[m_pos] == '.') {
        advance();
        if (!needDigit("'.'"))
            return false;
        digits();
    }
    if (m_pos < m_size && (m_bytes[m_pos] == 'e' || m_bytes[m_pos] == 'E')) {
        advance();
        if (m_pos < m_size && (m_bytes[m_pos] == '+' || m_bytes[m_pos] == '-'))
            advance();
        if (!needDigit("the exponent's 'e'"))
            return false;
        digits();
    }
    pushToken(JsonTokenKind::Number, byteStart, textStart);
    return true;
}

bool Scanner::literal(const char *word, JsonTokenKind kind)
{
    const qsizetype byteStart = m_pos;
    const qsizetype textStart = m_text;
    const QLatin1StringView expected(word);
    for (qsizetype i = 0; i < expected.size(); ++i) {
        if (m_pos >= m_size)
            return failHere(QStringLiteral("unexpected end in '%1'").arg(expected));
        if (m_bytes[m_pos] != word[i]) {
            if (i == 0)
                return unexpected();
            return failHere(QStringLiteral("%1 in '%2'").arg(describeAt(m_pos), expected));
        }
        ++m_pos;
        ++m_text;
    }
    pushToken(kind, byteStart, textStart);
    return true;
}

void Scanner::open(JsonTokenKind kind)
{
    m_open.push_back(m_pos);
    if (qsizetype(m_open.size()) > m_result.maxDepth)
        m_result.maxDepth = qsizetype(m_open.size());
    punctuation(kind);
}

void Scanner::close(JsonTokenKind kind)
{
    m_open.pop_back();
    punctuation(kind);
}

void Scanner::punctuation(JsonTokenKind kind)
{
    const qsizetype byteStart = m_pos;
    const qsizetype textStart = m_text;
    ++m_pos;
    ++m_text;
    pushToken(kind, byteStart, textStart);
}

void Scanner::pushToken(JsonTokenKind kind, qsizetype byteStart, qsizetype textStart)
{
    ++m_result.tokens;
    if (m_sink)
        m_sink->token({kind, byteStart, m_pos - byteStart, textStart, m_text - textStart});
}

bool Scanner::fail(qsizetype byteOffset, qsizetype textOffset, const QString &reason)
{
    m_result.error = {byteOffset, textOffset, reason};
    return false;
}

bool Scanner::unexpected(const QString &expected)
{
    const QString what = QStringLiteral("unexpected %1").arg(describeAt(m_pos));
    return failHere(expected.isEmpty() ? what : QStringLiteral("%1, expected %2").arg(what, expected));
}

QString Scanner::describeAt(qsizetype pos) const
{
    const auto c = static_cast<uchar>(m_bytes[pos]);
    if (c >= 0x21 && c < 0x7F)
        return QStringLiteral("'%1'").arg(QLatin1Char(char(c)));
    if (c == ' ')
        return QStringLiteral("space");
    if (c < 0x20 || c == 0x7F)
        return QStringLiteral("control character %1").arg(codePoint(c));
    const int length = utf8SequenceLength(m_bytes, pos);
    if (length == 0)
        return QStringLiteral("byte 0x%1 (not UTF-8)").arg(c, 2, 16, QLatin1Char('0'));
    const QString character = QString::fromUtf8(m_bytes.sliced(pos, length));
    return QStringLiteral("'%1' (%2)").arg(character, codePoint(character.toUcs4().value(0)));
}

} // namespace

JsonScanResult scanJson(QByteArrayView bytes, JsonTokenSink *sink, const std::atomic_bool *cancel)
{
    return Scanner(bytes, sink, cancel).run();
}

} // namespace mc::payload
