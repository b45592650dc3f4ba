#pragma once

// A user migration's status as a small coloured badge: grey nil, blue pending, amber in progress,
// green completed, red failed.

#include "domain.h"

#include <QLabel>

namespace mc::widgets {

class StatusBadge : public QLabel
{
    Q_OBJECT

public:
    explicit StatusBadge(QWidget *parent = nullptr);

    void setStatus(UserStatus status);
    void clearStatus();
    std::optional<UserStatus> status() const { return m_status; }

    static QColor colorOf(UserStatus status);

private:
    std::optional<UserStatus> m_status;
};

} // namespace mc::widgets
