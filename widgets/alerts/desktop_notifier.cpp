#include "desktop_notifier.h"

#include <QApplication>
#include <QDBusConnection>
#include <QDBusPendingCallWatcher>
#include <QDBusPendingReply>
#include <QDBusMessage>
#include <QStyle>
#include <QSystemTrayIcon>

namespace mc::widgets {

namespace {

const QString kService = QStringLiteral("org.freedesktop.Notifications");
const QString kPath = QStringLiteral("/org/freedesktop/Notifications");

} // namespace

DesktopNotifier::DesktopNotifier(QObject *parent) : QObject(parent)
{
    QDBusConnection bus = QDBusConnection::sessionBus();
    if (bus.isConnected()) {
        m_channel = Channel::Freedesktop;
        bus.connect(kService, kPath, kService, QStringLiteral("ActionInvoked"), this,
                    SLOT(onActionInvoked(uint,QString)));
    } else if (QSystemTrayIcon::isSystemTrayAvailable()) {
        m_channel = Channel::Tray;
    }
}

void DesktopNotifier::show(const AlertNotice &notice)
{
    if (m_channel != Channel::Freedesktop) {
        showInTray(notice);
        return;
    }
    QDBusMessage call = QDBusMessage::createMethodCall(kService, kPath, kService,
                                                       QStringLiteral("Notify"));
    const uchar urgency = notice.severity == AlertSeverity::Critical ? 2
                          : notice.severity == AlertSeverity::Warning ? 1
                                                                      : 0;
    call << QStringLiteral("Migration Console") << uint(0) << QStringLiteral("dialog-warning")
         << tr("%1 alert: %2").arg(severityName(notice.severity), notice.rule) << notice.summary
         << QStringList{QStringLiteral("default"), tr("Open")}
         << QVariantMap{{QStringLiteral("urgency"), QVariant::fromValue(urgency)},
                        {QStringLiteral("desktop-entry"), QStringLiteral("migration-console")}}
         << int(-1);
    auto *watcher = new QDBusPendingCallWatcher(QDBusConnection::sessionBus().asyncCall(call),
                                                this);
    connect(watcher, &QDBusPendingCallWatcher::finished, this,
            [this, watcher, notice] {
                watcher->deleteLater();
                const QDBusPendingReply<uint> reply = *watcher;
                if (reply.isError()) {
                    // No notification server on this bus: the tray instead.
                    showInTray(notice);
                    return;
                }
                m_links.insert(reply.value(), notice.link);
                emit shown(notice, Channel::Freedesktop);
            });
}

void DesktopNotifier::showInTray(const AlertNotice &notice)
{
    if (!QSystemTrayIcon::isSystemTrayAvailable())
        return;
    if (!m_tray) {
        m_tray = new QSystemTrayIcon(qApp->style()->standardIcon(QStyle::SP_MessageBoxWarning),
                                     this);
        connect(m_tray, &QSystemTrayIcon::messageClicked, this,
                [this] { emit activated(m_trayLink); });
        m_tray->show();
    }
    m_trayLink = notice.link;
    m_tray->showMessage(tr("%1 alert: %2").arg(severityName(notice.severity), notice.rule),
                        notice.summary,
                        notice.severity == AlertSeverity::Critical ? QSystemTrayIcon::Critical
                                                                   : QSystemTrayIcon::Warning);
    emit shown(notice, Channel::Tray);
}

void DesktopNotifier::onActionInvoked(uint id, const QString &action)
{
    Q_UNUSED(action)
    const auto it = m_links.constFind(id);
    if (it != m_links.constEnd())
        emit activated(*it);
}

} // namespace mc::widgets
