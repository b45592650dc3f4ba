#pragma once

// The Alerts view's tables: each rule with its alert's state (AlertRulesModel) and the latest
// firings (AlertHistoryModel), from AlertsMonitor's snapshot. Qt Core only: the view colours rows
// by kSeverityRole / kPhaseRole.

#include "alerts.h"

#include <QAbstractTableModel>

namespace mc {

inline constexpr int kSeverityRole = Qt::UserRole + 1; // "info", "warning", "critical"
inline constexpr int kPhaseRole = Qt::UserRole + 2;    // "firing", … (rules); "" for history

class AlertRulesModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column { Rule, Severity, State, Since, Figures, Muted, Condition, ColumnCount };

    using QAbstractTableModel::QAbstractTableModel;

    void setSnapshot(const AlertsSnapshot &snapshot);
    const AlertRuleState *ruleAt(int row) const;
    int rowOf(const QString &rule) const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

private:
    QList<AlertRuleState> m_rules;
    EpochMs m_now = 0;
};

class AlertHistoryModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column { Fired, Rule, Severity, Resolved, Figures, ColumnCount };

    using QAbstractTableModel::QAbstractTableModel;

    void setSnapshot(const AlertsSnapshot &snapshot);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

private:
    QList<AlertFiring> m_firings;
    QHash<QString, AlertRule> m_rules;
};

// "2026-12-07 22:10:04" in UTC, or "" for none.
QString alertTimeText(const std::optional<EpochMs> &ms);
// "failure rate ≥ 20 % of ≥ 20 users over 10 min, for 5 min, keeps firing 10 min"
QString ruleConditionText(const AlertRule &rule);

} // namespace mc
