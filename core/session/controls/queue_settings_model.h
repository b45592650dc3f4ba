#pragma once

// The queues as the Controls view shows and edits them: one row per queue with its settings
// (parallelism, run frequency, max attempts, paused), its current depth and jobs in progress,
// and the version it was last changed at and by whom.
//
// Edits are staged, never written here: a staged value is shown in place of the database value
// (StagedRole marks the cell) until the view applies it or discards it. Each staged edit keeps
// the row it was based on; refreshing replaces the rows but never the staged values, and a row
// whose version moved on underneath a staged edit is marked (RowChangedRole) so the view can
// show it before anything is applied.

#include "operations.h"

#include <QAbstractTableModel>
#include <QMap>

namespace mc {

struct StagedQueueEdit
{
    QueueState base; // the row as it was when the edit was staged (or last rebased)
    std::optional<int> parallelism;
    std::optional<int> runEveryMs;
    std::optional<int> maxAttempts;

    bool isEmpty() const { return !parallelism && !runEveryMs && !maxAttempts; }
    // The change to send: expectVersion is the version the edit was based on.
    QueueChange change(const QString &reason, const Operator &by) const;
    // "parallelism 8 → 12", one per staged setting, against the base row.
    QStringList changes() const;
};

class QueueSettingsModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column {
        Name,
        Parallelism,
        RunEvery,
        MaxAttempts,
        Paused,
        Depth,
        InProgress,
        Version,
        Action, // left empty: the view puts the Pause / Resume button here
        ColumnCount
    };
    enum Role {
        StagedRole = Qt::UserRole + 1, // bool: this cell shows a staged value
        RowChangedRole,                // bool: the row moved on underneath a staged edit
        DatabaseValueRole,             // the value in the database (for editable columns)
        QueueNameRole,                 // QString
    };

    explicit QueueSettingsModel(QObject *parent = nullptr);

    static bool isEditable(int column);
    // The smallest value a setting accepts (parallelism 0 stops new claims).
    static int minimumOf(int column);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;
    Qt::ItemFlags flags(const QModelIndex &index) const override;
    bool setData(const QModelIndex &index, const QVariant &value, int role = Qt::EditRole) override;

    // The rows from a fresh overview. Staged edits stay as they are.
    void setQueues(const QList<QueueState> &queues);
    void clear(); // disconnected: no rows, no staged edits
    const QList<QueueState> &queues() const { return m_rows; }
    std::optional<QueueState> queue(const QString &name) const;
    int rowOf(const QString &name) const; // -1 when there is no such queue

    // Stages one setting; a value equal to the base row's unstages it. False when invalid.
    bool stage(const QString &queue, Column column, int value);
    bool hasStagedEdits() const { return !m_staged.isEmpty(); }
    QList<StagedQueueEdit> stagedEdits() const; // in row order
    std::optional<StagedQueueEdit> stagedEdit(const QString &queue) const;
    // Whether the row moved on (another version) since the staged edit was based on it.
    bool rowChangedUnder(const QString &queue) const;
    void discard();
    void discard(const QString &queue);

    // Our own write succeeded: the row is now `after`. A staged edit of that queue based on
    // `versionBefore` follows it (nobody else changed the row in between: the store checked).
    void applied(const QueueState &after, qint64 versionBefore);
    // After a conflict: base the staged edit on the current row, keeping the intended values
    // (values now already in place are dropped). False when nothing is left to change.
    bool rebase(const QString &queue);

    void setEditable(bool editable);

signals:
    void stagedChanged();

private:
    static std::optional<int> *field(StagedQueueEdit &edit, int column);
    static std::optional<int> stagedValue(const StagedQueueEdit &edit, int column);
    static int valueOf(const QueueState &queue, int column);
    QVariant displayData(const QueueState &queue, int column) const;
    QString toolTip(const QueueState &queue, int column) const;
    void rowChanged(const QString &queue);

    QList<QueueState> m_rows;
    QMap<QString, StagedQueueEdit> m_staged;
    bool m_editable = true;
};

} // namespace mc
