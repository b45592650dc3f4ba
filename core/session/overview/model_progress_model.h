#pragma once

// Per-model progress as a table: one row per model in migration order. A refresh updates the
// cells that changed (the rows stay put while the models are the same), so a sorted view keeps
// its selection and scroll position.

#include "domain.h"

#include <QAbstractTableModel>

namespace mc {

class ModelProgressModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column {
        Order,
        ModelName,
        RecordsTotal,
        Serialized,
        Created,
        Failed,
        Progress,       // created ÷ records total
        FailurePercent, // failed ÷ (created + failed)
        ColumnCount
    };
    enum Role {
        SortRole = Qt::UserRole,   // the raw number (or name) to sort by
        ProgressRole,              // created ÷ total, 0…1 (Progress column)
        SerializedFractionRole,    // serialised ÷ total, 0…1 (Progress column)
    };

    explicit ModelProgressModel(QObject *parent = nullptr);

    void setProgress(const QList<ModelProgress> &models);
    const QList<ModelProgress> &progress() const { return m_rows; }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

    static std::optional<double> progressOf(const ModelProgress &row);
    static std::optional<double> serializedOf(const ModelProgress &row);
    static std::optional<double> failureRateOf(const ModelProgress &row);

private:
    QVariant display(const ModelProgress &row, int column) const;
    QVariant sortValue(const ModelProgress &row, int column) const;

    QList<ModelProgress> m_rows;
};

} // namespace mc
