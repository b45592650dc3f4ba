#include "formatted_payload.h"

#include "json_format.h"
#include "json_tree_model.h"
#include "utf8_text.h"

namespace mc::payload {

namespace {

bool isCancelled(const std::atomic_bool *cancel)
{
    return cancel && cancel->load(std::memory_order_relaxed);
}

} // namespace

FormattedPayload formatPayload(const QByteArray &payload, const QString &contentType,
                               const std::atomic_bool *cancel)
{
    FormattedPayload out;
    out.hex = std::make_shared<HexRows>(payload);
    out.classification = classifyPayload(payload, contentType, cancel);
    const PayloadClass &cls = out.classification;
    out.cancelled = isCancelled(cancel);
    if (out.cancelled)
        return out;

    // Decoding keeps a leading BOM; ill-formed bytes (only shown in Pretty) become U+FFFD.
    const QString text = cls.kind == PayloadKind::Binary ? QString() : decodeUtf8(payload);
    if (cls.isUtf8() && cls.kind != PayloadKind::Binary)
        out.raw = std::make_shared<WrappedText>(text);

    if (cls.kind == PayloadKind::ValidJson) {
        auto pretty = prettyPrintJson(payload, cancel);
        if (!pretty) {
            out.cancelled = true;
            return out;
        }
        out.pretty = std::make_shared<WrappedText>(std::move(pretty->text), std::move(pretty->spans));
        auto tree = std::make_shared<JsonTree>(payload);
        JsonTree::adopt(tree->root(), tree->findChildren(tree->root(), JsonTreeModel::kBatch));
        out.tree = std::move(tree);
    } else if (cls.kind == PayloadKind::InvalidJson) {
        FormattedText marked = highlightInvalidJson(payload, text, cls.jsonError, cancel);
        out.prettyErrorPosition = qMin(cls.jsonError.textOffset, marked.text.size());
        out.pretty = std::make_shared<WrappedText>(std::move(marked.text), std::move(marked.spans));
    }
    out.cancelled = isCancelled(cancel);
    return out;
}

} // namespace mc::payload
