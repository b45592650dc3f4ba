#pragma once

// One user's failed records as a table, newest first, as the dossier lists them. The record's id
// is in FailureIdRole so a view can open the payload viewer for it.

#include "failures.h"

#include <QAbstractTableModel>

namespace mc {

class UserFailuresModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column { FailedAt, ModelName, RecordId, Phase, ErrorClass, Message, Resolution,
                  ColumnCount };
    enum Role { SortRole = Qt::UserRole, FailureIdRole };

    explicit UserFailuresModel(QObject *parent = nullptr);

    void setFailures(const QList<FailureRow> &rows);
    const QList<FailureRow> &failures() const { return m_rows; }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

private:
    QList<FailureRow> m_rows;
};

} // namespace mc
