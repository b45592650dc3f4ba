// The overview on a real database: tiles, table, range changes, markers, charts.

#include "tst_widgets.h"

#include "console_harness.h"
#include "kpi_strip.h"
#include "overview_charts_panel.h"
#include "overview_page.h"
#include "throughput_chart.h"

#include <QAbstractItemModelTester>
#include <QAction>
#include <QSignalSpy>
#include <QSortFilterProxyModel>
#include <QTableView>
#include <QTest>

#include <qcustomplot.h>

using namespace mc;
using namespace mc::test;

namespace {

QAction *rangeAction(ConsoleHarness &console, const QString &label)
{
    for (QAction *action : console.window->overviewPage()->rangeActions())
        if (action->text() == label)
            return action;
    qFatal("no range action %s", qPrintable(label));
}

qint64 recordsIn(const ThroughputWindow &window)
{
    qint64 sum = 0;
    for (const ThroughputPoint &point : window.points())
        sum += point.recordsCreated;
    return sum;
}

QStringList rowTexts(const QAbstractItemModel &model, int row)
{
    QStringList texts;
    for (int c = 0; c < model.columnCount(); ++c)
        texts << model.index(row, c).data().toString();
    return texts;
}

} // namespace

void WidgetsTest::tilesAndTableShowWhatTheDatabaseHolds()
{
    TestDatabase db(m_server);
    auto store = db.installedStore();
    auto writer = db.openWriter();
    seedCatalogue(*writer);
    writer->addUsers(usersWithStatuses(QStringLiteral("lt"), 23, 1)); // 5,5,5,4,4 by status
    writer->addUsers(usersWithStatuses(QStringLiteral("de"), 7, 1));  // 2,2,1,1,1
    // Four users completed in the last hour, in 10, 20, 30 and 40 s.
    const EpochMs now = serverNow(*store);
    std::vector<NewUser> timed;
    for (int i = 1; i <= 4; ++i) {
        NewUser user;
        user.user = {QStringLiteral("de"), 100 + i};
        user.status = UserStatus::Completed;
        user.startedAt = now - 600'000;
        user.finishedAt = now - 600'000 + i * 10'000;
        timed.push_back(user);
    }
    writer->addUsers(timed);
    writer->setProgress({QStringLiteral("lt"), 1}, 2, 100, 80, 60, 3);
    writer->setProgress({QStringLiteral("lt"), 2}, 2, 60, 55, 52, 1);
    writer->setProgress({QStringLiteral("de"), 1}, 3, 10, 0, 0, 0);
    // Two users completed in every bucket of the last two minutes: 12 a minute, whichever
    // minute is the last complete one when the console looks.
    const EpochMs bucket = alignDown(now, kBaseBucketMs);
    for (int k = 0; k <= 12; ++k)
        writer->addSample({bucket - k * kBaseBucketMs, 0, QStringLiteral("create_high"), 0, 0, 0,
                           2, 0, 3, 1});

    ConsoleHarness console;
    QAbstractItemModelTester modelTester(console.live.progressModel(),
                                         QAbstractItemModelTester::FailureReportingMode::QtTest);
    QAbstractItemModelTester proxyTester(console.window->overviewPage()->progressProxy(),
                                         QAbstractItemModelTester::FailureReportingMode::QtTest);
    QVERIFY(console.openAndWait(db.url()));

    QCOMPARE(console.tileValue(QStringLiteral("kpi_requested")), QStringLiteral("34"));
    QCOMPARE(console.tileDetail(QStringLiteral("kpi_requested")), QStringLiteral("7 not started"));
    QCOMPARE(console.tileValue(QStringLiteral("kpi_pending")), QStringLiteral("7"));
    QCOMPARE(console.tileValue(QStringLiteral("kpi_in_progress")), QStringLiteral("6"));
    QCOMPARE(console.tileValue(QStringLiteral("kpi_completed")), QStringLiteral("9"));
    QCOMPARE(console.tileValue(QStringLiteral("kpi_failed")), QStringLiteral("5"));
    QCOMPARE(console.tileDetail(QStringLiteral("kpi_failed")), QStringLiteral("35.7 % of finished"));
    QCOMPARE(console.tileValue(QStringLiteral("kpi_rate")), QStringLiteral("12.0"));
    QCOMPARE(console.tileValue(QStringLiteral("kpi_eta")), QStringLiteral("1 m 05 s")); // 13 ÷ 12/min
    // percentile_disc over 10, 20, 30, 40 s: the smallest with at least p of the users at or below.
    QTRY_COMPARE(console.tileValue(QStringLiteral("kpi_duration")),
                 QStringLiteral("20 s / 40 s / 40 s"));
    QCOMPARE(console.tileDetail(QStringLiteral("kpi_duration")),
             QStringLiteral("p50 / p95 / p99 of 4 users"));

    // The table, row by row in migration order, as the database's counters hold it.
    QSortFilterProxyModel *table = console.window->overviewPage()->progressProxy();
    QCOMPARE(table->rowCount(), 3);
    QCOMPARE(rowTexts(*table, 0), QStringList({"1", "users", "0", "0", "0", "0", "—", "—"}));
    QCOMPARE(rowTexts(*table, 1),
             QStringList({"2", "items", "160", "135", "112", "4", "70.0 %", "3.4 %"}));
    QCOMPARE(rowTexts(*table, 2),
             QStringList({"3", "followers", "10", "0", "0", "0", "0.0 %", "—"}));
    console.window->overviewPage()->progressTable()->sortByColumn(ModelProgressModel::Created,
                                                                  Qt::DescendingOrder);
    QCOMPARE(table->index(0, ModelProgressModel::ModelName).data().toString(),
             QStringLiteral("items"));

    // A worker moves on: the next refresh shows it, the sorted table follows.
    writer->setUserStatus({QStringLiteral("lt"), 2}, UserStatus::Completed); // was pending
    writer->setProgress({QStringLiteral("de"), 1}, 3, 10, 10, 200, 0);
    QTRY_COMPARE(console.tileValue(QStringLiteral("kpi_completed")), QStringLiteral("10"));
    QCOMPARE(console.tileValue(QStringLiteral("kpi_pending")), QStringLiteral("6"));
    QTRY_COMPARE(table->index(0, ModelProgressModel::ModelName).data().toString(),
                 QStringLiteral("followers"));
    QCOMPARE(console.live.progressModel()->rowCount(), 3);

    // Disconnected on purpose: the old figures go away instead of misleading.
    console.session.close();
    QCOMPARE(console.tileValue(QStringLiteral("kpi_requested")), QStringLiteral("—"));
    QCOMPARE(table->rowCount(), 0);
}

void WidgetsTest::rangeChangeRequeriesAndRefreshFetchesOnlyNewBuckets()
{
    TestDatabase db(m_server);
    auto store = db.installedStore();
    auto writer = db.openWriter();
    seedCatalogue(*writer);
    const EpochMs bucket = alignDown(serverNow(*store), kBaseBucketMs);
    for (int k = 1; k <= 60; ++k) // the last ten minutes: 1 record/s
        writer->addSample({bucket - k * kBaseBucketMs, 2, QString(), 10, 0, 0, 0, 0, 0, 0});
    writer->addSample({bucket - 5 * 3'600'000, 2, QString(), 300, 0, 0, 0, 0, 0, 0}); // 5 h ago

    ConsoleHarness console;
    QVERIFY(console.openAndWait(db.url()));
    QCOMPARE(console.live.range().label, QStringLiteral("1 h"));
    QCOMPARE(console.live.lastMergedQuery().resolutionSeconds, 10);
    QCOMPARE(console.live.throughput().points().size(), 60);
    widgets::ThroughputChart *records = console.chart(QStringLiteral("chart_records"));
    QTRY_COMPARE(records->seriesNames(), QStringList{QStringLiteral("items")});
    QTRY_VERIFY(qAbs(records->visibleUntil() - records->visibleFrom() - 3600) <= 20);

    // A refresh asks for the newest buckets only, not the whole hour again.
    QSignalSpy changed(&console.live, &LiveOverview::throughputChanged);
    QTRY_VERIFY(changed.count() >= 1 && !changed.last().at(0).toBool());
    const ThroughputQuery refresh = console.live.lastMergedQuery();
    QVERIFY2(refresh.until - refresh.from <= 3 * kBaseBucketMs,
             qPrintable(QStringLiteral("asked %1 ms").arg(refresh.until - refresh.from)));
    QCOMPARE(console.live.throughput().points().size(), 60);

    // Six hours: the server groups by 30 s and the sample of five hours ago comes into view.
    rangeAction(console, QStringLiteral("6 h"))->trigger();
    QTRY_VERIFY(console.live.throughput().isLoaded()
                && console.live.lastMergedQuery().resolutionSeconds == 30);
    QCOMPARE(console.live.range().label, QStringLiteral("6 h"));
    QVERIFY(console.live.lastMergedQuery().until - console.live.lastMergedQuery().from
            >= 6 * 3'600'000);
    QCOMPARE(console.live.throughput().points().first().recordsCreated, 300);
    QCOMPARE(recordsIn(console.live.throughput()), 300 + 600);
    QVERIFY(console.live.throughput().points().size() <= 1 + 21); // 60 buckets of 10 s in 30 s
    QTRY_VERIFY(qAbs(records->visibleUntil() - records->visibleFrom() - 6 * 3600) <= 60);

    // Two quick changes: only the newest range's answer is used.
    QList<int> merged;
    QObject mergedGuard; // the connection ends with the list, before the console goes
    connect(&console.live, &LiveOverview::throughputChanged, &mergedGuard,
            [&] { merged << console.live.lastMergedQuery().resolutionSeconds; });
    rangeAction(console, QStringLiteral("24 h"))->trigger();
    rangeAction(console, QStringLiteral("7 d"))->trigger();
    QTRY_VERIFY(console.live.throughput().isLoaded()
                && console.live.lastMergedQuery().resolutionSeconds == 600);
    QVERIFY2(!merged.contains(120), "an answer for the superseded 24 h range was used");
    QCOMPARE(recordsIn(console.live.throughput()), 300 + 600);
    QVERIFY(console.live.throughput().points().size() <= 3); // 5 h ago, the last 10 min
}

void WidgetsTest::auditEntriesBecomeMarkers()
{
    TestDatabase db(m_server);
    auto store = db.installedStore();
    auto writer = db.openWriter();
    seedCatalogue(*writer);

    ConsoleHarness console;
    QVERIFY(console.openAndWait(db.url()));
    for (widgets::ThroughputChart *chart : console.charts()->charts())
        QCOMPARE(chart->markerCount(), 0);

    QueueChange change;
    change.queue = QStringLiteral("create_high");
    change.parallelism = 16;
    change.reason = QStringLiteral("more workers for the influx");
    change.by = tester();
    REQUIRE_OK(store->updateQueue(change));
    RolloutChange rollout;
    rollout.flag = QStringLiteral("merge");
    rollout.portal = QStringLiteral("lt");
    rollout.basisPoints = 1000;
    rollout.reason = QStringLiteral("second step");
    rollout.by = tester();
    REQUIRE_OK(store->setRollout(rollout));

    for (widgets::ThroughputChart *chart : console.charts()->charts())
        QTRY_COMPARE(chart->markerCount(), 2);
    const QList<OperatorMarker> &markers = console.live.markers();
    QCOMPARE(markers[0].label, QStringLiteral("create_high: parallelism 8 → 16"));
    QCOMPARE(markers[1].label, QStringLiteral("rollout lt: 5.00 → 10.00 %"));

    // Hovering a marker tells who did what and why.
    widgets::ThroughputChart *chart = console.chart(QStringLiteral("chart_queues"));
    QTRY_VERIFY(chart->visibleUntil() * 1000 >= double(markers[1].at));
    const QString tip = chart->toolTipAt(double(markers[0].at) / 1000.0);
    QVERIFY2(tip.contains(QStringLiteral("more workers for the influx"))
                 && tip.contains(QStringLiteral("contract-tester"))
                 && tip.contains(QStringLiteral("parallelism 8 → 16")),
             qPrintable(tip));

    // A refresh does not duplicate them.
    QSignalSpy refreshed(&console.session, &StoreSession::auditArrived);
    QTRY_VERIFY(refreshed.count() >= 2);
    QCOMPARE(console.live.markers().size(), 2);
}

void WidgetsTest::chartsShowTheSamplesWithTooltips()
{
    TestDatabase db(m_server);
    auto store = db.installedStore();
    auto writer = db.openWriter();
    seedCatalogue(*writer);
    const EpochMs bucket = alignDown(serverNow(*store), kBaseBucketMs);
    for (int k = 1; k <= 30; ++k) {
        const EpochMs at = bucket - k * kBaseBucketMs;
        writer->addSample({at, 1, QString(), 20, 0, 0, 0, 0, 0, 0});
        writer->addSample({at, 2, QString(), 30, 1, 0, 0, 0, 0, 0});
        writer->addSample({at, 0, QStringLiteral("serialize"), 0, 0, 1, 0, 0, 12, 4});
    }

    ConsoleHarness console;
    console.live.setRange(TimeRange::fromPreset(TimeRange::Preset::Minutes15));
    QVERIFY(console.openAndWait(db.url()));
    widgets::ThroughputChart *records = console.chart(QStringLiteral("chart_records"));
    QTRY_COMPARE(records->seriesNames(),
                 QStringList({QStringLiteral("users"), QStringLiteral("items")}));
    for (widgets::ThroughputChart *chart : console.charts()->charts())
        chart->flushNow(); // draw now, not on the chart's coalescing timer
    const double key = double(bucket - 5 * kBaseBucketMs) / 1000.0 + 5;
    QString tip = records->toolTipAt(key, 0);
    QVERIFY2(tip.contains(QStringLiteral("items: 3 records/s"))
                 && tip.contains(QStringLiteral("users: 2 records/s")),
             qPrintable(tip));
    tip = console.chart(QStringLiteral("chart_failures"))->toolTipAt(key, 0);
    QVERIFY2(tip.contains(QStringLiteral("items: 0.10 records/s")), qPrintable(tip));
    tip = console.chart(QStringLiteral("chart_queues"))->toolTipAt(key, 0);
    QVERIFY2(tip.contains(QStringLiteral("serialize depth: 12 jobs"))
                 && tip.contains(QStringLiteral("serialize in progress: 4 jobs")),
             qPrintable(tip));
    tip = console.chart(QStringLiteral("chart_users"))->toolTipAt(
        double(bucket - 3 * kBaseBucketMs) / 1000.0 + 1, 0);
    QVERIFY2(tip.contains(QStringLiteral("users started: 28 users")), qPrintable(tip));

    // A click on a legend entry hides the series; it stays hidden across refreshes.
    records->flushNow();
    auto *plot = records->findChild<QCustomPlot *>();
    QVERIFY(plot);
    plot->replot();
    QCPAbstractLegendItem *itemsEntry = plot->legend->item(1);
    QVERIFY(itemsEntry);
    QTest::mouseClick(plot, Qt::LeftButton, {}, itemsEntry->outerRect().center());
    QVERIFY(!records->isSeriesVisible(QStringLiteral("items")));
    QSignalSpy changed(&console.live, &LiveOverview::throughputChanged);
    QTRY_VERIFY(changed.count() >= 2);
    records->flushNow();
    QVERIFY(!records->isSeriesVisible(QStringLiteral("items")));
    QVERIFY(records->toolTipAt(key, 0).contains(QStringLiteral("users:")));
    QVERIFY(!records->toolTipAt(key, 0).contains(QStringLiteral("items:")));

    // Zooming one chart moves all four and stops following live; a double-click returns.
    const double from = double(bucket) / 1000.0 - 300;
    const double until = double(bucket) / 1000.0 - 120;
    plot->xAxis->setRange(from, until); // as a wheel zoom or a drag does
    for (widgets::ThroughputChart *chart : console.charts()->charts()) {
        QVERIFY(!chart->isFollowingLive());
        QCOMPARE(chart->visibleFrom(), from);
        QCOMPARE(chart->visibleUntil(), until);
    }
    changed.clear();
    QTRY_VERIFY(changed.count() >= 1);
    records->flushNow();
    QCOMPARE(records->visibleFrom(), from); // a refresh leaves the zoom alone
    QTest::mouseDClick(plot, Qt::LeftButton, {}, plot->axisRect()->rect().center());
    for (widgets::ThroughputChart *chart : console.charts()->charts()) {
        QVERIFY(chart->isFollowingLive());
        QVERIFY(chart->visibleUntil() - chart->visibleFrom() >= 900);
    }
}
