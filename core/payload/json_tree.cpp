#include "json_tree.h"

#include "json_string.h"
#include "utf8_text.h"

namespace mc::payload {

namespace {

bool isWhitespace(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

qsizetype skipWhitespace(const QByteArray &b, qsizetype pos)
{
    while (pos < b.size() && isWhitespace(b[pos]))
        ++pos;
    return pos;
}

// `pos` at the opening quote; returns the offset after the closing quote.
qsizetype skipString(const QByteArray &b, qsizetype pos)
{
    const char *data = b.constData();
    const qsizetype size = b.size();
    ++pos;
    while (pos < size) {
        const char c = data[pos];
        if (c == '"')
            return pos + 1;
        pos += c == '\\' ? 2 : 1;
    }
    return size;
}

// `pos` at a value; returns its end, and for a container the number of its direct children.
qsizetype skipValue(const QByteArray &b, qsizetype pos, qsizetype &children)
{
    children = 0;
    const char *data = b.constData();
    const qsizetype size = b.size();
    const char first = data[pos];
    if (first == '"')
        return skipString(b, pos);
    if (first != '{' && first != '[') {
        while (pos < size && !isWhitespace(data[pos]) && data[pos] != ',' && data[pos] != ']'
               && data[pos] != '}')
            ++pos;
        return pos;
    }
    const qsizetype afterOpen = skipWhitespace(b, pos + 1);
    const bool empty = data[afterOpen] == '}' || data[afterOpen] == ']';
    qsizetype commas = 0;
    qsizetype depth = 0;
    while (pos < size) {
        const char c = data[pos];
        if (c == '"') {
            pos = skipString(b, pos);
            continue;
        }
        if (c == '{' || c == '[') {
            ++depth;
        } else if (c == '}' || c == ']') {
            if (--depth == 0)
                return (children = empty ? 0 : commas + 1), pos + 1;
        } else if (c == ',' && depth == 1) {
            ++commas;
        }
        ++pos;
    }
    return size;
}

JsonValueType typeAt(char c)
{
    switch (c) {
    case '{': return JsonValueType::Object;
    case '[': return JsonValueType::Array;
    case '"': return JsonValueType::String;
    case 't':
    case 'f': return JsonValueType::Boolean;
    case 'n': return JsonValueType::Null;
    default: return JsonValueType::Number;
    }
}

} // namespace

QString typeName(JsonValueType type)
{
    switch (type) {
    case JsonValueType::Object: return QStringLiteral("object");
    case JsonValueType::Array: return QStringLiteral("array");
    case JsonValueType::String: return QStringLiteral("string");
    case JsonValueType::Number: return QStringLiteral("number");
    case JsonValueType::Boolean: return QStringLiteral("boolean");
    case JsonValueType::Null: return QStringLiteral("null");
    }
    return {};
}

JsonTree::JsonTree(QByteArray json) : m_bytes(std::move(json))
{
    m_root = makeNode(skipWhitespace(m_bytes, 0));
}

std::unique_ptr<JsonNode> JsonTree::makeNode(qsizetype valueOffset) const
{
    auto node = std::make_unique<JsonNode>();
    node->valueOffset = valueOffset;
    node->type = valueOffset < m_bytes.size() ? typeAt(m_bytes[valueOffset]) : JsonValueType::Null;
    node->valueEnd = valueOffset < m_bytes.size() ? skipValue(m_bytes, valueOffset, node->childTotal)
                                                  : valueOffset;
    node->resumeOffset = valueOffset + 1;
    return node;
}

std::vector<std::unique_ptr<JsonNode>> JsonTree::findChildren(JsonNode *node, qsizetype max) const
{
    std::vector<std::unique_ptr<JsonNode>> found;
    qsizetype pos = node->resumeOffset;
    const qsizetype wanted = qMin(max, node->childTotal - node->fetched());
    for (qsizetype i = 0; i < wanted; ++i) {
        pos = skipWhitespace(m_bytes, pos);
        qsizetype keyOffset = -1;
        qsizetype keyLength = 0;
        if (node->type == JsonValueType::Object) {
            keyOffset = pos;
            pos = skipString(m_bytes, pos);
            keyLength = pos - keyOffset;
            pos = skipWhitespace(m_bytes, pos) + 1; // past ':'
            pos = skipWhitespace(m_bytes, pos);
        }
        auto child = makeNode(pos);
        child->parent = node;
        child->row = node->fetched() + i;
        child->keyOffset = keyOffset;
        child->keyLength = keyLength;
        pos = skipWhitespace(m_bytes, child->valueEnd);
        if (pos < m_bytes.size() && m_bytes[pos] == ',')
            ++pos;
        found.push_back(std::move(child));
    }
    node->resumeOffset = pos;
    return found;
}

void JsonTree::adopt(JsonNode *node, std::vector<std::unique_ptr<JsonNode>> children)
{
    for (auto &child : children)
        node->children.push_back(std::move(child));
}

QString JsonTree::key(const JsonNode &node) const
{
    if (!node.parent)
        return QStringLiteral("(root)");
    if (node.keyOffset < 0)
        return QStringLiteral("[%1]").arg(node.row);
    // Keys may hold line breaks or be megabytes long too: one line, cut.
    const qsizetype maxLength = 200;
    const QByteArrayView body = QByteArrayView(m_bytes).sliced(
        node.keyOffset + 1, qMin(node.keyLength - 2, maxLength * 6 + 16));
    return previewString(decodeJsonStringBody(body), maxLength);
}

QString JsonTree::valuePreview(const JsonNode &node, qsizetype maxLength) const
{
    switch (node.type) {
    case JsonValueType::Object:
        return node.childTotal == 1 ? QStringLiteral("{1 key}")
                                    : QStringLiteral("{%1 keys}").arg(node.childTotal);
    case JsonValueType::Array:
        return node.childTotal == 1 ? QStringLiteral("[1 item]")
                                    : QStringLiteral("[%1 items]").arg(node.childTotal);
    case JsonValueType::String: {
        // Decode no more than the preview needs: a string can be megabytes long.
        const qsizetype bodyLength = node.valueEnd - node.valueOffset - 2;
        const QByteArrayView body = QByteArrayView(m_bytes).sliced(
            node.valueOffset + 1, qMin(bodyLength, maxLength * 6 + 16));
        return u'"' + previewString(decodeJsonStringBody(body), maxLength) + u'"';
    }
    default:
        return decodeUtf8(QByteArrayView(m_bytes).sliced(node.valueOffset,
                                                         node.valueEnd - node.valueOffset));
    }
}

QString JsonTree::fullString(const JsonNode &node) const
{
    if (node.type != JsonValueType::String)
        return {};
    return decodeJsonString(
        QByteArrayView(m_bytes).sliced(node.valueOffset, node.valueEnd - node.valueOffset));
}

} // namespace mc::payload
