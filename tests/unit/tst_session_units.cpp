// The connection layer and the services above it on an in-memory store (label `unit`: no server).
// What an operator would notice: one console holds at most three connections whatever it shows,
// a stale answer never replaces a newer one, disconnecting never waits for a stuck server and
// never leaves a bulk job spinning, and a store answer of the wrong form is an error, not a crash.

#include "bulk_retry_job.h"
#include "database.h"
#include "failure_table_model.h"
#include "failures_service.h"
#include "fake_store.h"
#include "scripted_store.h"
#include "store_runner.h"
#include "store_session.h"
#include "users_service.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTest>

using namespace mc;
using namespace mc::test;

namespace {

const QString kUrl = QStringLiteral("postgresql://tester@fake.invalid/merge");

std::shared_ptr<FakeMergeData> fleetOfFailures(int count)
{
    auto data = std::make_shared<FakeMergeData>();
    for (int i = 1; i <= count; ++i)
        data->failures << fakeFailure(i, 1'000'000 + i * 10, QStringLiteral("lt"), i % 7, 1 + i % 3,
                                      i % 2 ? QStringLiteral("Timeout") : QStringLiteral("Conflict"));
    data->groups << ErrorGroup{QStringLiteral("f1"), QStringLiteral("Timeout"), {}, 3, 3, 0, 0, {}};
    return data;
}

// Opens the database and waits for the polling connection: a call held at the gate afterwards is
// the test's own, not the session's first look at the server.
bool openAndSettle(Database &database)
{
    database.open(kUrl);
    return QTest::qWaitFor([&] { return database.status().isConnected(); }, 5000);
}

} // namespace

class SessionUnitsTest : public QObject
{
    Q_OBJECT

private slots:
    void everyServiceSharesThreeConnections();
    void failureTableModelPagesNewestFirst();
    void newestWinsDropsAnOlderAnswer();
    void disconnectDoesNotWaitForAStuckCall();
    void disconnectEndsABulkJobWaitingForTheServer();
    void storeAnswerOfTheWrongFormIsAnError();
};

void SessionUnitsTest::everyServiceSharesThreeConnections()
{
    auto data = fleetOfFailures(50);
    Database database(fakeStores(data));
    FailuresService failures(&database);
    UsersService users(&database);
    QVERIFY(!failures.isConnected());
    database.open(kUrl);
    QVERIFY(failures.isConnected() && users.isConnected());

    // The overview's polling, several views' reads and a bulk retry, all at once.
    QSignalSpy polled(database.polling(), &StoreSession::overviewArrived);
    database.polling()->requestOverview();
    FailureTableModel table(failures.runner());
    table.setFilter({});
    int answers = 0;
    for (int i = 0; i < 5; ++i) {
        failures.readErrorGroups(this, [&](const Result<QList<ErrorGroup>> &groups) {
            QVERIFY(groups.ok());
            QCOMPARE(groups->size(), 1);
            ++answers;
        });
        failures.readCatalogue(this, [&](const Result<OverviewSnapshot> &) { ++answers; });
    }
    auto progress = std::make_shared<RetryListProgress>();
    RetryRequest request;
    request.users = std::vector<UserKey>{UserKey{QStringLiteral("lt"), 1}};
    request.reason = QStringLiteral("fixed");
    users.retryList(this, request, progress, [&](const Result<RetryReport> &report) {
        QVERIFY(report.ok());
        ++answers;
    });
    QTRY_COMPARE(answers, 11);
    QTRY_COMPARE(polled.size(), 1);
    QTRY_VERIFY(table.rowCount() > 0);
    QCOMPARE(data->opened.load(), Database::kConnections);
    QCOMPARE(data->retries.size(), 1);

    // Disconnected: every connection closes (on its own thread, soon after).
    database.close();
    QVERIFY(!failures.isConnected());
    QTRY_COMPARE(data->open.load(), 0);
}

void SessionUnitsTest::failureTableModelPagesNewestFirst()
{
    auto data = fleetOfFailures(120);
    Database database(fakeStores(data));
    FailuresService failures(&database);
    FailureTableModel table(failures.runner());
    QAbstractItemModelTester tester(&table, QAbstractItemModelTester::FailureReportingMode::QtTest);
    table.setPageSize(50);
    database.open(kUrl);
    FailureFilter timeouts;
    timeouts.errorClass = QStringLiteral("Timeout");
    QSignalSpy pages(&table, &FailureTableModel::pageLoaded);
    table.setFilter(timeouts);
    // The tester asks for more whenever it may, as a view scrolled to the end does.
    QTRY_VERIFY(!table.isLoading() && !table.canFetchMore({}) && pages.size() >= 2);
    QCOMPARE(table.rowCount(), 60); // the odd ids, each once
    QCOMPARE(pages.size(), 2);      // 50 and 10: no page asked for twice
    for (int row = 1; row < table.rowCount(); ++row)
        QVERIFY(table.failureAt(row - 1).failedAt > table.failureAt(row).failedAt);
    QCOMPARE(table.failureAt(0).id, 119);
}

void SessionUnitsTest::newestWinsDropsAnOlderAnswer()
{
    auto data = fleetOfFailures(3);
    Database database(fakeStores(data));
    FailuresService failures(&database);
    QVERIFY(openAndSettle(database));
    NewestWins newest;
    QStringList shown;
    data->closeGate(); // both requests are made before either is answered
    failures.readErrorGroups(this, newest.latest<QList<ErrorGroup>>(
                                       [&](const auto &) { shown << QStringLiteral("first"); }));
    failures.readErrorGroups(this, newest.latest<QList<ErrorGroup>>(
                                       [&](const auto &) { shown << QStringLiteral("second"); }));
    QTRY_COMPARE(data->waiting(), 1);
    data->openGate();
    // One connection answers in order: by the time the second shows, the first was dropped.
    QTRY_COMPARE(shown, QStringList{QStringLiteral("second")});
}

void SessionUnitsTest::disconnectDoesNotWaitForAStuckCall()
{
    auto data = fleetOfFailures(3);
    Database database(fakeStores(data));
    FailuresService failures(&database);
    QVERIFY(openAndSettle(database));
    bool answered = false;
    data->closeGate(); // the server stops answering
    failures.readErrorGroups(this, [&](const auto &) { answered = true; });
    QTRY_COMPARE(data->waiting(), 1);
    database.close();
    // close() returned while the call still waits on the server: it did not wait for it.
    QCOMPARE(data->waiting(), 1);
    QVERIFY(!failures.isConnected());
    data->openGate();
    QTRY_COMPARE(data->open.load(), 0); // the thread ended after the call, closing its store
    QVERIFY(!answered);                 // an answer for a closed database is dropped
}

void SessionUnitsTest::disconnectEndsABulkJobWaitingForTheServer()
{
    auto data = fleetOfFailures(10);
    Database database(fakeStores(data));
    QVERIFY(openAndSettle(database));
    BulkRetryJob job;
    job.setRunner(database.bulk());
    QSignalSpy failed(&job, &BulkRetryJob::failed);
    data->closeGate();
    job.start(FailureFilter{}, QStringLiteral("fixed"));
    QVERIFY(job.isRunning());
    QTRY_COMPARE(data->waiting(), 1);
    database.close();
    QCOMPARE(failed.size(), 1);
    QVERIFY(!job.isRunning());
    QVERIFY(failed.at(0).at(0).value<StoreError>().message.contains(QStringLiteral("Disconnected")));
    data->openGate();
    QTRY_COMPARE(data->open.load(), 0);
}

void SessionUnitsTest::storeAnswerOfTheWrongFormIsAnError()
{
    // A failed record's detail read from a server whose answer lacks the last column.
    ScriptedStore store;
    store.answerFailureWithColumns(20);
    const Result<FailureDetail> detail = store.failure(1);
    QVERIFY(!detail.ok());
    QCOMPARE(detail.error().kind, StoreError::Kind::Database);
    QVERIFY2(detail.error().message.contains(QStringLiteral("form this build reads")),
             qPrintable(detail.error().message));
    // A column more than the select list: an error too, not a value read from the wrong place.
    store.answerFailureWithColumns(22);
    QVERIFY(!store.failure(1).ok());
    // The exact form reads.
    store.answerFailureWithColumns(21);
    const Result<FailureDetail> exact = store.failure(1);
    QVERIFY2(exact.ok(), qPrintable(exact.ok() ? QString() : exact.error().message));
    QCOMPARE(exact->row.id, 1);
    QCOMPARE(exact->message, QStringLiteral("column 14"));
}

QTEST_GUILESS_MAIN(SessionUnitsTest)
#include "tst_session_units.moc"
