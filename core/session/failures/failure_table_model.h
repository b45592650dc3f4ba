#pragma once

// The failed records of one filter as a table, loaded a keyset page at a time as the view scrolls
// (canFetchMore/fetchMore), never the whole set. A new filter starts over: pages still on their
// way for the old filter are dropped by a generation number, so they never land in the new table.
// Sorting is the store's keyset order (failed at, newest first; then id) and cannot change.

#include "failures.h"
#include "session_types.h" // StoreError as a meta type, for the signals

#include <QAbstractTableModel>
#include <QHash>

#include <vector>

namespace mc {

class StoreRunner;

class FailureTableModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column {
        FailedAt,
        Portal,
        User,
        ModelName,
        RecordId,
        ErrorClass,
        Message,
        Attempt,
        ResolutionColumn,
        ColumnCount
    };
    enum Role {
        IdRole = Qt::UserRole, // the failed record's id (qint64)
        UserKeyRole,           // "portal:user id"
    };
    static constexpr int kDefaultPageSize = 200;

    explicit FailureTableModel(StoreRunner *runner, QObject *parent = nullptr);

    // Starts over with this filter and asks for its first page.
    void setFilter(const FailureFilter &filter);
    const FailureFilter &filter() const { return m_filter; }
    void reload();  // the same filter, from the top
    void clear();   // no rows and nothing loading (disconnected)

    void setPageSize(int rows) { m_pageSize = rows; }
    int pageSize() const { return m_pageSize; }

    bool isLoading() const { return m_loading; }
    void cancelLoading(); // asks the server to stop the page being read (a long scan)
    bool isComplete() const { return m_complete; } // every row of the filter is here
    int pagesLoaded() const { return m_pages; }
    const FailureRow &failureAt(int row) const { return m_rows[row]; }
    const QList<FailureRow> &failures() const { return m_rows; }
    int rowOfId(qint64 id) const; // -1 when not loaded

    // What an action changed, shown without reloading (the rows stay where they are).
    void showResolution(const std::vector<qint64> &ids, const QString &resolution);
    void showRetried(const QList<UserKey> &movedUsers); // their open rows become "retried"

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;
    bool canFetchMore(const QModelIndex &parent = {}) const override;
    void fetchMore(const QModelIndex &parent = {}) override;

    static QString resolutionText(const QString &resolution); // "open" for none
    static QString timeText(EpochMs at);                      // local "yyyy-MM-dd HH:mm:ss"

signals:
    void pageLoaded(int firstRow, int rows);
    void loadFailed(const mc::StoreError &error);
    void loadingChanged(bool loading);

private:
    void requestPage();
    void setLoading(bool loading);
    void changedRow(int row, int column);

    StoreRunner *m_runner;
    FailureFilter m_filter;
    bool m_active = false; // a filter is set and the table is not cleared
    int m_pageSize = kDefaultPageSize;
    quint64 m_generation = 0;
    QList<FailureRow> m_rows;
    QHash<qint64, int> m_rowOfId;
    std::optional<FailureCursor> m_next;
    bool m_loading = false;
    bool m_complete = false;
    bool m_failed = false; // the last page failed: no more fetching until reload()
    int m_pages = 0;
};

} // namespace mc
