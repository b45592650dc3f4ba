// The console's alerts, offscreen against a real server and a real D-Bus session bus (run under
// dbus-run-session; without a bus the test fails). The test owns org.freedesktop.Notifications on
// a connection of its own, as a notification daemon does, and counts the Notify calls: a firing is
// notified once per login — not once per refresh, not once per console — and its action opens the
// matching view. The status bar shows the firing alert in its severity's colour; the Alerts view
// lists it with its history; a lead's mute stops the next firing's notification.

#include "alert_status_button.h"
#include "alert_test_helpers.h"
#include "alerts_monitor.h"
#include "alerts_page.h"
#include "console_harness.h"
#include "desktop_notifier.h"

#include <QDBusConnection>
#include <QDBusMessage>
#include <QPushButton>
#include <QStatusBar>
#include <QTableView>
#include <QTest>

using namespace mc;
using namespace mc::test;
using mc::widgets::MainWindow;

namespace {

constexpr int kEvaluateMs = 300;

// A notification daemon: what a desktop's would receive.
class NotificationServer : public QObject
{
    Q_OBJECT
    Q_CLASSINFO("D-Bus Interface", "org.freedesktop.Notifications")

public:
    struct Call
    {
        QString summary;
        QString body;
        QStringList actions;
        int urgency = -1;
    };
    QList<Call> calls;

public slots:
    uint Notify(const QString &, uint, const QString &, const QString &summary,
                const QString &body, const QStringList &actions, const QVariantMap &hints, int)
    {
        calls.append({summary, body, actions, hints.value(QStringLiteral("urgency")).toInt()});
        return uint(calls.size());
    }
    QStringList GetCapabilities() { return {QStringLiteral("actions"), QStringLiteral("body")}; }
    void CloseNotification(uint) {}
};

const QString kBusName = QStringLiteral("notification-daemon");

// With MC_ALERTS_SCREENSHOTS set to a folder: the window (or a part) as a PNG there.
void shoot(QWidget *widget, const QString &file)
{
    const QString dir = qEnvironmentVariable("MC_ALERTS_SCREENSHOTS");
    if (!dir.isEmpty() && widget)
        widget->grab().save(dir + QLatin1Char('/') + file);
}

} // namespace

class AlertsConsoleTest : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();
    void aFiringIsNotifiedOncePerLoginAndItsActionOpensItsView();
    void aMutedRuleFiresWithoutANotification();

private:
    std::unique_ptr<ConsoleHarness> console(const TestDatabase &db, const QString &role);

    TestServer m_server;
    NotificationServer m_daemon;
};

void AlertsConsoleTest::initTestCase()
{
    m_server = TestServer::fromEnvironment();
    QVERIFY2(QDBusConnection::sessionBus().isConnected(),
             "no D-Bus session bus: run this test under dbus-run-session (ctest and scripts/test "
             "do)");
    QDBusConnection daemon = QDBusConnection::connectToBus(QDBusConnection::SessionBus, kBusName);
    QVERIFY(daemon.isConnected());
    QVERIFY(daemon.registerObject(QStringLiteral("/org/freedesktop/Notifications"), &m_daemon,
                                  QDBusConnection::ExportAllSlots));
    QVERIFY2(daemon.registerService(QStringLiteral("org.freedesktop.Notifications")),
             "another notification daemon owns org.freedesktop.Notifications on this bus");
}

void AlertsConsoleTest::cleanupTestCase()
{
    QDBusConnection::disconnectFromBus(kBusName);
}

std::unique_ptr<ConsoleHarness> AlertsConsoleTest::console(const TestDatabase &db,
                                                           const QString &role)
{
    auto harness = std::make_unique<ConsoleHarness>();
    harness->window->alertsMonitor()->setIntervalMs(kEvaluateMs);
    harness->open(db.connectionUrlAs(role).toString());
    return harness;
}

void AlertsConsoleTest::aFiringIsNotifiedOncePerLoginAndItsActionOpensItsView()
{
    TestDatabase db(m_server);
    auto owner = databaseWithRule(db, QStringLiteral("stall"), quickStall);
    m_daemon.calls.clear();
    addUsers(*owner, QStringLiteral("lt"), 1, 4, UserStatus::Pending);

    auto qa = console(db, QStringLiteral("qa"));
    MainWindow &window = *qa->window;
    window.resize(1360, 860);
    window.show();
    QCOMPARE(window.notifier()->channel(), mc::widgets::DesktopNotifier::Channel::Freedesktop);
    // The stall fires: one notification, critical, with the figures that tripped it.
    QTRY_COMPARE_WITH_TIMEOUT(m_daemon.calls.size(), 1, 10'000);
    const NotificationServer::Call call = m_daemon.calls.first();
    QCOMPARE(call.summary, QStringLiteral("critical alert: stall"));
    QVERIFY2(call.body.contains(QLatin1String("4 pending")), qPrintable(call.body));
    QCOMPARE(call.urgency, 2);
    QVERIFY(call.actions.contains(QStringLiteral("default")));
    // The status bar says so, in the critical colour.
    mc::widgets::AlertStatusButton *status = window.alertStatus();
    QTRY_VERIFY(!status->isHidden());
    QVERIFY2(status->text().contains(QLatin1String("stall firing")), qPrintable(status->text()));
    QVERIFY(status->styleSheet().contains(QLatin1String("#c62828")));

    // Refreshes do not notify again …
    QTest::qWait(8 * kEvaluateMs);
    QCOMPARE(m_daemon.calls.size(), 1);
    // … nor does a second console of the same login, which shows the same alert …
    auto qaAgain = console(db, QStringLiteral("qa"));
    QTRY_VERIFY(!qaAgain->window->alertStatus()->isHidden());
    QCOMPARE(qaAgain->window->alertsMonitor()->firing().first().status.firingId,
             window.alertsMonitor()->firing().first().status.firingId);
    QTest::qWait(6 * kEvaluateMs);
    QCOMPARE(m_daemon.calls.size(), 1);
    // … while another person's console does, once.
    auto support = console(db, QStringLiteral("support"));
    QTRY_COMPARE_WITH_TIMEOUT(m_daemon.calls.size(), 2, 10'000);
    QTest::qWait(6 * kEvaluateMs);
    QCOMPARE(m_daemon.calls.size(), 2);

    // Its action opens the console on the matching view (a stall: the queues, in Controls).
    window.showPage(MainWindow::Page::Overview);
    QDBusMessage invoked = QDBusMessage::createSignal(
        QStringLiteral("/org/freedesktop/Notifications"),
        QStringLiteral("org.freedesktop.Notifications"), QStringLiteral("ActionInvoked"));
    invoked << uint(1) << QStringLiteral("default");
    QVERIFY(QDBusConnection(kBusName).send(invoked));
    QTRY_COMPARE(window.currentPage(), MainWindow::Page::Controls);

    // The Alerts view: the rule firing, and its firing in the history.
    window.showPage(MainWindow::Page::Alerts);
    QTableView *rules = window.alertsPage()->rulesView();
    QTRY_VERIFY(rules->model()->rowCount() == 4);
    bool shown = false;
    for (int row = 0; row < rules->model()->rowCount(); ++row)
        if (rules->model()->index(row, 0).data().toString() == QLatin1String("stall")) {
            shown = true;
            QCOMPARE(rules->model()->index(row, 2).data().toString(), QStringLiteral("firing"));
            rules->selectRow(row);
        }
    QVERIFY(shown);
    QCOMPARE(window.alertsPage()->historyView()->model()->rowCount(), 1);
    // A qa login may not mute or disable: disabled, with why.
    QVERIFY(!window.alertsPage()->muteButton()->isEnabled());
    QVERIFY(window.alertsPage()->muteButton()->toolTip().startsWith(QLatin1String("Needs mc_lead")));
    rules->clearSelection();
    rules->setCurrentIndex({});
    shoot(&window, QStringLiteral("alerts-view.png"));
}

void AlertsConsoleTest::aMutedRuleFiresWithoutANotification()
{
    TestDatabase db(m_server);
    auto owner = databaseWithRule(db, QStringLiteral("stall"), quickStall);
    // A lead mutes the rule for an hour (audited), then it fires.
    auto lead = db.openStoreAs(QStringLiteral("lead"));
    AlertRuleChange mute;
    const Result<AlertsSnapshot> rules = lead->alerts({});
    QVERIFY(rules.ok());
    for (const AlertRuleState &entry : rules->rules)
        if (entry.rule.name == QLatin1String("stall"))
            mute.rule = entry.rule;
    mute.muteS = 3600;
    mute.reason = QStringLiteral("known outage");
    QVERIFY(lead->setAlertRule(mute).ok());
    m_daemon.calls.clear();
    addUsers(*owner, QStringLiteral("lt"), 1, 2, UserStatus::Pending);

    auto qa = console(db, QStringLiteral("qa"));
    QTRY_VERIFY_WITH_TIMEOUT(!qa->window->alertStatus()->isHidden(), 10'000);
    QTest::qWait(6 * kEvaluateMs);
    QCOMPARE(m_daemon.calls.size(), 0);
    QCOMPARE(scalar(*owner, QStringLiteral("SELECT COUNT(*) FROM alert_notices")), 0);
}

QTEST_MAIN(AlertsConsoleTest)
#include "tst_alerts_console.moc"
