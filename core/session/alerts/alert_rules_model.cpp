#include "alert_rules_model.h"

#include "alert_evaluator.h"

#include <QDateTime>

namespace mc {

namespace {

QString seconds(int s)
{
    if (s >= 3600 && s % 3600 == 0)
        return QStringLiteral("%1 h").arg(s / 3600);
    if (s >= 60 && s % 60 == 0)
        return QStringLiteral("%1 min").arg(s / 60);
    return QStringLiteral("%1 s").arg(s);
}

} // namespace

QString alertTimeText(const std::optional<EpochMs> &ms)
{
    if (!ms)
        return {};
    return QDateTime::fromMSecsSinceEpoch(*ms, Qt::UTC)
        .toString(QStringLiteral("yyyy-MM-dd HH:mm:ss"));
}

QString ruleConditionText(const AlertRule &rule)
{
    QString condition;
    switch (rule.kind) {
    case AlertKind::FailureRate:
        condition = QStringLiteral("failure rate ≥ %1 % of ≥ %2 users finished")
                        .arg(rule.threshold)
                        .arg(rule.minCount);
        break;
    case AlertKind::FallingBehind:
        condition = QStringLiteral("%1 grows at parallelism")
                        .arg(rule.scope.isEmpty() ? QStringLiteral("a queue")
                                                  : QStringLiteral("queue ") + rule.scope);
        break;
    case AlertKind::Stall:
        condition = QStringLiteral("no user completed while users are pending");
        break;
    case AlertKind::PlanHalted:
        condition = QStringLiteral("a guarded plan halted");
        break;
    }
    return QStringLiteral("%1 over %2, for %3, keeps firing %4")
        .arg(condition, seconds(rule.windowS), seconds(rule.forS), seconds(rule.keepFiringS));
}

void AlertRulesModel::setSnapshot(const AlertsSnapshot &snapshot)
{
    beginResetModel();
    m_rules = snapshot.rules;
    m_now = snapshot.inputs.now;
    endResetModel();
}

const AlertRuleState *AlertRulesModel::ruleAt(int row) const
{
    return row >= 0 && row < m_rules.size() ? &m_rules[row] : nullptr;
}

int AlertRulesModel::rowOf(const QString &rule) const
{
    for (int row = 0; row < m_rules.size(); ++row)
        if (m_rules[row].rule.name == rule)
            return row;
    return -1;
}

int AlertRulesModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rules.size());
}

int AlertRulesModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant AlertRulesModel::data(const QModelIndex &index, int role) const
{
    const AlertRuleState *entry = ruleAt(index.row());
    if (!entry)
        return {};
    const AlertRule &rule = entry->rule;
    const AlertStatus &status = entry->status;
    if (role == kSeverityRole)
        return severityName(rule.severity);
    if (role == kPhaseRole)
        return rule.enabled ? alertPhaseName(status.phase) : QStringLiteral("disabled");
    if (role != Qt::DisplayRole && role != Qt::ToolTipRole)
        return {};
    switch (Column(index.column())) {
    case Rule:
        return rule.name;
    case Severity:
        return severityName(rule.severity);
    case State:
        if (!rule.enabled)
            return tr("disabled");
        if (status.phase == AlertPhase::Firing && status.clearedAt)
            return tr("firing (clearing)");
        return alertPhaseName(status.phase);
    case Since:
        return alertTimeText(status.phase == AlertPhase::Resolved ? status.resolvedAt
                                                                  : status.since);
    case Figures:
        return status.figures.isEmpty() ? QString() : figuresSummary(rule, status.figures);
    case Condition:
        return ruleConditionText(rule);
    case Muted:
        return rule.mutedAt(m_now) ? tr("until %1").arg(alertTimeText(rule.mutedUntil))
                                   : QString();
    case ColumnCount:
        break;
    }
    return {};
}

QVariant AlertRulesModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    static const char *const names[] = {"Rule", "Severity", "State", "Since (UTC)",
                                        "What tripped it", "Muted", "Condition"};
    return section >= 0 && section < ColumnCount ? tr(names[section]) : QVariant();
}

void AlertHistoryModel::setSnapshot(const AlertsSnapshot &snapshot)
{
    beginResetModel();
    m_firings = snapshot.history;
    m_rules.clear();
    for (const AlertRuleState &entry : snapshot.rules)
        m_rules.insert(entry.rule.name, entry.rule);
    endResetModel();
}

int AlertHistoryModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_firings.size());
}

int AlertHistoryModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant AlertHistoryModel::data(const QModelIndex &index, int role) const
{
    if (index.row() < 0 || index.row() >= m_firings.size())
        return {};
    const AlertFiring &firing = m_firings[index.row()];
    if (role == kSeverityRole)
        return severityName(firing.severity);
    if (role == kPhaseRole)
        return firing.resolvedAt ? QStringLiteral("resolved") : QStringLiteral("firing");
    if (role != Qt::DisplayRole && role != Qt::ToolTipRole)
        return {};
    switch (Column(index.column())) {
    case Fired:
        return alertTimeText(firing.firedAt);
    case Rule:
        return firing.rule;
    case Severity:
        return severityName(firing.severity);
    case Resolved:
        return firing.resolvedAt ? alertTimeText(firing.resolvedAt) : tr("still firing");
    case Figures: {
        AlertRule rule = m_rules.value(firing.rule);
        rule.name = firing.rule;
        return figuresSummary(rule, firing.figures);
    }
    case ColumnCount:
        break;
    }
    return {};
}

QVariant AlertHistoryModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    static const char *const names[] = {"Fired (UTC)", "Rule", "Severity", "Resolved (UTC)",
                                        "What tripped it"};
    return section >= 0 && section < ColumnCount ? tr(names[section]) : QVariant();
}

} // namespace mc
