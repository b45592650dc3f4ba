#pragma once

// Text for the payload viewer's Pretty tab: valid JSON pretty-printed with two spaces of indent,
// or any text as it is with the tokens the scanner read before the error, and the error marked.

#include "json_scanner.h"
#include "text_span.h"

#include <QString>

#include <atomic>
#include <optional>
#include <vector>

namespace mc::payload {

struct FormattedText
{
    QString text;
    std::vector<TextSpan> spans; // sorted by start, not overlapping
};

// Indentation stops growing at this depth, so a deeply nested document cannot blow up its text
// quadratically. Deeper levels are still on lines of their own.
inline constexpr int kMaxIndentDepth = 64;

// `json` pretty-printed; tokens are kept as written (escapes, number forms). Nothing when `json`
// is not valid JSON or the work was cancelled.
std::optional<FormattedText> prettyPrintJson(QByteArrayView json,
                                             const std::atomic_bool *cancel = nullptr);

// `text` (the bytes decoded) as it is, with spans for the tokens before `error`, the error
// position and what follows it.
FormattedText highlightInvalidJson(QByteArrayView bytes, const QString &text,
                                   const JsonError &error, const std::atomic_bool *cancel = nullptr);

} // namespace mc::payload
