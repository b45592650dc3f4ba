#pragma once

// A user's timeline as a table, oldest first: the migration row's times and audited retries.

#include "user_history.h"

#include <QAbstractTableModel>

namespace mc {

class UserTimelineModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column { When, Event, Who, Detail, ColumnCount };

    explicit UserTimelineModel(QObject *parent = nullptr);

    void setEvents(const QList<UserEvent> &events);
    const QList<UserEvent> &events() const { return m_rows; }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

private:
    QList<UserEvent> m_rows;
};

} // namespace mc
