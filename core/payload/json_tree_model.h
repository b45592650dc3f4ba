#pragma once

// The payload viewer's Tree tab: a JSON document as Key | Type | Value, one top row "(root)".
// Children are made when a node is expanded and then in batches as the view scrolls
// (canFetchMore/fetchMore), so a huge document costs only what is looked at.

#include "json_tree.h"

#include <QAbstractItemModel>

#include <memory>

namespace mc::payload {

class JsonTreeModel : public QAbstractItemModel
{
    Q_OBJECT

public:
    enum Column { KeyColumn, TypeColumn, ValueColumn, ColumnCount };
    enum Role { ValueTypeRole = Qt::UserRole + 1, ByteOffsetRole };
    static constexpr qsizetype kBatch = 500;
    static constexpr qsizetype kPreviewLength = 200;

    // `tree` may already have children made (off the GUI thread); the model takes it over.
    explicit JsonTreeModel(std::shared_ptr<JsonTree> tree, QObject *parent = nullptr);

    QModelIndex index(int row, int column, const QModelIndex &parent = {}) const override;
    QModelIndex parent(const QModelIndex &child) const override;
    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    bool hasChildren(const QModelIndex &parent = {}) const override;
    bool canFetchMore(const QModelIndex &parent) const override;
    void fetchMore(const QModelIndex &parent) override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

private:
    JsonNode *nodeOf(const QModelIndex &index) const;

    std::shared_ptr<JsonTree> m_tree;
    bool m_fetching = false; // views may ask for more while rows are being inserted
};

} // namespace mc::payload
