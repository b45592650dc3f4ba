#include "status_badge.h"

namespace mc::widgets {

StatusBadge::StatusBadge(QWidget *parent) : QLabel(parent)
{
    setAlignment(Qt::AlignCenter);
    setSizePolicy(QSizePolicy::Fixed, QSizePolicy::Fixed);
    QFont bold = font();
    bold.setBold(true);
    setFont(bold);
    clearStatus();
}

QColor StatusBadge::colorOf(UserStatus status)
{
    switch (status) {
    case UserStatus::Nil: return QColor(0x80, 0x86, 0x8f);
    case UserStatus::Pending: return QColor(0x2f, 0x6f, 0xc8);
    case UserStatus::InProgress: return QColor(0xc7, 0x7c, 0x02);
    case UserStatus::Completed: return QColor(0x2a, 0x8c, 0x47);
    case UserStatus::Failed: return QColor(0xc8, 0x32, 0x2e);
    }
    return {};
}

void StatusBadge::setStatus(UserStatus status)
{
    m_status = status;
    setText(statusName(status).replace(QLatin1Char('_'), QLatin1Char(' ')));
    setStyleSheet(QStringLiteral("QLabel { color: white; background: %1; border-radius: 4px; "
                                 "padding: 2px 10px; }")
                      .arg(colorOf(status).name()));
    setToolTip(tr("Status: %1").arg(statusName(status)));
}

void StatusBadge::clearStatus()
{
    m_status.reset();
    setText(QStringLiteral("—"));
    setStyleSheet(QStringLiteral("QLabel { padding: 2px 10px; }"));
    setToolTip({});
}

} // namespace mc::widgets
