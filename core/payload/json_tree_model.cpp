#include "json_tree_model.h"

namespace mc::payload {

JsonTreeModel::JsonTreeModel(std::shared_ptr<JsonTree> tree, QObject *parent)
    : QAbstractItemModel(parent), m_tree(std::move(tree))
{
}

JsonNode *JsonTreeModel::nodeOf(const QModelIndex &index) const
{
    return index.isValid() ? static_cast<JsonNode *>(index.internalPointer()) : nullptr;
}

QModelIndex JsonTreeModel::index(int row, int column, const QModelIndex &parent) const
{
    if (row < 0 || column < 0 || column >= ColumnCount)
        return {};
    if (!parent.isValid())
        return row == 0 ? createIndex(0, column, m_tree->root()) : QModelIndex();
    if (parent.column() != 0)
        return {};
    JsonNode *node = nodeOf(parent);
    if (row >= node->fetched())
        return {};
    return createIndex(row, column, node->children[size_t(row)].get());
}

QModelIndex JsonTreeModel::parent(const QModelIndex &child) const
{
    JsonNode *node = nodeOf(child);
    if (!node || !node->parent)
        return {};
    return createIndex(int(node->parent->row), 0, node->parent);
}

int JsonTreeModel::rowCount(const QModelIndex &parent) const
{
    if (!parent.isValid())
        return 1;
    if (parent.column() != 0)
        return 0;
    return int(nodeOf(parent)->fetched());
}

int JsonTreeModel::columnCount(const QModelIndex &) const
{
    return ColumnCount;
}

bool JsonTreeModel::hasChildren(const QModelIndex &parent) const
{
    if (!parent.isValid())
        return true;
    if (parent.column() != 0)
        return false;
    const JsonNode *node = nodeOf(parent);
    return node->isContainer() && node->childTotal > 0;
}

bool JsonTreeModel::canFetchMore(const QModelIndex &parent) const
{
    if (m_fetching || !parent.isValid() || parent.column() != 0)
        return false;
    const JsonNode *node = nodeOf(parent);
    return node->isContainer() && node->fetched() < node->childTotal;
}

void JsonTreeModel::fetchMore(const QModelIndex &parent)
{
    if (!canFetchMore(parent))
        return;
    JsonNode *node = nodeOf(parent);
    auto children = m_tree->findChildren(node, kBatch);
    if (children.empty())
        return;
    const int first = int(node->fetched());
    m_fetching = true;
    beginInsertRows(parent, first, first + int(children.size()) - 1);
    JsonTree::adopt(node, std::move(children));
    endInsertRows();
    m_fetching = false;
}

QVariant JsonTreeModel::data(const QModelIndex &index, int role) const
{
    const JsonNode *node = nodeOf(index);
    if (!node)
        return {};
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case KeyColumn: return m_tree->key(*node);
        case TypeColumn: return typeName(node->type);
        case ValueColumn: return m_tree->valuePreview(*node, kPreviewLength);
        }
        break;
    case Qt::ToolTipRole:
        if (index.column() == ValueColumn && node->type == JsonValueType::String)
            return m_tree->valuePreview(*node, 4000);
        if (index.column() == KeyColumn)
            return m_tree->key(*node);
        break;
    case ValueTypeRole: return int(node->type);
    case ByteOffsetRole: return node->valueOffset;
    default: break;
    }
    return {};
}

QVariant JsonTreeModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case KeyColumn: return tr("Key");
    case TypeColumn: return tr("Type");
    case ValueColumn: return tr("Value");
    }
    return {};
}

} // namespace mc::payload
