#pragma once

// Coloured stretches of a text the payload viewer shows: syntax, the error, search matches.
// Colours are the view's business; core only says what a stretch is.

#include <QtGlobal>

namespace mc::payload {

enum class SpanKind : quint8 {
    Punctuation,
    Key,
    String,
    Number,
    Literal,    // true, false, null
    Error,      // where the text stops being JSON
    AfterError, // the rest of the text, which the scanner did not read
    Offset,     // the offset column of a hex dump
    Control,    // a control character drawn as its picture
    Match,
    CurrentMatch,
};

// A stretch of a whole text (position in UTF-16 units).
struct TextSpan
{
    qsizetype start = 0;
    qint32 length = 0;
    SpanKind kind = SpanKind::Punctuation;
};

// A stretch of one row the view draws (column in UTF-16 units of the row's text).
struct RowSpan
{
    qsizetype column = 0;
    qsizetype length = 0;
    SpanKind kind = SpanKind::Punctuation;
};

struct SearchMatch
{
    qsizetype start = 0; // a text position, or a byte offset for a hex dump
    qsizetype length = 0;
};

} // namespace mc::payload
