#pragma once

// One user's id mappings as a table: which source record became which target record.

#include "operations.h"

#include <QAbstractTableModel>

namespace mc {

class IdMappingsModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column { ModelName, SourcePortal, SourceId, TargetId, ColumnCount };
    enum Role { SortRole = Qt::UserRole };

    explicit IdMappingsModel(QObject *parent = nullptr);

    void setMappings(const QList<IdMapping> &mappings);
    const QList<IdMapping> &mappings() const { return m_rows; }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

private:
    QList<IdMapping> m_rows;
};

} // namespace mc
