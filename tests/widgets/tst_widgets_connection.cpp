// The connection: a blocked query never freezes the window, an unreachable server shows as such,
// and a dropped connection comes back by itself.

#include "tst_widgets.h"

#include "connection_indicator.h"
#include "console_harness.h"
#include "kpi_strip.h"

#include <QEventLoop>
#include <QSignalSpy>
#include <QTest>
#include <QTimer>

using namespace mc;
using namespace mc::test;

namespace {

bool sawState(const QSignalSpy &spy, ConnectionStatus::State state)
{
    for (const QList<QVariant> &emission : spy)
        if (emission.at(0).value<ConnectionStatus>().state == state)
            return true;
    return false;
}

} // namespace

void WidgetsTest::guiKeepsAnsweringWhileAQueryIsBlocked()
{
    TestDatabase db(m_server);
    auto store = db.installedStore();
    auto writer = db.openWriter();
    seedCatalogue(*writer);
    ConsoleHarness console;
    QVERIFY(console.openAndWait(db.url()));

    // A second connection holds the counter table, so the overview's query waits for it.
    auto locker = db.openWriter();
    const bool postgres = m_server.backend == QLatin1String("postgresql");
    if (postgres) {
        locker->connection().begin();
        locker->connection().execScript(
            QStringLiteral("LOCK TABLE user_status_counts IN ACCESS EXCLUSIVE MODE"));
    } else {
        locker->connection().execScript(QStringLiteral("LOCK TABLES user_status_counts WRITE"));
    }
    // A refresh that read the table before the lock still arrives; give it time, then every
    // later one waits for the lock.
    QTest::qWait(3 * ConsoleHarness::kIntervalMs);
    QSignalSpy arrived(&console.session, &StoreSession::overviewArrived);
    QTRY_VERIFY(console.session.isBusy(RequestKind::Overview)); // the next refresh is on its way

    // For five seconds the event loop must tick every 10 ms, give or take: never 100 ms late.
    QElapsedTimer clock;
    clock.start();
    qint64 last = 0, worst = 0;
    int ticks = 0;
    QTimer ticker;
    ticker.setInterval(10);
    connect(&ticker, &QTimer::timeout, &ticker, [&] {
        const qint64 now = clock.elapsed();
        worst = std::max(worst, now - last);
        last = now;
        ++ticks;
        if (ticks % 50 == 0) // the operator keeps using the window meanwhile
            console.window->showPage(widgets::MainWindow::Page(ticks / 50 % 5));
    });
    ticker.start();
    QEventLoop loop;
    QTimer::singleShot(5000, &loop, &QEventLoop::quit);
    loop.exec();
    ticker.stop();

    QCOMPARE(arrived.count(), 0); // the query really was held the whole time
    QVERIFY(console.session.status().isConnected());
    QVERIFY(console.session.isBusy(RequestKind::Overview));
    if (postgres)
        locker->connection().rollback();
    else
        locker->connection().execScript(QStringLiteral("UNLOCK TABLES"));
    QTRY_VERIFY(arrived.count() >= 1);
    QVERIFY2(worst < 100, qPrintable(QStringLiteral("the event loop stalled for %1 ms").arg(worst)));
    QVERIFY(ticks > 250);
    qInfo("worst event-loop gap while the query was blocked: %lld ms over %d ticks", worst, ticks);
}

void WidgetsTest::unreachableServerShowsDisconnectedAndRetries()
{
    ConsoleHarness console;
    QSignalSpy statuses(&console.session, &StoreSession::statusChanged);
    const QString url = m_server.backend == QLatin1String("postgresql")
                            ? QStringLiteral("postgresql://postgres@127.0.0.1:1/merge")
                            : QStringLiteral("mariadb://mc:mc@127.0.0.1:1/merge");
    console.open(url);
    QTRY_COMPARE(console.session.status().state, ConnectionStatus::State::Retrying);
    QVERIFY(sawState(statuses, ConnectionStatus::State::Connecting));
    QCOMPARE(console.session.status().retryInSeconds, 1);
    QVERIFY(!console.session.status().url.contains(QStringLiteral(":mc@"))); // no password
    const QString shown = console.window->connectionIndicator()->text();
    QVERIFY2(shown.startsWith(QStringLiteral("Disconnected — retrying in 1 s")), qPrintable(shown));
    QVERIFY(!console.session.status().error.isEmpty());

    // It tries again after the wait, then waits longer.
    QTRY_VERIFY_WITH_TIMEOUT(console.session.status().failedAttempts >= 2
                                 && console.session.status().state
                                        == ConnectionStatus::State::Retrying,
                             5000);
    QVERIFY(console.session.status().retryInSeconds >= 1);
    QVERIFY(console.window->connectionIndicator()->text().contains(QStringLiteral("retrying in")));
    QVERIFY(!console.live.hasSnapshot());
    QCOMPARE(console.tileValue(QStringLiteral("kpi_requested")), QStringLiteral("—"));
}

void WidgetsTest::droppedConnectionRecoversByItself()
{
    TestDatabase db(m_server);
    auto store = db.installedStore();
    auto writer = db.openWriter();
    seedCatalogue(*writer);
    writer->addUsers(usersWithStatuses(QStringLiteral("lt"), 10, 1));
    ConsoleHarness console;
    QVERIFY(console.openAndWait(db.url()));
    QTRY_COMPARE(console.tileValue(QStringLiteral("kpi_completed")), QStringLiteral("2"));
    const QString connected = console.window->connectionIndicator()->text();
    QVERIFY2(connected.contains(QStringLiteral(" as ")) && connected.contains(QStringLiteral(" ms"))
                 && connected.contains(QStringLiteral("refreshed")),
             qPrintable(connected));

    // The server drops the console's connection, as on a restart or a failover; meanwhile a
    // worker moves a user on.
    QSignalSpy statuses(&console.session, &StoreSession::statusChanged);
    QVERIFY(killOtherConnections(*writer, m_server.backend) >= 1);
    writer->setUserStatus({QStringLiteral("lt"), 1}, UserStatus::Completed);
    QTRY_VERIFY(sawState(statuses, ConnectionStatus::State::Retrying));

    // It comes back by itself and shows the change.
    QTRY_VERIFY_WITH_TIMEOUT(console.session.status().isConnected(), 10'000);
    QTRY_COMPARE(console.tileValue(QStringLiteral("kpi_completed")), QStringLiteral("3"));
    QVERIFY(console.window->connectionIndicator()->text().contains(QStringLiteral("refreshed")));
}
