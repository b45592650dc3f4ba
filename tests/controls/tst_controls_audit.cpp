// The audit watcher: what another operator does arrives within one poll interval, history does
// not, and the Controls page refreshes at once when a queue changes.

#include "tst_controls.h"

#include "audit_notice.h"
#include "audit_service.h"
#include "audit_watcher.h"
#include "controls_console.h"

#include <QElapsedTimer>
#include <QSignalSpy>
#include <QTest>

using namespace mc;
using namespace mc::test;

void ControlsTest::watcherAnnouncesAnotherOperatorsChange()
{
    TestDatabase db(m_server);
    auto store = db.installedStore(); // writes an install_schema entry: history
    auto writer = db.openWriter();
    seedCatalogue(*writer);
    const auto info = store->serverInfo();
    REQUIRE_OK(info);

    constexpr int kPollMs = 300;
    // One poll interval, plus what the query itself may take on a machine shared with builds.
    constexpr int kWithinMs = kPollMs + 900;
    Database database;
    AuditService service(&database);
    AuditWatcher watcher(&service);
    watcher.setIntervalMs(kPollMs);
    QSignalSpy started(&watcher, &AuditWatcher::watchingStarted);
    QSignalSpy notices(&watcher, &AuditWatcher::notice);
    QSignalSpy entries(&watcher, &AuditWatcher::newEntries);
    database.open(db.url());
    QTRY_COMPARE(started.count(), 1);
    QVERIFY(started.at(0).at(0).toLongLong() > 0);

    // A Controls page that would only refresh every 30 s, told by the watcher instead.
    ControlsConsole console(db.url(), QStringLiteral("console-a"));
    QVERIFY(console.waitLoaded());
    console.page.setRefreshIntervalMs(30'000);
    console.page.setAuditWatcher(&watcher);
    QTest::qWait(3 * kPollMs);
    QCOMPARE(notices.count(), 0); // history is not announced

    QueueChange change;
    change.queue = QStringLiteral("serialize");
    change.parallelism = 6;
    change.reason = QStringLiteral("night shift");
    change.by = Operator{QStringLiteral("bob")};
    REQUIRE_OK(store->updateQueue(change));
    QElapsedTimer clock;
    clock.start();
    QTRY_VERIFY_WITH_TIMEOUT(notices.count() == 1, kWithinMs);
    QVERIFY2(clock.elapsed() <= kWithinMs, qPrintable(QString::number(clock.elapsed())));
    QCOMPARE(notices.at(0).at(0).toString(),
             QStringLiteral("bob (db: %1) set parallelism of serialize 4 → 6: night shift")
                 .arg(info->databaseUser));
    QCOMPARE(entries.count(), 1);
    const auto announced = entries.at(0).at(0).value<QList<AuditEntry>>();
    QCOMPARE(announced.size(), 1);
    QCOMPARE(announced[0].action, QStringLiteral("set_queue"));
    QCOMPARE(*watcher.lastSeenId(), announced[0].id);

    // The page refreshed at once, long before its own 30 s.
    QTRY_COMPARE_WITH_TIMEOUT(
        console.cell(QStringLiteral("serialize"), QueueSettingsModel::Parallelism)
            .data()
            .toString(),
        QStringLiteral("6"), 2000);

    // Several changes in quick succession: every one announced once, oldest first.
    for (int parallelism : {7, 8, 9}) {
        change.parallelism = parallelism;
        REQUIRE_OK(store->updateQueue(change));
    }
    QTRY_VERIFY_WITH_TIMEOUT(notices.count() >= 2, kWithinMs);
    QTRY_COMPARE_WITH_TIMEOUT(watcher.lastSeenId(), std::optional<qint64>(announced[0].id + 3),
                              kWithinMs);
    QList<AuditEntry> later;
    for (int i = 1; i < entries.count(); ++i)
        later += entries.at(i).at(0).value<QList<AuditEntry>>();
    QCOMPARE(later.size(), 3);
    QVERIFY(later[0].id < later[1].id && later[1].id < later[2].id);
    QVERIFY(notices.last().at(0).toString().contains(QStringLiteral("8 → 9")));

    // Disconnected: no more polling, no more notices.
    database.close();
    QVERIFY(!watcher.isWatching());
    change.parallelism = 10;
    REQUIRE_OK(store->updateQueue(change));
    const qsizetype before = notices.count();
    QTest::qWait(3 * kPollMs);
    QCOMPARE(notices.count(), before);
}
