#include "failure_table_model.h"

#include "store_runner.h"

#include <QDateTime>
#include <QLocale>
#include <QSet>

namespace mc {

FailureTableModel::FailureTableModel(StoreRunner *runner, QObject *parent)
    : QAbstractTableModel(parent), m_runner(runner)
{
}

void FailureTableModel::setFilter(const FailureFilter &filter)
{
    m_filter = filter;
    reload();
}

void FailureTableModel::reload()
{
    beginResetModel();
    ++m_generation;
    m_active = true;
    m_rows.clear();
    m_rowOfId.clear();
    m_next.reset();
    m_complete = false;
    m_failed = false;
    m_pages = 0;
    m_loading = false;
    // Loading before the reset is announced: a view that asks for more when it sees the reset
    // (QAbstractItemModelTester does, a view filling its viewport may) waits for this page
    // instead of asking for the same page a second time.
    requestPage();
    endResetModel();
}

void FailureTableModel::clear()
{
    beginResetModel();
    ++m_generation;
    m_active = false;
    m_rows.clear();
    m_rowOfId.clear();
    m_next.reset();
    m_complete = false;
    m_failed = false;
    m_pages = 0;
    endResetModel();
    setLoading(false);
}

int FailureTableModel::rowOfId(qint64 id) const
{
    return m_rowOfId.value(id, -1);
}

bool FailureTableModel::canFetchMore(const QModelIndex &parent) const
{
    return !parent.isValid() && m_active && !m_loading && !m_complete && !m_failed;
}

void FailureTableModel::fetchMore(const QModelIndex &parent)
{
    if (canFetchMore(parent))
        requestPage();
}

void FailureTableModel::requestPage()
{
    setLoading(true);
    const quint64 generation = m_generation;
    const FailureFilter filter = m_filter;
    const std::optional<FailureCursor> after = m_next;
    const int pageSize = m_pageSize;
    m_runner->run<FailurePage>(
        this,
        [filter, after, pageSize](MergeStore &store) {
            return store.failures(filter, after, pageSize);
        },
        [this, generation](const Result<FailurePage> &page) {
            if (generation != m_generation)
                return; // an answer for a filter (or a load) that is gone
            setLoading(false);
            if (!page.ok()) {
                m_failed = true;
                emit loadFailed(page.error());
                return;
            }
            // The cursor moves before the rows arrive: a view that asks for more as it sees them
            // asks for the next page, not this one again.
            m_next = page->next;
            m_complete = !page->next;
            ++m_pages;
            const int first = int(m_rows.size());
            if (!page->rows.isEmpty()) {
                beginInsertRows({}, first, first + int(page->rows.size()) - 1);
                for (const FailureRow &row : page->rows) {
                    m_rowOfId.insert(row.id, int(m_rows.size()));
                    m_rows.append(row);
                }
                endInsertRows();
            }
            emit pageLoaded(first, int(page->rows.size()));
        });
}

void FailureTableModel::setLoading(bool loading)
{
    if (m_loading == loading)
        return;
    m_loading = loading;
    emit loadingChanged(loading);
}

void FailureTableModel::changedRow(int row, int column)
{
    const QModelIndex cell = index(row, column);
    emit dataChanged(cell, cell);
}

void FailureTableModel::showResolution(const std::vector<qint64> &ids, const QString &resolution)
{
    for (qint64 id : ids) {
        const int row = rowOfId(id);
        if (row < 0 || m_rows[row].resolution == resolution)
            continue;
        m_rows[row].resolution = resolution;
        changedRow(row, ResolutionColumn);
    }
}

void FailureTableModel::showRetried(const QList<UserKey> &movedUsers)
{
    QSet<QString> moved;
    for (const UserKey &user : movedUsers)
        moved.insert(user.toString());
    for (int row = 0; row < int(m_rows.size()); ++row) {
        FailureRow &failure = m_rows[row];
        if (failure.resolution.isEmpty() && moved.contains(failure.user.toString())) {
            failure.resolution = QStringLiteral("retried");
            changedRow(row, ResolutionColumn);
        }
    }
}

int FailureTableModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int FailureTableModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QString FailureTableModel::resolutionText(const QString &resolution)
{
    return resolution.isEmpty() ? tr("open") : resolution;
}

QString FailureTableModel::timeText(EpochMs at)
{
    return QDateTime::fromMSecsSinceEpoch(at).toString(QStringLiteral("yyyy-MM-dd HH:mm:ss"));
}

QVariant FailureTableModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_rows.size())
        return {};
    const FailureRow &row = m_rows[index.row()];
    switch (role) {
    case IdRole:
        return row.id;
    case UserKeyRole:
        return row.user.toString();
    case Qt::TextAlignmentRole:
        return int(index.column() == User || index.column() == Attempt
                       ? Qt::AlignRight | Qt::AlignVCenter
                       : Qt::AlignLeft | Qt::AlignVCenter);
    case Qt::ToolTipRole:
        if (index.column() == FailedAt)
            return QDateTime::fromMSecsSinceEpoch(row.failedAt, Qt::UTC)
                .toString(Qt::ISODateWithMs);
        if (index.column() == Message)
            return row.messageExcerpt;
        return {};
    case Qt::DisplayRole:
        break;
    default:
        return {};
    }
    switch (index.column()) {
    case FailedAt:
        return timeText(row.failedAt);
    case Portal:
        return row.user.portal;
    case User:
        return row.user.userId;
    case ModelName:
        return row.model;
    case RecordId:
        return row.recordId;
    case ErrorClass:
        return row.errorClass;
    case Message:
        return row.messageExcerpt;
    case Attempt:
        return row.attempt;
    case ResolutionColumn:
        return resolutionText(row.resolution);
    default:
        return {};
    }
}

QVariant FailureTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case FailedAt:
        return tr("Failed at");
    case Portal:
        return tr("Portal");
    case User:
        return tr("User");
    case ModelName:
        return tr("Model");
    case RecordId:
        return tr("Record id");
    case ErrorClass:
        return tr("Error class");
    case Message:
        return tr("Message");
    case Attempt:
        return tr("Attempt");
    case ResolutionColumn:
        return tr("Resolution");
    default:
        return {};
    }
}

void FailureTableModel::cancelLoading()
{
    if (m_loading)
        m_runner->cancelRunning(this);
}

} // namespace mc
