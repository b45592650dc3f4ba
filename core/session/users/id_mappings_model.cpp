#include "id_mappings_model.h"

namespace mc {

IdMappingsModel::IdMappingsModel(QObject *parent) : QAbstractTableModel(parent) {}

void IdMappingsModel::setMappings(const QList<IdMapping> &mappings)
{
    beginResetModel();
    m_rows = mappings;
    endResetModel();
}

int IdMappingsModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int IdMappingsModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant IdMappingsModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_rows.size())
        return {};
    const IdMapping &row = m_rows[index.row()];
    if (role == Qt::TextAlignmentRole)
        return index.column() >= SourceId ? QVariant(Qt::AlignRight | Qt::AlignVCenter)
                                          : QVariant();
    if (role != Qt::DisplayRole && role != SortRole)
        return {};
    switch (Column(index.column())) {
    case ModelName:
        return row.model;
    case SourcePortal:
        return row.sourcePortal;
    case SourceId:
        return role == SortRole ? QVariant(row.sourceId) : QVariant(QString::number(row.sourceId));
    case TargetId:
        return role == SortRole ? QVariant(row.targetId) : QVariant(QString::number(row.targetId));
    case ColumnCount:
        break;
    }
    return {};
}

QVariant IdMappingsModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (Column(section)) {
    case ModelName: return tr("Model");
    case SourcePortal: return tr("Source portal");
    case SourceId: return tr("Source id");
    case TargetId: return tr("→ Target id");
    case ColumnCount: break;
    }
    return {};
}

} // namespace mc
