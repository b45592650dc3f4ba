#include "audit_log_model.h"

#include "audit_change.h"
#include "store_runner.h"
#include "time_text.h"

namespace mc {

AuditLogModel::AuditLogModel(StoreRunner *runner, QObject *parent)
    : QAbstractTableModel(parent), m_runner(runner)
{
}

void AuditLogModel::setFilter(const AuditQuery &filter)
{
    m_filter = filter;
    m_filter.beforeId.reset();
    m_filter.afterId.reset();
    clear();
    load(std::nullopt);
}

void AuditLogModel::clear()
{
    ++m_generation;
    beginResetModel();
    m_entries.clear();
    m_next.reset();
    m_error.clear();
    endResetModel();
    setLoading(false);
}

void AuditLogModel::load(std::optional<qint64> beforeId)
{
    AuditQuery query = m_filter;
    query.beforeId = beforeId;
    query.limit = m_pageSize;
    const quint64 generation = m_generation;
    setLoading(true);
    m_runner->run<AuditPage>(
        this, [query](MergeStore &store) { return store.audit(query); },
        [this, generation](const Result<AuditPage> &page) {
            if (generation != m_generation)
                return; // the filter changed meanwhile
            setLoading(false);
            if (!page.ok()) {
                m_error = page.error().message;
                emit failed(m_error);
                return;
            }
            m_error.clear();
            m_next = page->nextBeforeId;
            if (!page->entries.isEmpty()) {
                const int first = int(m_entries.size());
                beginInsertRows({}, first, first + int(page->entries.size()) - 1);
                m_entries.append(page->entries);
                endInsertRows();
            }
            emit pageLoaded(int(page->entries.size()));
        });
}

void AuditLogModel::setLoading(bool loading)
{
    if (m_loading == loading)
        return;
    m_loading = loading;
    emit loadingChanged(loading);
}

bool AuditLogModel::canFetchMore(const QModelIndex &parent) const
{
    return !parent.isValid() && m_next.has_value() && !m_loading;
}

void AuditLogModel::fetchMore(const QModelIndex &parent)
{
    if (canFetchMore(parent))
        load(m_next);
}

int AuditLogModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_entries.size());
}

int AuditLogModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant AuditLogModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_entries.size())
        return {};
    const AuditEntry &entry = m_entries[index.row()];
    if (role == EntryIdRole)
        return entry.id;
    if (role == Qt::ToolTipRole) {
        switch (Column(index.column())) {
        case Who:
            return tr("Database login: %2 (set by the server)\nOS user: %1 (claimed by the "
                      "client, not verified)")
                .arg(entry.osUser, entry.databaseUser);
        case When:
            return utcTimeText(entry.at);
        case Change:
            return tr("Before:\n%1\n\nAfter:\n%2")
                .arg(readableJson(entry.before), readableJson(entry.after));
        case Target:
            return entry.target;
        case Reason:
            return entry.reason;
        default:
            return {};
        }
    }
    if (role != Qt::DisplayRole && role != SortRole)
        return {};
    switch (Column(index.column())) {
    case Who:
        return auditActor(entry);
    case When:
        return role == SortRole ? QVariant(entry.at) : QVariant(localTimeText(entry.at));
    case Action:
        return entry.action;
    case Target:
        return entry.target;
    case Change:
        return compactChange(entry.before, entry.after);
    case Reason: {
        QString reason = entry.reason;
        return reason.replace(QLatin1Char('\n'), QLatin1Char(' '));
    }
    case ColumnCount:
        break;
    }
    return {};
}

QVariant AuditLogModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (Column(section)) {
    case Who: return tr("Who");
    case When: return tr("When");
    case Action: return tr("Action");
    case Target: return tr("Target");
    case Change: return tr("Before → after");
    case Reason: return tr("Reason");
    case ColumnCount: break;
    }
    return {};
}

} // namespace mc
