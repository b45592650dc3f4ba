#pragma once

// The value of one JSON string token, escapes resolved.

#include <QByteArrayView>
#include <QString>

namespace mc::payload {

// `token` is a valid JSON string with its quotes. A \u escape of a lone surrogate becomes U+FFFD.
QString decodeJsonString(QByteArrayView token);
// The same without the quotes; an escape cut off at the end is dropped (for previews of a part).
QString decodeJsonStringBody(QByteArrayView body);

// One line to show a string value in a list: control characters and line separators as their
// JSON escapes, at most `maxLength` characters, "…" when cut.
QString previewString(const QString &value, qsizetype maxLength);

} // namespace mc::payload
