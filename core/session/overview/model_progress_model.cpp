#include "model_progress_model.h"

#include <QLocale>

namespace mc {

namespace {

bool sameCells(const ModelProgress &a, const ModelProgress &b)
{
    return a.model == b.model && a.migrationOrder == b.migrationOrder
           && a.recordsTotal == b.recordsTotal && a.serialized == b.serialized
           && a.created == b.created && a.failed == b.failed;
}

QString percent(std::optional<double> fraction)
{
    if (!fraction)
        return QStringLiteral("—");
    return QLocale().toString(*fraction * 100.0, 'f', 1) + QStringLiteral(" %");
}

// As an int: what every view of Qt 6 reads.
int alignment(int column)
{
    return int(column == ModelProgressModel::ModelName ? Qt::AlignLeft | Qt::AlignVCenter
                                                       : Qt::AlignRight | Qt::AlignVCenter);
}

} // namespace

ModelProgressModel::ModelProgressModel(QObject *parent) : QAbstractTableModel(parent) {}

void ModelProgressModel::setProgress(const QList<ModelProgress> &models)
{
    bool sameRows = models.size() == m_rows.size();
    for (qsizetype r = 0; sameRows && r < models.size(); ++r)
        sameRows = models[r].modelId == m_rows[r].modelId;
    if (!sameRows) {
        beginResetModel();
        m_rows = models;
        endResetModel();
        return;
    }
    for (qsizetype r = 0; r < models.size(); ++r) {
        if (sameCells(models[r], m_rows[r]))
            continue;
        m_rows[r] = models[r];
        emit dataChanged(index(int(r), 0), index(int(r), ColumnCount - 1));
    }
}

int ModelProgressModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int ModelProgressModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

std::optional<double> ModelProgressModel::progressOf(const ModelProgress &row)
{
    if (row.recordsTotal <= 0)
        return std::nullopt;
    return std::min(1.0, double(row.created) / double(row.recordsTotal));
}

std::optional<double> ModelProgressModel::serializedOf(const ModelProgress &row)
{
    if (row.recordsTotal <= 0)
        return std::nullopt;
    return std::min(1.0, double(row.serialized) / double(row.recordsTotal));
}

std::optional<double> ModelProgressModel::failureRateOf(const ModelProgress &row)
{
    if (row.created + row.failed <= 0)
        return std::nullopt;
    return double(row.failed) / double(row.created + row.failed);
}

QVariant ModelProgressModel::display(const ModelProgress &row, int column) const
{
    const QLocale locale;
    switch (column) {
    case Order:
        return row.migrationOrder;
    case ModelName:
        return row.model;
    case RecordsTotal:
        return locale.toString(row.recordsTotal);
    case Serialized:
        return locale.toString(row.serialized);
    case Created:
        return locale.toString(row.created);
    case Failed:
        return locale.toString(row.failed);
    case Progress:
        return percent(progressOf(row));
    case FailurePercent:
        return percent(failureRateOf(row));
    default:
        return {};
    }
}

QVariant ModelProgressModel::sortValue(const ModelProgress &row, int column) const
{
    switch (column) {
    case Order:
        return row.migrationOrder;
    case ModelName:
        return row.model;
    case RecordsTotal:
        return row.recordsTotal;
    case Serialized:
        return row.serialized;
    case Created:
        return row.created;
    case Failed:
        return row.failed;
    case Progress:
        return progressOf(row).value_or(-1.0);
    case FailurePercent:
        return failureRateOf(row).value_or(-1.0);
    default:
        return {};
    }
}

QVariant ModelProgressModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const ModelProgress &row = m_rows[index.row()];
    const int column = index.column();
    switch (role) {
    case Qt::DisplayRole:
        return display(row, column);
    case SortRole:
        return sortValue(row, column);
    case ProgressRole:
        if (column == Progress)
            return progressOf(row).value_or(0.0);
        return {};
    case SerializedFractionRole:
        if (column == Progress)
            return serializedOf(row).value_or(0.0);
        return {};
    case Qt::TextAlignmentRole:
        return alignment(column);
    case Qt::ToolTipRole:
        if (column == Progress || column == FailurePercent)
            return tr("%1: serialised %2, created %3, failed %4 of %5 records")
                .arg(row.model, percent(serializedOf(row)), percent(progressOf(row)),
                     QLocale().toString(row.failed), QLocale().toString(row.recordsTotal));
        return {};
    default:
        return {};
    }
}

QVariant ModelProgressModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || section < 0 || section >= ColumnCount)
        return QAbstractTableModel::headerData(section, orientation, role);
    static const char *const titles[] = {
        QT_TR_NOOP("Order"),   QT_TR_NOOP("Model"),  QT_TR_NOOP("Records"),
        QT_TR_NOOP("Serialised"), QT_TR_NOOP("Created"), QT_TR_NOOP("Failed"),
        QT_TR_NOOP("Progress"), QT_TR_NOOP("Failure %")};
    static const char *const tips[] = {
        QT_TR_NOOP("Migration order"),
        QT_TR_NOOP("The kind of record migrated per user"),
        QT_TR_NOOP("Records to migrate, over all user migrations so far"),
        QT_TR_NOOP("Records the source side wrote into the merge database"),
        QT_TR_NOOP("Records the target side created"),
        QT_TR_NOOP("Records that failed"),
        QT_TR_NOOP("Created ÷ records; the lighter part of the bar is serialised ÷ records"),
        QT_TR_NOOP("Failed ÷ (created + failed)")};
    switch (role) {
    case Qt::DisplayRole:
        return tr(titles[section]);
    case Qt::ToolTipRole:
        return tr(tips[section]);
    case Qt::TextAlignmentRole:
        return alignment(section);
    default:
        return {};
    }
}

} // namespace mc
