#pragma once

// Shows an alert's desktop notification, whose action opens the console on the matching view:
// freedesktop notifications over the D-Bus session bus (org.freedesktop.Notifications) where a
// session bus exists, otherwise a QSystemTrayIcon message, otherwise nothing but the status bar.
// Never waits: the D-Bus call is asynchronous, and a notification server that answers with an
// error makes the tray show it instead.

#include "alerts_monitor.h"

#include <QHash>
#include <QObject>

class QSystemTrayIcon;

namespace mc::widgets {

class DesktopNotifier : public QObject
{
    Q_OBJECT

public:
    enum class Channel { Freedesktop, Tray, None };

    explicit DesktopNotifier(QObject *parent = nullptr);

    Channel channel() const { return m_channel; }
    void show(const AlertNotice &notice);

signals:
    void activated(const QString &link); // the notification (or its Open action) was clicked
    void shown(const mc::AlertNotice &notice, mc::widgets::DesktopNotifier::Channel channel);

private slots:
    void onActionInvoked(uint id, const QString &action);

private:
    void showInTray(const AlertNotice &notice);

    Channel m_channel = Channel::None;
    QSystemTrayIcon *m_tray = nullptr;
    QHash<uint, QString> m_links; // notification id → link
    QString m_trayLink;
};

} // namespace mc::widgets
