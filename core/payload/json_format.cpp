#include "json_format.h"

namespace mc::payload {

namespace {

std::optional<SpanKind> spanKindOf(JsonTokenKind kind)
{
    switch (kind) {
    case JsonTokenKind::Key: return SpanKind::Key;
    case JsonTokenKind::String: return SpanKind::String;
    case JsonTokenKind::Number: return SpanKind::Number;
    case JsonTokenKind::True:
    case JsonTokenKind::False:
    case JsonTokenKind::Null: return SpanKind::Literal;
    default: return std::nullopt; // punctuation keeps the text colour
    }
}

class PrettySink final : public JsonTokenSink
{
public:
    PrettySink(QByteArrayView source, FormattedText &out)
        : m_source(source), m_out(out), m_indent(kMaxIndentDepth * 2, u' ')
    {
    }

    void token(const JsonToken &t) override
    {
        QString &text = m_out.text;
        if (m_pendingOpen) {
            m_pendingOpen = false;
            if (t.kind == JsonTokenKind::EndObject || t.kind == JsonTokenKind::EndArray) {
                --m_depth;
                text += t.kind == JsonTokenKind::EndObject ? u'}' : u']';
                return;
            }
            newline();
        }
        switch (t.kind) {
        case JsonTokenKind::BeginObject:
        case JsonTokenKind::BeginArray:
            text += t.kind == JsonTokenKind::BeginObject ? u'{' : u'[';
            ++m_depth;
            m_pendingOpen = true;
            break;
        case JsonTokenKind::EndObject:
        case JsonTokenKind::EndArray:
            --m_depth;
            newline();
            text += t.kind == JsonTokenKind::EndObject ? u'}' : u']';
            break;
        case JsonTokenKind::NameSeparator:
            text += QLatin1StringView(": ");
            break;
        case JsonTokenKind::ValueSeparator:
            text += u',';
            newline();
            break;
        default: {
            const qsizetype start = text.size();
            const QByteArrayView source = m_source.sliced(t.byteOffset, t.byteLength);
            if (t.textLength == t.byteLength) // all ASCII
                text += QLatin1StringView(source.data(), source.size());
            else
                text += QString::fromUtf8(source);
            if (const auto kind = spanKindOf(t.kind))
                m_out.spans.push_back({start, qint32(text.size() - start), *kind});
        }
        }
    }

private:
    void newline()
    {
        m_out.text += u'\n';
        m_out.text += QStringView(m_indent).first(qMin(m_depth, kMaxIndentDepth) * 2);
    }

    QByteArrayView m_source;
    FormattedText &m_out;
    QString m_indent;
    int m_depth = 0;
    bool m_pendingOpen = false;
};

class SpanSink final : public JsonTokenSink
{
public:
    explicit SpanSink(std::vector<TextSpan> &spans) : m_spans(spans) {}

    void token(const JsonToken &t) override
    {
        if (const auto kind = spanKindOf(t.kind))
            m_spans.push_back({t.textOffset, qint32(t.textLength), *kind});
    }

private:
    std::vector<TextSpan> &m_spans;
};

} // namespace

std::optional<FormattedText> prettyPrintJson(QByteArrayView json, const std::atomic_bool *cancel)
{
    FormattedText out;
    out.text.reserve(json.size() + json.size() / 2 + 16);
    PrettySink sink(json, out);
    if (!scanJson(json, &sink, cancel).isValid())
        return std::nullopt;
    out.text.squeeze();
    return out;
}

FormattedText highlightInvalidJson(QByteArrayView bytes, const QString &text,
                                   const JsonError &error, const std::atomic_bool *cancel)
{
    FormattedText out;
    out.text = text;
    SpanSink sink(out.spans);
    scanJson(bytes, &sink, cancel);
    if (!error.isError())
        return out;
    const qsizetype at = qMin(error.textOffset, text.size());
    // Tokens end before the error; keep the spans sorted and apart all the same.
    while (!out.spans.empty() && out.spans.back().start + out.spans.back().length > at)
        out.spans.pop_back();
    if (at < text.size()) {
        const qint32 length = text.at(at).isHighSurrogate() && at + 1 < text.size() ? 2 : 1;
        out.spans.push_back({at, length, SpanKind::Error});
        if (at + length < text.size())
            out.spans.push_back(
                {at + length, qint32(qMin<qsizetype>(text.size() - at - length, INT_MAX)),
                 SpanKind::AfterError});
    }
    return out;
}

} // namespace mc::payload
