#pragma once

// A strict RFC 8259 JSON scanner. Iterative, with an explicit stack, so any depth of nesting
// (a hundred thousand '[' and more) costs memory, never the call stack. It validates the text
// (including its UTF-8), reports the first error with its byte offset and a reason in words, and
// hands every token to a sink on the way: the pretty-printer and the highlighter are sinks.

#include <QByteArrayView>
#include <QString>

#include <atomic>

namespace mc::payload {

enum class JsonTokenKind : quint8 {
    BeginObject,
    EndObject,
    BeginArray,
    EndArray,
    NameSeparator,  // ':'
    ValueSeparator, // ','
    Key,            // a string in the name position, with its quotes
    String,         // with its quotes, escapes as written
    Number,
    True,
    False,
    Null,
};

struct JsonToken
{
    JsonTokenKind kind = JsonTokenKind::Null;
    qsizetype byteOffset = 0;
    qsizetype byteLength = 0;
    qsizetype textOffset = 0; // in UTF-16 units of the decoded text
    qsizetype textLength = 0;
};

class JsonTokenSink
{
public:
    virtual ~JsonTokenSink() = default;
    virtual void token(const JsonToken &token) = 0;
};

struct JsonError
{
    qsizetype byteOffset = -1; // where the text stops being JSON; the size for a premature end
    qsizetype textOffset = -1; // the same place in UTF-16 units of the decoded text
    QString reason;            // "unexpected ']'", "unterminated string", …

    bool isError() const { return byteOffset >= 0; }
};

struct JsonScanResult
{
    JsonError error;
    qsizetype maxDepth = 0;
    qsizetype tokens = 0;
    bool cancelled = false;

    bool isValid() const { return !error.isError() && !cancelled; }
};

// Scans `bytes` as one JSON text. A set `cancel` flag stops the scan soon (result.cancelled).
JsonScanResult scanJson(QByteArrayView bytes, JsonTokenSink *sink = nullptr,
                        const std::atomic_bool *cancel = nullptr);

} // namespace mc::payload
