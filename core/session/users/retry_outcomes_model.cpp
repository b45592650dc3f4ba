#include "retry_outcomes_model.h"

#include <QHash>

namespace mc {

RetryOutcomesModel::RetryOutcomesModel(QObject *parent) : QAbstractTableModel(parent) {}

void RetryOutcomesModel::setList(const UserList &list)
{
    beginResetModel();
    m_rows.clear();
    for (const UserListLine &line : list.lines) {
        RetryOutcomeRow row{line.number, line.text, line.user, RetryOutcomeRow::Kind::Waiting,
                            UserStatus::Nil, line.problem};
        switch (line.kind) {
        case UserListLine::Kind::Blank:
            continue;
        case UserListLine::Kind::User:
            break;
        case UserListLine::Kind::Duplicate:
            row.kind = RetryOutcomeRow::Kind::Duplicate;
            break;
        case UserListLine::Kind::Invalid:
            row.kind = RetryOutcomeRow::Kind::Invalid;
            break;
        }
        m_rows.append(row);
    }
    endResetModel();
}

void RetryOutcomesModel::setReport(const RetryReport &report)
{
    QHash<QString, UserOutcome> byUser;
    for (const UserOutcome &outcome : report.outcomes)
        byUser.insert(outcome.user.toString(), outcome);
    for (RetryOutcomeRow &row : m_rows) {
        if (row.kind != RetryOutcomeRow::Kind::Waiting || !row.user)
            continue;
        const auto it = byUser.constFind(row.user->toString());
        if (it == byUser.constEnd())
            continue;
        row.statusBefore = it->statusBefore;
        switch (it->kind) {
        case UserOutcome::Kind::Moved:
            row.kind = RetryOutcomeRow::Kind::Moved;
            break;
        case UserOutcome::Kind::NotFailed:
            row.kind = RetryOutcomeRow::Kind::NotFailed;
            break;
        case UserOutcome::Kind::NotFound:
            row.kind = RetryOutcomeRow::Kind::NotFound;
            break;
        }
    }
    if (!m_rows.isEmpty())
        emit dataChanged(index(0, 0), index(int(m_rows.size()) - 1, ColumnCount - 1));
}

void RetryOutcomesModel::clear()
{
    beginResetModel();
    m_rows.clear();
    endResetModel();
}

RetryTotals RetryOutcomesModel::totals() const
{
    RetryTotals totals;
    for (const RetryOutcomeRow &row : m_rows) {
        switch (row.kind) {
        case RetryOutcomeRow::Kind::Waiting: ++totals.waiting; break;
        case RetryOutcomeRow::Kind::Moved: ++totals.moved; break;
        case RetryOutcomeRow::Kind::NotFailed: ++totals.notFailed; break;
        case RetryOutcomeRow::Kind::NotFound: ++totals.notFound; break;
        case RetryOutcomeRow::Kind::Duplicate: ++totals.duplicates; break;
        case RetryOutcomeRow::Kind::Invalid: ++totals.invalid; break;
        }
    }
    return totals;
}

QString RetryOutcomesModel::outcomeText(const RetryOutcomeRow &row)
{
    switch (row.kind) {
    case RetryOutcomeRow::Kind::Waiting:
        return tr("not retried yet");
    case RetryOutcomeRow::Kind::Moved:
        return tr("moved to pending");
    case RetryOutcomeRow::Kind::NotFailed:
        return tr("not failed (%1)").arg(statusName(row.statusBefore));
    case RetryOutcomeRow::Kind::NotFound:
        return tr("not found");
    case RetryOutcomeRow::Kind::Duplicate:
        return tr("duplicate of an earlier line");
    case RetryOutcomeRow::Kind::Invalid:
        return tr("invalid line: %1").arg(row.problem);
    }
    return {};
}

int RetryOutcomesModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int RetryOutcomesModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant RetryOutcomesModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_rows.size())
        return {};
    const RetryOutcomeRow &row = m_rows[index.row()];
    if (role == KindRole)
        return int(row.kind);
    if (role == Qt::TextAlignmentRole && index.column() == Line)
        return QVariant(Qt::AlignRight | Qt::AlignVCenter);
    if (role != Qt::DisplayRole && role != SortRole)
        return {};
    switch (Column(index.column())) {
    case Line:
        return role == SortRole ? QVariant(row.line) : QVariant(QString::number(row.line));
    case Input:
        return row.text;
    case User:
        return row.user ? row.user->toString() : QString();
    case Outcome:
        return outcomeText(row);
    case ColumnCount:
        break;
    }
    return {};
}

QVariant RetryOutcomesModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (Column(section)) {
    case Line: return tr("Line");
    case Input: return tr("Pasted");
    case User: return tr("User");
    case Outcome: return tr("Outcome");
    case ColumnCount: break;
    }
    return {};
}

} // namespace mc
