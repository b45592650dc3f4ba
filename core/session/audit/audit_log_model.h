#pragma once

// The audit log as a table, newest first, loaded a page at a time: the first page when the filter
// is set, the next one (entries older than the last shown) when the view asks for more. Pages come
// from a StoreRunner; an answer for an older filter is dropped.

#include "operations.h"

#include <QAbstractTableModel>

namespace mc {

class StoreRunner;

class AuditLogModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column { Who, When, Action, Target, Change, Reason, ColumnCount };
    enum Role { SortRole = Qt::UserRole, EntryIdRole };
    static constexpr int kDefaultPageSize = 200;

    explicit AuditLogModel(StoreRunner *runner, QObject *parent = nullptr);

    // Clears the table and loads the first page of entries matching `filter` (its paging fields
    // and limit are ignored).
    void setFilter(const AuditQuery &filter);
    const AuditQuery &filter() const { return m_filter; }
    void refresh() { setFilter(m_filter); }
    void clear();

    void setPageSize(int entries) { m_pageSize = entries; }
    int pageSize() const { return m_pageSize; }

    bool isLoading() const { return m_loading; }
    bool hasMore() const { return m_next.has_value(); }
    const QList<AuditEntry> &entries() const { return m_entries; }
    QString errorText() const { return m_error; }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;
    bool canFetchMore(const QModelIndex &parent) const override;
    void fetchMore(const QModelIndex &parent) override;

signals:
    void loadingChanged(bool loading);
    void pageLoaded(int entries); // after each page arrived, with the number of entries it held
    void failed(const QString &message);

private:
    void load(std::optional<qint64> beforeId);
    void setLoading(bool loading);

    StoreRunner *m_runner;
    AuditQuery m_filter;
    int m_pageSize = kDefaultPageSize;
    QList<AuditEntry> m_entries;
    std::optional<qint64> m_next;
    bool m_loading = false;
    quint64 m_generation = 0;
    QString m_error;
};

} // namespace mc
