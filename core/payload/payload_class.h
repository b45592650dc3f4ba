#pragma once

// What a failed record's payload is: valid JSON, invalid JSON (where and why), text, or binary.

#include "json_scanner.h"

#include <QByteArrayView>
#include <QString>

namespace mc::payload {

enum class PayloadKind {
    ValidJson,
    InvalidJson, // JSON was expected (by the content type) but the bytes are not
    Text,        // UTF-8 text of another content type
    Binary,      // not UTF-8, or with NUL bytes, and not expected to be JSON
};

struct PayloadClass
{
    PayloadKind kind = PayloadKind::Text;
    qsizetype size = 0;
    qsizetype invalidUtf8At = -1; // the first byte that is not UTF-8, -1 when all are
    qsizetype nulAt = -1;         // the first NUL byte, -1 when there is none
    JsonError jsonError;          // for InvalidJson
    qsizetype jsonDepth = 0;      // deepest nesting, for valid JSON

    bool isUtf8() const { return invalidUtf8At < 0; }
    // Whether the bytes read as text (UTF-8 without NUL) or are better shown as hex.
    bool isTextual() const { return isUtf8() && nulAt < 0; }
    // "valid JSON", "invalid JSON at byte 1234: unexpected ']'", "binary / not UTF-8", "text".
    QString summary() const;
};

// True for application/json, text/json, application/problem+json, … (parameters ignored).
bool isJsonContentType(const QString &contentType);

// JSON is expected when the content type says so or says nothing; any payload that is valid JSON
// counts as JSON. A set `cancel` stops early with an unfinished answer.
PayloadClass classifyPayload(QByteArrayView payload, const QString &contentType,
                             const std::atomic_bool *cancel = nullptr);

} // namespace mc::payload
