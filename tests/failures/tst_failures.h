#pragma once

// The Failures explorer, offscreen, against the real server under test (failures_postgresql,
// failures_mariadb): what QA and support see in the table, the count, the groups and the detail,
// and what the actions write. A missing server fails the suite; it never skips it.

#include "failures_seed.h"
#include "view_host.h"

#include <QObject>
#include <QTemporaryDir>

#include <functional>
#include <memory>

namespace mc::widgets {
class FailuresPage;
}

class FailuresTest : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();

    // Browsing the shared seeded database (tst_failures_browse.cpp)
    void modelsPassTheModelTester();
    void scrollingFetchesOnePageAtATime();
    void newFilterDropsLatePagesOfTheOldFilter();
    void countLabelEqualsTheCountOfTheFilter();
    void slowCountShowsALowerBoundAndHoldsNothingUp();
    void slowCountIsStoppedOnTheServer();
    void detailPaneShowsMessageAndBacktraceExactly();
    void groupsPanelListsTheGroupsWithTheirCounts();

    // Filters (tst_failures_filters.cpp)
    void eachFilterNarrowsTheTableToWhatSqlSelects();
    void typedTextWaitsForAPauseAndEnterAppliesAtOnce();
    void clickingAGroupFiltersByItAndTheChipClearsIt();
    void naughtyFilterTextShowsWhatPlainSqlSelectsInBothModes();
    void setFilterFromAnotherViewShowsAndAppliesIt();

    // Actions on a database of their own (tst_failures_actions.cpp)
    void retrySelectedRowsMovesExactlyTheirUsers();
    void markIgnoredThenUndoReopensOnlyWhatTheMarkChanged();
    void confirmationsNeedAReasonAndCancelChangesNothing();
    void retryAllAndExportHandOverTheCurrentFilter();
    void disconnectedPageShowsNothingAndOffersNoActions();

private:
    std::unique_ptr<mc::widgets::FailuresPage> openPage(const QString &url);

    mc::test::TestServer m_server;
    std::unique_ptr<mc::test::TestDatabase> m_db; // the shared, seeded one: tests only read it
    std::unique_ptr<mc::FleetWriter> m_writer;
    mc::test::FailureSeed m_seed;
    QStringList m_naughty;
};

namespace mc::test {

// Runs the event loop until `done` holds or the time is up.
bool waitUntil(const std::function<bool()> &done, int timeoutMs = 20'000);
// The table's page and the count have both answered for the current filter.
bool settled(widgets::FailuresPage &page);
// Scrolls the table down until every row of the filter is loaded; false when it stalls.
bool scrollToEnd(widgets::FailuresPage &page);
QList<qint64> shownIds(widgets::FailuresPage &page);
QString countWords(qint64 n); // what the count label says for an exact count
QString trickyMessage();       // of the newest seeded record
QString trickyBacktrace();

} // namespace mc::test

// Waits, failing the test with a message when the condition never holds.
#define WAIT_FOR(condition)                                                                     \
    QVERIFY2(mc::test::waitUntil([&] { return bool(condition); }), "timed out: " #condition)
