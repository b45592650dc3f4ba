#include "user_timeline_model.h"

#include "time_text.h"

namespace mc {

UserTimelineModel::UserTimelineModel(QObject *parent) : QAbstractTableModel(parent) {}

void UserTimelineModel::setEvents(const QList<UserEvent> &events)
{
    beginResetModel();
    m_rows = events;
    endResetModel();
}

int UserTimelineModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int UserTimelineModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant UserTimelineModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_rows.size())
        return {};
    const UserEvent &row = m_rows[index.row()];
    if (role == Qt::ToolTipRole)
        return index.column() == When ? QVariant(utcTimeText(row.at))
               : index.column() == Detail && !row.detail.isEmpty() ? QVariant(row.detail)
                                                                    : QVariant();
    if (role != Qt::DisplayRole)
        return {};
    switch (Column(index.column())) {
    case When:
        return localTimeText(row.at);
    case Event:
        return row.event;
    case Who:
        return row.who;
    case Detail:
        return row.detail;
    case ColumnCount:
        break;
    }
    return {};
}

QVariant UserTimelineModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (Column(section)) {
    case When: return tr("When");
    case Event: return tr("Event");
    case Who: return tr("Who");
    case Detail: return tr("Reason / detail");
    case ColumnCount: break;
    }
    return {};
}

} // namespace mc
