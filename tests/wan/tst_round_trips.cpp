// Round trips per view action, counted by the latency proxy between a store and the real server
// under test (MC_TEST_BACKEND). A desktop console pays one network round trip per query: across
// a VPN at 50 ms each one costs 50 ms, so every refresh, page and action has a budget of round
// trips (docs/PERFORMANCE.md, "Over a WAN link"); this test fails when one grows beyond it.
// Counts, not times: the proxy runs with no delay here, and the count does not depend on load.

#include "alert_evaluator.h"
#include "contract_fixture.h"
#include "fleet/seeder.h"
#include "latency_proxy.h"

#include <QTest>

#include <functional>

using namespace mc;
using namespace mc::test;

namespace {

// Budgets (issue 18): each refresh, page and action at most two round trips; connecting and
// the first overview at most eight.
constexpr int kActionBudget = 2;
constexpr int kConnectBudget = 8;
// What a one-batch action takes today on both backends: a read, or a write whose BEGIN, work
// and COMMIT travel together. The test fails when one of them grows to a second round trip.
constexpr int kOneBatch = 1;

} // namespace

class TestRoundTrips : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();
    void connectAndFirstOverview();
    void overviewRefresh();
    void failuresFirstAndNextPage();
    void errorGroups();
    void userDossier();
    void retryOneUser();
    void queueChange();
    void alertEvaluation();

private:
    // Round trips the body costs on the store through the proxy.
    qint64 tripsOf(const std::function<void()> &body);
    std::unique_ptr<MergeStore> openThroughProxy();

    std::unique_ptr<TestDatabase> m_db;
    std::unique_ptr<latency::LatencyProxy> m_proxy;
    std::unique_ptr<MergeStore> m_store;
    UserKey m_failedUser;
};

void TestRoundTrips::initTestCase()
{
    m_db = std::make_unique<TestDatabase>(TestServer::fromEnvironment());
    m_db->installedStore();
    fleet::SeedOptions options;
    options.users = 3'000;
    options.failedShare = 0.3;
    options.at = kT0;
    options.historyHours = 1;
    options.connections = 1;
    fleet::Seeder(m_db->connectionUrl(), options).run();

    const auto &settings = m_db->connectionUrl().settings;
    QVERIFY2(settings.socket.isEmpty(), "the round-trip test needs a TCP URL");
    m_proxy = std::make_unique<latency::LatencyProxy>(settings.host.toStdString(), settings.port,
                                                      std::chrono::microseconds(0));
    m_proxy->start();
    m_store = openThroughProxy();
    QVERIFY(m_store);

    // A failed user to read and to retry: the newest failure's.
    auto page = m_store->failures(FailureFilter{}, std::nullopt, 1);
    REQUIRE_OK(page);
    QVERIFY(!page->rows.isEmpty());
    m_failedUser = page->rows.first().user;
}

void TestRoundTrips::cleanupTestCase()
{
    m_store.reset();
    m_proxy.reset();
    m_db.reset();
}

std::unique_ptr<MergeStore> TestRoundTrips::openThroughProxy()
{
    ConnectionUrl url = m_db->connectionUrl();
    url.settings.host = QStringLiteral("127.0.0.1");
    url.settings.port = m_proxy->port();
    auto store = openStore(url.toString());
    if (!store) {
        qWarning("%s", qPrintable(store.error().message));
        return nullptr;
    }
    return std::move(store).value();
}

qint64 TestRoundTrips::tripsOf(const std::function<void()> &body)
{
    m_proxy->resetCounts();
    body();
    return m_proxy->counts().roundTrips;
}

#define CHECK_TRIPS(action, trips, budget)                                                       \
    do {                                                                                         \
        qInfo("%s: %lld round trips (budget %d)", action, static_cast<long long>(trips),         \
              budget);                                                                           \
        QVERIFY2((trips) <= (budget),                                                            \
                 qPrintable(QStringLiteral("%1 took %2 round trips; the budget is %3")           \
                                .arg(QLatin1String(action))                                      \
                                .arg(trips)                                                      \
                                .arg(budget)));                                                  \
        QVERIFY2((trips) >= 1, "the proxy saw no traffic: the store did not go through it");     \
    } while (false)

void TestRoundTrips::connectAndFirstOverview()
{
    std::unique_ptr<MergeStore> store;
    OverviewRequest request;
    request.latestBuckets = 9;
    const qint64 trips = tripsOf([&] {
        store = openThroughProxy();
        QVERIFY(store);
        auto server = store->serverInfo();
        REQUIRE_OK(server);
        auto overview = store->overview(request);
        REQUIRE_OK(overview);
        QVERIFY(!overview->models.isEmpty());
    });
    CHECK_TRIPS("connect, server info and first overview", trips, kConnectBudget);
}

void TestRoundTrips::overviewRefresh()
{
    OverviewRequest request;
    request.latestBuckets = 9; // as the console's refresh asks
    REQUIRE_OK(m_store->overview(request));
    Result<OverviewSnapshot> snapshot = StoreError::make(StoreError::Kind::Database, {});
    const qint64 trips = tripsOf([&] { snapshot = m_store->overview(request); });
    REQUIRE_OK(snapshot);
    QVERIFY(!snapshot->queues.isEmpty());
    QVERIFY(!snapshot->rollout.isEmpty());
    QVERIFY(!snapshot->latestThroughput.isEmpty());
    CHECK_TRIPS("overview refresh", trips, kOneBatch);
}

void TestRoundTrips::failuresFirstAndNextPage()
{
    REQUIRE_OK(m_store->failures(FailureFilter{}, std::nullopt, 200));
    Result<FailurePage> first = StoreError::make(StoreError::Kind::Database, {});
    const qint64 firstTrips = tripsOf([&] { first = m_store->failures({}, std::nullopt, 200); });
    REQUIRE_OK(first);
    QCOMPARE(first->rows.size(), 200);
    QVERIFY(first->next);
    CHECK_TRIPS("failures first page", firstTrips, kOneBatch);

    Result<FailurePage> next = StoreError::make(StoreError::Kind::Database, {});
    const qint64 nextTrips = tripsOf([&] { next = m_store->failures({}, first->next, 200); });
    REQUIRE_OK(next);
    QVERIFY(!next->rows.isEmpty());
    QVERIFY(next->rows.first().id != first->rows.last().id);
    CHECK_TRIPS("failures next page", nextTrips, kActionBudget);
}

void TestRoundTrips::errorGroups()
{
    REQUIRE_OK(m_store->errorGroups());
    Result<QList<ErrorGroup>> groups = StoreError::make(StoreError::Kind::Database, {});
    const qint64 trips = tripsOf([&] { groups = m_store->errorGroups(); });
    REQUIRE_OK(groups);
    QVERIFY(!groups->isEmpty());
    CHECK_TRIPS("error groups", trips, kOneBatch);
}

void TestRoundTrips::userDossier()
{
    REQUIRE_OK(m_store->userDossier(m_failedUser));
    Result<UserDossier> dossier = StoreError::make(StoreError::Kind::Database, {});
    const qint64 trips = tripsOf([&] { dossier = m_store->userDossier(m_failedUser); });
    REQUIRE_OK(dossier);
    QCOMPARE(dossier->migration.status, UserStatus::Failed);
    QVERIFY(!dossier->failures.isEmpty());
    QVERIFY(!dossier->progress.isEmpty());
    CHECK_TRIPS("user dossier", trips, kOneBatch);
}

void TestRoundTrips::retryOneUser()
{
    RetryRequest request;
    request.users = std::vector<UserKey>{m_failedUser};
    request.reason = QStringLiteral("round-trip budget");
    request.by = tester();
    Result<RetryReport> report = StoreError::make(StoreError::Kind::Database, {});
    const qint64 trips = tripsOf([&] { report = m_store->retryUsers(request, BulkControl{}); });
    REQUIRE_OK(report);
    QCOMPARE(report->moved, qint64(1));
    CHECK_TRIPS("retry one user", trips, kOneBatch);
}

void TestRoundTrips::queueChange()
{
    auto overview = m_store->overview(OverviewRequest{});
    REQUIRE_OK(overview);
    QVERIFY(!overview->queues.isEmpty());
    const QueueState before = overview->queues.first();
    QueueChange change;
    change.queue = before.name;
    change.parallelism = before.parallelism + 1;
    change.expectVersion = before.version;
    change.reason = QStringLiteral("round-trip budget");
    change.by = tester();
    Result<QueueState> after = StoreError::make(StoreError::Kind::Database, {});
    const qint64 trips = tripsOf([&] { after = m_store->updateQueue(change); });
    REQUIRE_OK(after);
    QCOMPARE(after->parallelism, before.parallelism + 1);
    QCOMPARE(after->version, before.version + 1);
    CHECK_TRIPS("queue change", trips, kActionBudget);
}

void TestRoundTrips::alertEvaluation()
{
    // A console's alert cycle when nothing changes: the rules, their states, the counters and
    // samples they read and the latest firings in one batch.
    REQUIRE_OK(AlertEvaluator::cycle(*m_store));
    Result<AlertCycle> cycle = StoreError::make(StoreError::Kind::Database, {});
    const qint64 trips = tripsOf([&] { cycle = AlertEvaluator::cycle(*m_store); });
    REQUIRE_OK(cycle);
    QVERIFY(!cycle->snapshot.rules.isEmpty());
    QVERIFY(cycle->transitions.isEmpty());
    CHECK_TRIPS("alert evaluation", trips, kOneBatch);
}

QTEST_GUILESS_MAIN(TestRoundTrips)
#include "tst_round_trips.moc"
