#pragma once

// The status bar's alert indicator: hidden while nothing fires; otherwise "● failure_rate
// firing" (or "● 3 alerts firing") in the colour of the most severe one, with each firing alert
// and what tripped it in the tooltip. Clicking it opens the Alerts view.

#include "alerts.h"

#include <QToolButton>

namespace mc::widgets {

class AlertStatusButton : public QToolButton
{
    Q_OBJECT

public:
    explicit AlertStatusButton(QWidget *parent = nullptr);

    void showFiring(const QList<AlertRuleState> &firing); // most severe first
};

} // namespace mc::widgets
