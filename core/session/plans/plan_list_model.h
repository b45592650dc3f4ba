#pragma once

// The plans as a table (newest first): kind, state, step, progress, failure rate against the
// threshold, what it works on. Replaced whole on each read; selection survives by plan id.

#include "plans.h"

#include <QAbstractTableModel>

namespace mc {

class PlanListModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column { Id, Kind, State, Step, Progress, FailureRate, HaltAbove, Selection, ColumnCount };
    static constexpr int PlanIdRole = Qt::UserRole + 1;

    using QAbstractTableModel::QAbstractTableModel;

    void setPlans(const QList<Plan> &plans);
    const QList<Plan> &plans() const { return m_plans; }
    int rowOf(qint64 planId) const; // -1 when absent

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

    // "12 of 400 moved" / "flag at 25 %"; "3 failed of 40 (7.5 %)".
    static QString progressText(const Plan &plan);
    static QString rateText(const Plan &plan);

private:
    QList<Plan> m_plans;
};

} // namespace mc
