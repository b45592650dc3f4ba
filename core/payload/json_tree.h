#pragma once

// The nodes of a valid JSON document, made when asked for: a container's children are found by
// skipping over the bytes of its values (no tokens kept), in batches, so opening a document of
// twenty megabytes, or an array of a million elements, makes only the nodes on screen.

#include <QByteArray>
#include <QString>

#include <memory>
#include <vector>

namespace mc::payload {

enum class JsonValueType : quint8 { Object, Array, String, Number, Boolean, Null };

QString typeName(JsonValueType type); // "object", "array", …

struct JsonNode
{
    JsonNode *parent = nullptr;
    qsizetype row = 0;           // index among the parent's children
    qsizetype keyOffset = -1;    // the key token's byte offset (in an object), else -1
    qsizetype keyLength = 0;
    qsizetype valueOffset = 0;   // the value's bytes: [valueOffset, valueEnd)
    qsizetype valueEnd = 0;
    qsizetype childTotal = 0;    // for containers: how many children the value has
    JsonValueType type = JsonValueType::Null;
    std::vector<std::unique_ptr<JsonNode>> children; // the ones made so far, in order
    qsizetype resumeOffset = -1; // where finding the next child goes on

    bool isContainer() const { return type == JsonValueType::Object || type == JsonValueType::Array; }
    qsizetype fetched() const { return qsizetype(children.size()); }
};

class JsonTree
{
public:
    // `json` must be valid JSON (scanJson said so): the tree does not check it again.
    explicit JsonTree(QByteArray json);

    const QByteArray &bytes() const { return m_bytes; }
    JsonNode *root() { return m_root.get(); }

    // Makes up to `max` more children of `node`; returns them (owned by `node`).
    std::vector<std::unique_ptr<JsonNode>> findChildren(JsonNode *node, qsizetype max) const;
    static void adopt(JsonNode *node, std::vector<std::unique_ptr<JsonNode>> children);

    // Decoded, on one line, cut at 200 characters; "[3]" in an array; "(root)".
    QString key(const JsonNode &node) const;
    QString valuePreview(const JsonNode &node, qsizetype maxLength) const;
    QString fullString(const JsonNode &node) const;   // a string's value, decoded

private:
    std::unique_ptr<JsonNode> makeNode(qsizetype valueOffset) const;

    QByteArray m_bytes;
    std::unique_ptr<JsonNode> m_root;
};

} // namespace mc::payload
