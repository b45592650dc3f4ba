#pragma once

// What retrying a pasted list did, one row per line of the list that was not blank: moved, not
// failed (with the status it has), not found, a duplicate of an earlier line, or an invalid line
// with its problem. Nothing pasted is left out.

#include "operations.h"
#include "user_list.h"

#include <QAbstractTableModel>

namespace mc {

struct RetryOutcomeRow
{
    enum class Kind { Waiting, Moved, NotFailed, NotFound, Duplicate, Invalid };
    int line = 0;
    QString text; // the line as pasted
    std::optional<UserKey> user;
    Kind kind = Kind::Waiting;
    UserStatus statusBefore = UserStatus::Nil; // for NotFailed
    QString problem;                           // for Invalid
};

struct RetryTotals
{
    int moved = 0;
    int notFailed = 0;
    int notFound = 0;
    int duplicates = 0;
    int invalid = 0;
    int waiting = 0; // not decided: the run was cancelled or failed before their batch
};

class RetryOutcomesModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column { Line, Input, User, Outcome, ColumnCount };
    enum Role { SortRole = Qt::UserRole, KindRole };

    explicit RetryOutcomesModel(QObject *parent = nullptr);

    // Every non-blank line, all users Waiting.
    void setList(const UserList &list);
    // Fills in the users' outcomes; users the report does not name stay Waiting.
    void setReport(const RetryReport &report);
    void clear();

    const QList<RetryOutcomeRow> &rows() const { return m_rows; }
    RetryTotals totals() const;
    static QString outcomeText(const RetryOutcomeRow &row); // "moved", "not failed (completed)", …

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

private:
    QList<RetryOutcomeRow> m_rows;
};

} // namespace mc
