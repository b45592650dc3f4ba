#include "alert_status_button.h"

#include "alert_evaluator.h"
#include "alert_palette.h"

namespace mc::widgets {

AlertStatusButton::AlertStatusButton(QWidget *parent) : QToolButton(parent)
{
    setObjectName(QStringLiteral("alertStatus"));
    setAutoRaise(true);
    setCursor(Qt::PointingHandCursor);
    hide();
}

void AlertStatusButton::showFiring(const QList<AlertRuleState> &firing)
{
    if (firing.isEmpty()) {
        hide();
        setText({});
        setToolTip({});
        return;
    }
    const AlertRuleState &worst = firing.first();
    setText(firing.size() == 1
                ? tr("● %1 firing (%2)").arg(worst.rule.name, severityName(worst.rule.severity))
                : tr("● %1 alerts firing, %2 (%3)…")
                      .arg(firing.size())
                      .arg(worst.rule.name, severityName(worst.rule.severity)));
    const QColor color = severityColor(worst.rule.severity);
    setStyleSheet(QStringLiteral("QToolButton { color: white; background: %1; font-weight: bold; "
                                 "border-radius: 3px; padding: 1px 8px; }")
                      .arg(color.name()));
    QStringList lines;
    for (const AlertRuleState &entry : firing)
        lines << QStringLiteral("%1 (%2): %3")
                     .arg(entry.rule.name, severityName(entry.rule.severity),
                          figuresSummary(entry.rule, entry.status.figures));
    setToolTip(lines.join(QLatin1Char('\n')) + tr("\nClick to open the Alerts view."));
    show();
}

} // namespace mc::widgets
