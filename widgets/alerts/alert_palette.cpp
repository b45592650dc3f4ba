#include "alert_palette.h"

namespace mc::widgets {

QColor severityColor(AlertSeverity severity)
{
    switch (severity) {
    case AlertSeverity::Critical:
        return QColor(0xc6, 0x28, 0x28);
    case AlertSeverity::Warning:
        return QColor(0xe0, 0x8a, 0x00);
    case AlertSeverity::Info:
        break;
    }
    return QColor(0x15, 0x65, 0xc0);
}

QColor severityColor(const QString &severityName)
{
    return severityColor(severityFromName(severityName).value_or(AlertSeverity::Info));
}

} // namespace mc::widgets
