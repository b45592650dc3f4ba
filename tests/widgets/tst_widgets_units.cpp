// Units without a database: KPIs, the throughput window, chart series, markers, the progress
// model, the connect dialog, window layout.

#include "tst_widgets_units.h"

#include "connect_dialog.h"
#include "connection_indicator.h"
#include "connection_url.h"
#include "contract_fixture.h"
#include "database.h"
#include "live_overview.h"
#include "main_window.h"
#include "model_progress_model.h"
#include "overview_page.h"
#include "recent_urls.h"
#include "scratch_settings.h"
#include "store_session.h"

#include <QAbstractItemModelTester>
#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QSettings>
#include <QSignalSpy>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QStackedWidget>
#include <QTest>

#include <cmath>

using namespace mc;
using mc::test::kT0;

namespace {

ThroughputPoint modelPoint(EpochMs at, const QString &model, qint64 created, qint64 failed = 0)
{
    ThroughputPoint p;
    p.bucketStart = at;
    p.model = model;
    p.recordsCreated = created;
    p.recordsFailed = failed;
    return p;
}

ThroughputPoint queuePoint(EpochMs at, const QString &queue, qint64 depth, qint64 running,
                           qint64 started = 0, qint64 completed = 0)
{
    ThroughputPoint p;
    p.bucketStart = at;
    p.queue = queue;
    p.queueDepth = depth;
    p.jobsInProgress = running;
    p.usersStarted = started;
    p.usersCompleted = completed;
    return p;
}

OverviewSnapshot snapshotWith(qint64 nil, qint64 pending, qint64 inProgress, qint64 completed,
                              qint64 failed)
{
    OverviewSnapshot s;
    s.usersByStatus = {{UserStatus::Nil, nil}, {UserStatus::Pending, pending},
                       {UserStatus::InProgress, inProgress}, {UserStatus::Completed, completed},
                       {UserStatus::Failed, failed}};
    return s;
}

} // namespace

void WidgetsUnitsTest::initTestCase()
{
    QVERIFY(mc::test::useScratchSettings(m_settingsDir, QStringLiteral("tst_widgets_units")));
}

void WidgetsUnitsTest::kpisCountTheLastCompleteMinute()
{
    OverviewSnapshot s = snapshotWith(3, 40, 20, 90, 10);
    s.takenAt = kT0 + 65'000; // the minute [kT0, kT0 + 60 s) is the last complete one
    s.latestThroughput << queuePoint(kT0 - 10'000, QStringLiteral("create_high"), 0, 0, 0, 50);
    for (int b = 0; b < 6; ++b)
        s.latestThroughput << modelPoint(kT0 + b * 10'000, QStringLiteral("items"), 100)
                           << queuePoint(kT0 + b * 10'000, QStringLiteral("create_high"), 4, 2,
                                         1, 5);
    s.latestThroughput << queuePoint(kT0 + 60'000, QStringLiteral("create_high"), 0, 0, 0, 100);

    const OverviewKpis k = computeKpis(s);
    QCOMPARE(k.requested, 163);
    QCOMPARE(k.notStarted, 3);
    QCOMPARE(k.pending, 40);
    QCOMPARE(k.inProgress, 20);
    QCOMPARE(k.completed, 90);
    QCOMPARE(k.failed, 10);
    QVERIFY(k.failureRate);
    QCOMPARE(*k.failureRate, 0.1);
    QCOMPARE(k.completedPerMinute, 30.0);
    QCOMPARE(k.backlog, 60);
    QCOMPARE(k.etaSeconds, std::optional<qint64>(120));
    QVERIFY(!k.p50Ms && !k.p95Ms && !k.p99Ms);
    const OverviewKpis timed = computeKpis(s, MigrationTimes{12, 4'000, 9'000, 61'000});
    QCOMPARE(timed.timedUsers, 12);
    QCOMPARE(timed.p50Ms, std::optional<qint64>(4'000));
    QCOMPARE(timed.p99Ms, std::optional<qint64>(61'000));

    // A fleet that stopped long ago completes nothing now: no ETA, not its old rate.
    s.takenAt = kT0 + 3'600'000;
    const OverviewKpis stalled = computeKpis(s);
    QCOMPARE(stalled.completedPerMinute, 0.0);
    QVERIFY(!stalled.etaSeconds);

    const OverviewKpis drained = computeKpis(snapshotWith(0, 0, 0, 5, 0));
    QCOMPARE(drained.etaSeconds, std::optional<qint64>(0));
    QCOMPARE(*drained.failureRate, 0.0);
    QVERIFY(!computeKpis(snapshotWith(4, 0, 0, 0, 0)).failureRate);
}

void WidgetsUnitsTest::throughputWindowFetchesOnlyNewBuckets()
{
    const TimeRange range = TimeRange::fromPreset(TimeRange::Preset::Minutes15);
    ThroughputWindow window(range);
    QVERIFY(!window.isLoaded());

    EpochMs now = kT0 + 3'000;
    ThroughputSeries first;
    first.query = window.nextQuery(now);
    QCOMPARE(first.query.from, kT0 - 900'000);
    QCOMPARE(first.query.until, kT0 + 10'000);
    QCOMPARE(first.query.resolutionSeconds, 10);
    for (EpochMs at : {kT0 - 20'000, kT0 - 10'000, kT0})
        first.points << modelPoint(at, QStringLiteral("items"), 1)
                     << queuePoint(at, QStringLiteral("serialize"), 5, 1);
    QCOMPARE(window.merge(first, now), ThroughputWindow::Merge::Replaced);
    QCOMPARE(window.points().size(), 6);
    QCOMPARE(window.loadedUntil(), kT0 + 10'000);

    // The next refresh asks only from two buckets before the end of what is loaded.
    now = kT0 + 21'000;
    ThroughputSeries next;
    next.query = window.nextQuery(now);
    QCOMPARE(next.query.from, kT0 - 10'000);
    QCOMPARE(next.query.until, kT0 + 30'000);
    for (EpochMs at : {kT0 - 10'000, kT0, kT0 + 10'000, kT0 + 20'000})
        next.points << modelPoint(at, QStringLiteral("items"), 7);
    QCOMPARE(window.merge(next, now), ThroughputWindow::Merge::Appended);
    QCOMPARE(window.points().size(), 2 + 4); // kT0 - 20 s kept, the rest replaced
    QCOMPARE(window.points()[0].bucketStart, kT0 - 20'000);
    QCOMPARE(window.points()[2].bucketStart, kT0 - 10'000);
    QCOMPARE(window.points()[2].recordsCreated, 7);
    QCOMPARE(window.points().last().bucketStart, kT0 + 20'000);

    // An answer at another resolution (a range changed meanwhile) is ignored.
    ThroughputSeries other;
    other.query = {kT0, kT0 + 60'000, 60};
    QCOMPARE(window.merge(other, now), ThroughputWindow::Merge::Ignored);

    // Fifteen minutes on, the old buckets fall out of the range.
    now = kT0 + 905'000;
    ThroughputSeries later;
    later.query = window.nextQuery(now);
    QCOMPARE(later.query.from, kT0 + 10'000);
    QCOMPARE(window.merge(later, now), ThroughputWindow::Merge::Appended);
    QCOMPARE(window.from(), kT0);
    QVERIFY(window.points().isEmpty() || window.points().first().bucketStart >= kT0);

    // A shorter range's answer never passes for a whole longer range.
    window.reset(TimeRange::fromPreset(TimeRange::Preset::Hour1));
    ThroughputSeries shorter;
    shorter.query = {now - 900'000, now + 10'000, 10};
    QCOMPARE(window.merge(shorter, now), ThroughputWindow::Merge::Ignored);
    QVERIFY(!window.isLoaded());
}

void WidgetsUnitsTest::chartsTurnCountsIntoRatesAndRunningTotals()
{
    ThroughputWindow window(TimeRange::fromPreset(TimeRange::Preset::Minutes15));
    const EpochMs now = kT0 + 25'000;
    ThroughputSeries series;
    series.query = window.nextQuery(now);
    const EpochMs b0 = kT0, b1 = kT0 + 10'000, b2 = kT0 + 20'000;
    series.points << modelPoint(b0, QStringLiteral("items"), 50, 5)
                  << modelPoint(b0, QStringLiteral("users"), 20)
                  << queuePoint(b0, QStringLiteral("create_high"), 0, 1, 0, 2)
                  << queuePoint(b0, QStringLiteral("serialize"), 7, 3, 4)
                  << modelPoint(b1, QStringLiteral("items"), 100)
                  << queuePoint(b1, QStringLiteral("create_high"), 2, 2, 0, 3)
                  << queuePoint(b1, QStringLiteral("serialize"), 9, 3, 1)
                  << modelPoint(b2, QStringLiteral("items"), 999); // still being written
    QCOMPARE(window.merge(series, now), ThroughputWindow::Merge::Replaced);

    const OverviewCharts charts = buildOverviewCharts(
        window, now, {QStringLiteral("users"), QStringLiteral("items"), QStringLiteral("followers")});
    QCOMPARE(charts.resolutionSeconds, 10);
    QCOMPARE(charts.fromSeconds, double(window.from()) / 1000.0);
    QCOMPARE(charts.untilSeconds, double(now) / 1000.0);
    const int i0 = int((b0 - window.from()) / 10'000);

    QCOMPARE(charts.records.series.size(), 2); // followers wrote nothing: no line
    const ChartSeries &users = charts.records.series[0];
    const ChartSeries &items = charts.records.series[1];
    QCOMPARE(users.name, QStringLiteral("users"));
    QCOMPARE(items.name, QStringLiteral("items"));
    QCOMPARE(items.colorIndex, 1); // the migration order: stable colours
    QCOMPARE(items.keys.size(), i0 + 2); // up to b1: b2 is incomplete
    QCOMPARE(items.keys[i0], double(b0) / 1000.0);
    QCOMPARE(items.values[i0], 5.0);
    QCOMPARE(items.values[i0 + 1], 10.0);
    QCOMPARE(items.values[i0 - 1], 0.0); // no sample: nothing happened
    QCOMPARE(charts.failures.series[1].values[i0], 0.5);

    QStringList queueSeries;
    for (const ChartSeries &s : charts.queues.series)
        queueSeries << s.name;
    QCOMPARE(queueSeries, QStringList({QStringLiteral("create_high depth"),
                                       QStringLiteral("create_high in progress"),
                                       QStringLiteral("serialize depth"),
                                       QStringLiteral("serialize in progress")}));
    QVERIFY(charts.queues.series[3].dashed);
    QCOMPARE(charts.queues.series[2].values[i0], 7.0);
    QCOMPARE(charts.queues.series[2].values[i0 + 1], 9.0);
    QVERIFY(std::isnan(charts.queues.series[2].values[i0 - 1])); // a gauge without a sample

    QCOMPARE(charts.users.series.size(), 3);
    QCOMPARE(charts.users.series[0].values[i0], 4.0);
    QCOMPARE(charts.users.series[0].values[i0 + 1], 5.0);
    QCOMPARE(charts.users.series[1].values[i0 + 1], 5.0);
}

void WidgetsUnitsTest::markersSayWhoDidWhatAndWhy()
{
    auto entry = [](qint64 id, EpochMs at, const char *action, const char *target,
                    const char *before, const char *after, const char *reason) {
        return AuditEntry{id, at, QStringLiteral("lead"), QStringLiteral("alice"),
                          QString::fromUtf8(action), QString::fromUtf8(target),
                          QString::fromUtf8(before), QString::fromUtf8(after),
                          QString::fromUtf8(reason)};
    };
    const QList<AuditEntry> entries{
        entry(5, kT0 + 61'000, "retry_users", "lt: 2 users", R"({"status":"failed"})",
              R"({"status":"pending","users":[1,2]})", "bad deploy fixed"),
        entry(1, kT0, "set_queue", "queue:serialize", R"({"parallelism":4})",
              R"({"parallelism":8})", "workers keep up"),
        entry(2, kT0 + 1'000, "install_schema", "schema", "{}", "{}", "setup"),
        entry(3, kT0 + 2'000, "set_rollout", "rollout:merge:lt", R"({"percentage":"5.00"})",
              R"({"percentage":"10.00"})", "next step"),
        entry(4, kT0 + 60'000, "retry_users", "lt: 3 users", R"({"status":"failed"})",
              R"({"status":"pending","users":[3,4,5]})", "bad deploy fixed"),
        entry(6, kT0 + 200'000, "retry_users", "de: 1 users", "{}", "{}", "another reason"),
    };
    const QList<OperatorMarker> markers = operatorMarkers(entries);
    QCOMPARE(markers.size(), 4); // the schema install is not marked; two batches fold into one
    QCOMPARE(markers[0].at, kT0);
    QCOMPARE(markers[0].label, QStringLiteral("serialize: parallelism 4 → 8"));
    QVERIFY(markers[0].detail.contains(QStringLiteral("by alice (db: lead)")));
    QVERIFY(markers[0].detail.contains(QStringLiteral("reason: workers keep up")));
    QCOMPARE(markers[1].label, QStringLiteral("rollout lt: 5.00 → 10.00 %"));
    QCOMPARE(markers[2].label, QStringLiteral("retry 5 users"));
    QCOMPARE(markers[2].entries, 2);
    QVERIFY(markers[2].detail.contains(QStringLiteral("2 batches")));
    QCOMPARE(markers[3].label, QStringLiteral("retry 1 users"));
}

void WidgetsUnitsTest::progressModelPassesTheModelTester()
{
    ModelProgressModel model;
    QSortFilterProxyModel proxy;
    proxy.setSourceModel(&model);
    proxy.setSortRole(ModelProgressModel::SortRole);
    proxy.sort(ModelProgressModel::Created, Qt::DescendingOrder);
    QAbstractItemModelTester modelTester(&model,
                                         QAbstractItemModelTester::FailureReportingMode::QtTest);
    QAbstractItemModelTester proxyTester(&proxy,
                                         QAbstractItemModelTester::FailureReportingMode::QtTest);

    QList<ModelProgress> rows{{1, QStringLiteral("users"), 1, 10, 10, 10, 10, 0},
                              {2, QStringLiteral("items"), 2, 5, 200, 150, 100, 25},
                              {3, QStringLiteral("followers"), 3, 0, 0, 0, 0, 0}};
    model.setProgress(rows);
    QCOMPARE(model.rowCount(), 3);
    QCOMPARE(model.columnCount(), int(ModelProgressModel::ColumnCount));
    const QModelIndex progress = model.index(1, ModelProgressModel::Progress);
    QCOMPARE(progress.data().toString(), QStringLiteral("50.0 %"));
    QCOMPARE(progress.data(ModelProgressModel::ProgressRole).toDouble(), 0.5);
    QCOMPARE(progress.data(ModelProgressModel::SerializedFractionRole).toDouble(), 0.75);
    QCOMPARE(model.index(1, ModelProgressModel::FailurePercent).data().toString(),
             QStringLiteral("20.0 %"));
    QCOMPARE(model.index(2, ModelProgressModel::Progress).data().toString(),
             QStringLiteral("—"));
    QCOMPARE(proxy.index(0, ModelProgressModel::ModelName).data().toString(),
             QStringLiteral("items"));

    // The same models: cells change in place, the sorted view follows.
    QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    rows[0].created = 500;
    rows[0].recordsTotal = 600;
    model.setProgress(rows);
    QCOMPARE(reset.count(), 0);
    QCOMPARE(changed.count(), 1);
    QCOMPARE(proxy.index(0, ModelProgressModel::ModelName).data().toString(),
             QStringLiteral("users"));
    model.setProgress(rows); // nothing changed: no signal
    QCOMPARE(changed.count(), 1);

    // Other models: a reset.
    rows.removeAt(1);
    model.setProgress(rows);
    QCOMPARE(reset.count(), 1);
    QCOMPARE(model.rowCount(), 2);
    model.setProgress({});
    QCOMPARE(model.rowCount(), 0);
}

void WidgetsUnitsTest::connectDialogKeepsThePasswordMasked()
{
    widgets::ConnectDialog dialog({QStringLiteral("postgresql://reader@old.example/merge")});
    QCOMPARE(dialog.urlField()->count(), 1);
    QCOMPARE(dialog.passwordField()->echoMode(), QLineEdit::Password);
    dialog.urlField()->setEditText(QString());

    // Typed: the password leaves the URL field as soon as it is recognisable.
    QTest::keyClicks(dialog.urlField()->lineEdit(),
                     QStringLiteral("postgresql://alice:secret@db.example:5432/merge"));
    QCOMPARE(dialog.urlField()->currentText(),
             QStringLiteral("postgresql://alice@db.example:5432/merge"));
    QCOMPARE(dialog.passwordField()->text(), QStringLiteral("secret"));
    QCOMPARE(dialog.url(), QStringLiteral("postgresql://alice:secret@db.example:5432/merge"));

    // Profiles are offered first; choosing one fills the URL (read-only for this one).
    widgets::ConnectDialog withProfiles(
        {}, {{QStringLiteral("prod-eu"), QStringLiteral("postgresql://lead@db.example/merge"),
              EnvironmentClass::Production, true},
             {QStringLiteral("staging"), QStringLiteral("mariadb://qa@stage.example/merge"),
              EnvironmentClass::Staging, false}});
    QCOMPARE(withProfiles.profileField()->count(), 3);
    QCOMPARE(withProfiles.profileField()->itemText(1), QStringLiteral("prod-eu — production, read-only"));
    withProfiles.profileField()->setCurrentIndex(1);
    auto chosen = ConnectionUrl::parse(withProfiles.urlField()->currentText());
    REQUIRE_OK(chosen);
    QCOMPARE(chosen->settings.host, QStringLiteral("db.example"));
    QVERIFY(chosen->settings.readOnly);
    withProfiles.profileField()->setCurrentIndex(2);
    QCOMPARE(withProfiles.urlField()->currentText(), QStringLiteral("mariadb://qa@stage.example/merge"));

    // Pasted, with characters a URL must escape.
    dialog.setUrl(QStringLiteral("mariadb://bob:p%40ss%2Fw%3Ard@db.example/merge"));
    QCOMPARE(dialog.urlField()->currentText(), QStringLiteral("mariadb://bob@db.example/merge"));
    QCOMPARE(dialog.passwordField()->text(), QStringLiteral("p@ss/w:rd"));
    auto parsed = ConnectionUrl::parse(dialog.url());
    REQUIRE_OK(parsed);
    QCOMPARE(parsed->settings.user, QStringLiteral("bob"));
    QCOMPARE(parsed->settings.password, QStringLiteral("p@ss/w:rd"));

    // Recent URLs never keep a password; the newest comes first, duplicates move up.
    QSettings settings;
    settings.remove(QStringLiteral("connection"));
    widgets::RecentUrls recent(settings);
    recent.remember(QStringLiteral("postgresql://alice:secret@a.example/merge"));
    recent.remember(QStringLiteral("mariadb://bob:pw@b.example/merge"));
    recent.remember(QStringLiteral("postgresql://alice:other@a.example/merge"));
    QCOMPARE(recent.urls(), QStringList({QStringLiteral("postgresql://alice@a.example/merge"),
                                         QStringLiteral("mariadb://bob@b.example/merge")}));
    for (int i = 0; i < 15; ++i)
        recent.remember(QStringLiteral("postgresql://u@h%1.example/merge").arg(i));
    QCOMPARE(recent.urls().size(), widgets::RecentUrls::kMaxEntries);
    settings.sync();
    QFile file(settings.fileName());
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QByteArray stored = file.readAll();
    QVERIFY(!stored.contains("secret") && !stored.contains(":pw@"));
}

void WidgetsUnitsTest::malformedUrlsShowNoPasswordAnywhere_data()
{
    QTest::addColumn<QString>("url");
    QTest::newRow("lone %") << "postgresql://ops:50%s3cr@db/merge";
    QTest::newRow("braces, bad port") << "postgresql://ops:a{s3cr}c@db:99999/merge";
    QTest::newRow("bad port") << "mariadb://ops:s3cret@db:abc/merge";
    QTest::newRow("IPv6 unclosed") << "mariadb://ops:s3cret@[::1/merge";
    QTest::newRow("unknown parameter") << "postgresql://ops:s3cret@db/merge?bogus=1";
    QTest::newRow("valid, unreachable") << "postgresql://ops:s3cret@127.0.0.1:1/merge";
}

// Every text the console can show or store for a URL: the connect dialog's fields and its
// problem line, the recent list in the settings file, the window title and the status bar.
void WidgetsUnitsTest::malformedUrlsShowNoPasswordAnywhere()
{
    QFETCH(QString, url);
    const QString secret = QStringLiteral("s3cr");
    const auto shownTexts = [](QWidget &top) {
        QStringList texts{top.windowTitle()};
        for (const QLabel *label : top.findChildren<QLabel *>())
            texts << label->text() << label->toolTip();
        return texts.join(u'\n');
    };

    widgets::ConnectDialog dialog({});
    dialog.setUrl(url);
    QVERIFY2(!dialog.urlField()->currentText().contains(secret),
             qPrintable(dialog.urlField()->currentText()));
    QVERIFY(dialog.passwordField()->text().contains(secret));
    QVERIFY2(!shownTexts(dialog).contains(secret), qPrintable(shownTexts(dialog)));

    QSettings settings;
    settings.remove(QStringLiteral("connection"));
    widgets::RecentUrls(settings).remember(url);
    QVERIFY(!widgets::RecentUrls(settings).urls().join(u' ').contains(secret));
    settings.sync();
    QFile file(settings.fileName());
    QVERIFY(file.open(QIODevice::ReadOnly));
    QVERIFY(!file.readAll().contains(secret.toUtf8()));

    Database database;
    LiveOverview live(database.polling());
    widgets::MainWindow window(&database, &live);
    window.show();
    window.connectTo(url);
    QTRY_VERIFY(database.status().state != ConnectionStatus::State::Connecting);
    QVERIFY(!database.status().error.isEmpty());
    QVERIFY2(!shownTexts(window).contains(secret), qPrintable(shownTexts(window)));
    QVERIFY(!database.status().error.contains(secret));
    database.close();
}

void WidgetsUnitsTest::windowRemembersItsLayout()
{
    Database database;
    LiveOverview live(database.polling());
    QList<int> navigationSizes, overviewSizes;
    {
        widgets::MainWindow window(&database, &live);
        window.resize(1100, 700);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        auto *navigation = window.findChild<QSplitter *>(QStringLiteral("navigationSplitter"));
        auto *overview = window.findChild<QSplitter *>(QStringLiteral("overviewSplitter"));
        QVERIFY(navigation && overview);
        navigation->setSizes({210, 890});
        overview->setSizes({300, 250});
        navigationSizes = navigation->sizes();
        overviewSizes = overview->sizes();
        live.setRange(TimeRange::fromPreset(TimeRange::Preset::Hours6));
        live.setIntervalMs(5000);
        window.close(); // saves
    }
    live.setRange(TimeRange::fromPreset(TimeRange::Preset::Minutes15));
    live.setIntervalMs(2000);

    widgets::MainWindow window(&database, &live);
    window.restoreSettings();
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QCOMPARE(window.size(), QSize(1100, 700));
    QCOMPARE(window.findChild<QSplitter *>(QStringLiteral("navigationSplitter"))->sizes(),
             navigationSizes);
    QCOMPARE(window.findChild<QSplitter *>(QStringLiteral("overviewSplitter"))->sizes(),
             overviewSizes);
    QCOMPARE(live.range().label, QStringLiteral("6 h"));
    QCOMPARE(live.intervalMs(), 5000);
    QCOMPARE(window.overviewPage()->intervalBox()->currentText(), QStringLiteral("5 s"));
}

QTEST_MAIN(WidgetsUnitsTest)
