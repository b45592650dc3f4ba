#pragma once

// UTF-8 as RFC 3629 defines it: no overlong forms, no surrogates, nothing above U+10FFFF.

#include <QByteArrayView>
#include <QString>

namespace mc::payload {

// Length (1–4) of the well-formed UTF-8 sequence at bytes[pos], or 0 when it is not well formed.
int utf8SequenceLength(QByteArrayView bytes, qsizetype pos);

// Offset of the first byte that does not start a well-formed sequence; -1 when there is none.
qsizetype firstInvalidUtf8(QByteArrayView bytes);

// The bytes as text, exactly: a leading U+FEFF is kept (QString::fromUtf8 would drop it).
// Ill-formed sequences become U+FFFD.
QString decodeUtf8(QByteArrayView bytes);

} // namespace mc::payload
