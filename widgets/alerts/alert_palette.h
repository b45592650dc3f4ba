#pragma once

// The colours of alert severities, one place for the status bar, the Alerts view and its rows.

#include "alerts.h"

#include <QColor>

namespace mc::widgets {

QColor severityColor(AlertSeverity severity); // critical red, warning amber, info blue
QColor severityColor(const QString &severityName);

} // namespace mc::widgets
