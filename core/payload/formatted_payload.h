#pragma once

// Everything the payload viewer shows, made in one go off the GUI thread: the classification,
// the Pretty and Raw texts cut into rows, the hex dump and the start of the JSON tree. Only
// cheap wrapping is left for the GUI thread.

#include "hex_rows.h"
#include "json_tree.h"
#include "payload_class.h"
#include "text_rows.h"

#include <QByteArray>
#include <QString>

#include <atomic>
#include <memory>

namespace mc::payload {

struct FormattedPayload
{
    PayloadClass classification;
    bool cancelled = false;
    // Pretty-printed valid JSON, or the text of invalid JSON with the error marked; null for
    // text and binary payloads.
    std::shared_ptr<const WrappedText> pretty;
    qsizetype prettyErrorPosition = -1; // where the error is in `pretty`'s text
    std::shared_ptr<const WrappedText> raw;  // the exact text; null when not UTF-8
    std::shared_ptr<const HexRows> hex;      // always
    std::shared_ptr<JsonTree> tree;          // valid JSON only, the root's first batch made
};

FormattedPayload formatPayload(const QByteArray &payload, const QString &contentType,
                               const std::atomic_bool *cancel = nullptr);

} // namespace mc::payload
