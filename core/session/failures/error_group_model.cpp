#include "error_group_model.h"

#include "failure_table_model.h"
#include "overview_kpis.h"

#include <QLocale>

namespace mc {

namespace {

QString countText(qint64 count)
{
    return count < 0 ? QObject::tr("drift (%1)").arg(count) : QLocale().toString(count);
}

} // namespace

ErrorGroupModel::ErrorGroupModel(QObject *parent) : QAbstractTableModel(parent) {}

void ErrorGroupModel::setGroups(const QList<ErrorGroup> &groups)
{
    beginResetModel();
    m_groups = groups;
    endResetModel();
}

int ErrorGroupModel::rowOfFingerprint(const QString &fingerprint) const
{
    for (int row = 0; row < int(m_groups.size()); ++row)
        if (m_groups[row].fingerprint == fingerprint)
            return row;
    return -1;
}

std::optional<ErrorGroup> ErrorGroupModel::group(const QString &fingerprint) const
{
    const int row = rowOfFingerprint(fingerprint);
    if (row < 0)
        return std::nullopt;
    return m_groups[row];
}

int ErrorGroupModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_groups.size());
}

int ErrorGroupModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant ErrorGroupModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_groups.size())
        return {};
    const ErrorGroup &group = m_groups[index.row()];
    if (role == FingerprintRole)
        return group.fingerprint;
    if (role == Qt::TextAlignmentRole)
        return int(index.column() == Failures || index.column() == Unresolved
                       ? Qt::AlignRight | Qt::AlignVCenter
                       : Qt::AlignLeft | Qt::AlignVCenter);
    const bool drifted = group.failures < 0 || group.unresolved < 0;
    if (role == Qt::ToolTipRole && drifted
        && (index.column() == Failures || index.column() == Unresolved))
        return counterDriftText({QStringLiteral("%1 failures, %2 open")
                                     .arg(group.failures)
                                     .arg(group.unresolved)});
    if (role == Qt::ToolTipRole)
        return index.column() == Pattern ? group.messagePattern
                                         : QStringLiteral("%1\n%2").arg(group.errorClass,
                                                                        group.messagePattern);
    if (role != Qt::DisplayRole && role != SortRole)
        return {};
    const bool raw = role == SortRole;
    switch (index.column()) {
    case ErrorClass:
        return group.errorClass;
    case Pattern:
        return group.messagePattern;
    case Failures: // an impossible (negative) count says drift instead (Verify Counters…)
        return raw ? QVariant(group.failures) : QVariant(countText(group.failures));
    case Unresolved:
        return raw ? QVariant(group.unresolved) : QVariant(countText(group.unresolved));
    case FirstSeen:
        return raw ? QVariant(group.firstSeen)
                   : QVariant(FailureTableModel::timeText(group.firstSeen));
    case LastSeen:
        return raw ? QVariant(group.lastSeen)
                   : QVariant(FailureTableModel::timeText(group.lastSeen));
    case Models:
        return group.models.join(QStringLiteral(", "));
    default:
        return {};
    }
}

QVariant ErrorGroupModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case ErrorClass:
        return tr("Error class");
    case Pattern:
        return tr("Message pattern");
    case Failures:
        return tr("Failures");
    case Unresolved:
        return tr("Unresolved");
    case FirstSeen:
        return tr("First seen");
    case LastSeen:
        return tr("Last seen");
    case Models:
        return tr("Models");
    default:
        return {};
    }
}

} // namespace mc
