#include "plan_list_model.h"

namespace mc {

void PlanListModel::setPlans(const QList<Plan> &plans)
{
    // The same plans in the same order: only the cells change, the selection stays.
    bool sameRows = plans.size() == m_plans.size();
    for (qsizetype i = 0; sameRows && i < plans.size(); ++i)
        sameRows = plans.at(i).id == m_plans.at(i).id;
    if (sameRows) {
        m_plans = plans;
        if (!m_plans.isEmpty())
            emit dataChanged(index(0, 0), index(rowCount() - 1, ColumnCount - 1));
        return;
    }
    beginResetModel();
    m_plans = plans;
    endResetModel();
}

int PlanListModel::rowOf(qint64 planId) const
{
    for (qsizetype i = 0; i < m_plans.size(); ++i)
        if (m_plans.at(i).id == planId)
            return int(i);
    return -1;
}

int PlanListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_plans.size());
}

int PlanListModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QString PlanListModel::progressText(const Plan &p)
{
    if (p.kind == PlanKind::Ramp)
        return tr("flag at %1 %").arg(basisPointsText(p.reachedBasisPoints));
    return tr("%1 of %2 moved").arg(p.moved).arg(p.usersTotal);
}

QString PlanListModel::rateText(const Plan &p)
{
    return tr("%1 failed of %2 (%3 %)")
        .arg(p.figures.failed)
        .arg(p.figures.finished)
        .arg(basisPointsText(p.figures.rateBasisPoints()));
}

QVariant PlanListModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_plans.size())
        return {};
    const Plan &p = m_plans.at(index.row());
    if (role == PlanIdRole)
        return p.id;
    if (role == Qt::ToolTipRole)
        return p.haltReason.isEmpty() ? p.reason : p.haltReason;
    if (role == Qt::TextAlignmentRole && index.column() == Id)
        return int(Qt::AlignRight | Qt::AlignVCenter);
    if (role != Qt::DisplayRole)
        return {};
    switch (Column(index.column())) {
    case Id:
        return p.id;
    case Kind:
        return p.kind == PlanKind::Retry ? tr("guarded retry") : tr("rollout ramp");
    case State:
        return planStateName(p.state);
    case Step:
        return tr("%1 of %2 (%3)")
            .arg(p.step + 1)
            .arg(p.steps.size())
            .arg(p.steps.value(p.step).text());
    case Progress:
        return progressText(p);
    case FailureRate:
        return rateText(p);
    case HaltAbove:
        return tr("%1 %").arg(basisPointsText(p.haltAboveBasisPoints));
    case Selection:
        return p.selection;
    case ColumnCount:
        break;
    }
    return {};
}

QVariant PlanListModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    static const char *const names[] = {"Plan", "Kind", "State", "Step", "Progress",
                                        "Failed of finished", "Halts above", "Working on"};
    return section >= 0 && section < ColumnCount ? tr(names[section]) : QVariant();
}

} // namespace mc
