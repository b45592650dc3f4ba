#include "user_failures_model.h"

#include "time_text.h"

namespace mc {

UserFailuresModel::UserFailuresModel(QObject *parent) : QAbstractTableModel(parent) {}

void UserFailuresModel::setFailures(const QList<FailureRow> &rows)
{
    beginResetModel();
    m_rows = rows;
    endResetModel();
}

int UserFailuresModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int UserFailuresModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant UserFailuresModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_rows.size())
        return {};
    const FailureRow &row = m_rows[index.row()];
    if (role == FailureIdRole)
        return row.id;
    if (role == Qt::ToolTipRole) {
        if (index.column() == FailedAt)
            return utcTimeText(row.failedAt);
        if (index.column() == Message)
            return row.messageExcerpt;
        return {};
    }
    if (role != Qt::DisplayRole && role != SortRole)
        return {};
    switch (Column(index.column())) {
    case FailedAt:
        return role == SortRole ? QVariant(row.failedAt) : QVariant(localTimeText(row.failedAt));
    case ModelName:
        return row.model;
    case RecordId:
        return row.recordId;
    case Phase:
        return row.phase;
    case ErrorClass:
        return row.errorClass;
    case Message:
        return row.messageExcerpt;
    case Resolution:
        return role == SortRole || !row.resolution.isEmpty() ? QVariant(row.resolution)
                                                             : QVariant(tr("open"));
    case ColumnCount:
        break;
    }
    return {};
}

QVariant UserFailuresModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (Column(section)) {
    case FailedAt: return tr("Failed at");
    case ModelName: return tr("Model");
    case RecordId: return tr("Record id");
    case Phase: return tr("Phase");
    case ErrorClass: return tr("Error class");
    case Message: return tr("Message");
    case Resolution: return tr("Resolution");
    case ColumnCount: break;
    }
    return {};
}

} // namespace mc
