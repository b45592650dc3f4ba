// Browsing the seeded failures: pages load as the table scrolls, late pages of an old filter are
// dropped, the count is the filter's COUNT(*), the detail shows what was written, the groups
// panel shows the groups. Expected values come from plain SQL or from what the test wrote.

#include "tst_failures.h"

#include "payload_viewer.h"

#include "error_group_model.h"
#include "error_groups_panel.h"
#include "failure_count.h"
#include "failure_detail_pane.h"
#include "failure_filter_bar.h"
#include "failure_table_model.h"
#include "failures_page.h"
#include "message_banner.h"

#include <QAbstractItemModelTester>
#include <QComboBox>
#include <QLabel>
#include <QPlainTextEdit>
#include <QSignalSpy>
#include <QTableView>
#include <QTest>
#include <QToolButton>

#include "sql/sql_connection.h"

using namespace mc;
using namespace mc::test;

void FailuresTest::modelsPassTheModelTester()
{
    FailuresView page;
    QAbstractItemModelTester tableTester(page.failureModel(),
                                         QAbstractItemModelTester::FailureReportingMode::QtTest);
    QAbstractItemModelTester groupTester(page.groupModel(),
                                         QAbstractItemModelTester::FailureReportingMode::QtTest);
    page.resize(1200, 800);
    page.show();
    page.setDatabase(m_db->url());
    WAIT_FOR(settled(page) && page.groupModel()->rowCount() > 0);
    page.table()->scrollToBottom();
    WAIT_FOR(page.failureModel()->pagesLoaded() >= 2 && !page.failureModel()->isLoading());
    FailureFilter byModel;
    byModel.modelId = 3;
    page.setFilter(byModel);
    WAIT_FOR(settled(page));
    page.failureModel()->showResolution({page.failureModel()->failureAt(0).id},
                                        QStringLiteral("ignored"));
    page.refresh();
    WAIT_FOR(settled(page));
    page.setDatabase(QString());
    QCOMPARE(page.failureModel()->rowCount(), 0);
}

void FailuresTest::scrollingFetchesOnePageAtATime()
{
    auto page = openPage(m_db->url());
    FailureTableModel *model = page->failureModel();
    const QList<qint64> all = idsWhere(*m_writer, QStringLiteral("resolution IS NULL"));
    QVERIFY(all.size() > 2000);
    // Opening loads one page, not the set.
    QCOMPARE(model->pagesLoaded(), 1);
    QCOMPARE(model->rowCount(), FailureTableModel::kDefaultPageSize);
    QVERIFY(model->canFetchMore());
    QCOMPARE(shownIds(*page), all.mid(0, FailureTableModel::kDefaultPageSize));

    // Each scroll to the bottom adds exactly one page, until the last.
    while (!model->isComplete()) {
        const int before = model->rowCount();
        const int pages = model->pagesLoaded();
        page->table()->scrollToBottom();
        WAIT_FOR(model->pagesLoaded() == pages + 1 && !model->isLoading());
        const int expected = std::min<int>(int(all.size()), before + model->pageSize());
        QCOMPARE(model->rowCount(), expected);
    }
    QCOMPARE(model->pagesLoaded(), int((all.size() + model->pageSize() - 1) / model->pageSize()));
    QCOMPARE(shownIds(*page), all);
    QVERIFY(!model->canFetchMore());
    page->table()->scrollToBottom();
    QTest::qWait(50);
    QVERIFY(!model->isLoading());
}

void FailuresTest::newFilterDropsLatePagesOfTheOldFilter()
{
    auto page = openPage(m_db->url());
    FailureFilter first;
    first.modelId = 1;
    FailureFilter second;
    second.portal = QStringLiteral("de");
    // The first filter's page is still on its way when the second filter is set.
    page->setFilter(first);
    page->setFilter(second);
    WAIT_FOR(settled(*page));
    QTest::qWait(50); // room for a late page to (wrongly) arrive
    QCOMPARE(page->failureModel()->pagesLoaded(), 1);
    const QList<qint64> expected = idsWhere(
        *m_writer, QStringLiteral("source_portal = 'de' AND resolution IS NULL"));
    QCOMPARE(shownIds(*page), expected.mid(0, FailureTableModel::kDefaultPageSize));
    QCOMPARE(page->countText(), countWords(expected.size()));
}

void FailuresTest::countLabelEqualsTheCountOfTheFilter()
{
    auto page = openPage(m_db->url());
    QLabel *label = page->filterBar()->countLabel();
    struct Case
    {
        FailureFilter filter;
        QString where;
        QVariantList params;
    };
    QList<Case> cases;
    cases.append({FailureFilter{}, QStringLiteral("resolution IS NULL"), {}});
    FailureFilter f;
    f.modelId = 2;
    cases.append({f, QStringLiteral("model_id = 2 AND resolution IS NULL"), {}});
    f.includeResolved = true;
    cases.append({f, QStringLiteral("model_id = 2"), {}});
    f = {};
    f.errorClass = QStringLiteral("KeyError");
    f.portal = QStringLiteral("lt");
    cases.append({f,
                  QStringLiteral("error_class = $1 AND source_portal = $2 AND resolution IS NULL"),
                  {f.errorClass, f.portal}});
    f = {};
    f.searchText = QStringLiteral("timeout");
    f.matchCase = true;
    f.until = kT0 - 6 * 3'600'000;
    cases.append({f,
                  QStringLiteral("(POSITION($1 IN error_class) > 0 OR POSITION($1 IN message) > 0 "
                                 "OR POSITION($1 IN record_id) > 0) AND failed_at < {ts:$2} AND "
                                 "resolution IS NULL"),
                  {f.searchText, *f.until}});
    f = {};
    f.errorClass = QStringLiteral("NoSuchError");
    cases.append({f, QStringLiteral("error_class = 'NoSuchError'"), {}});

    for (const Case &c : std::as_const(cases)) {
        page->setFilter(c.filter);
        // Until the count answers, the label says so rather than showing a stale number.
        QCOMPARE(label->text(), QStringLiteral("counting…"));
        WAIT_FOR(settled(*page));
        const qint64 count = scalar(*m_writer,
                                    QStringLiteral("SELECT COUNT(*) FROM failed_records WHERE ")
                                        + c.where,
                                    c.params);
        QCOMPARE(page->failureCount()->exact(), std::optional<qint64>(count));
        QCOMPARE(label->text(), countWords(count));
    }
}

namespace {

// Holds the error-group counters locked (or lets them go) from another connection, so that a
// count they answer waits on the server.
void lockErrorGroups(FleetWriter &locker, bool postgres, bool lock)
{
    sql::Connection &c = locker.connection();
    if (postgres && lock) {
        c.begin();
        c.execScript(QStringLiteral("LOCK TABLE error_groups IN ACCESS EXCLUSIVE MODE"));
    } else if (postgres) {
        c.commit();
    } else {
        c.execScript(lock ? QStringLiteral("LOCK TABLES error_groups WRITE")
                          : QStringLiteral("UNLOCK TABLES"));
    }
}

} // namespace

void FailuresTest::slowCountShowsALowerBoundAndHoldsNothingUp()
{
    auto page = openPage(m_db->url());
    WAIT_FOR(page->groupModel()->rowCount() > 0 && page->filterBar()->modelBox()->count() > 1);
    // A count by model alone is answered from the error-group counters: holding them locked
    // makes the count slow while the table's pages (which never read them) stay fast.
    auto locker = m_db->openWriter();
    const bool postgres = m_server.backend == QLatin1String("postgresql");
    lockErrorGroups(*locker, postgres, true);
    FailureFilter byModel;
    byModel.modelId = 1;
    page->setFilter(byModel);
    FailureTableModel *model = page->failureModel();
    WAIT_FOR(model->pagesLoaded() == 1 && !model->isLoading());
    QCOMPARE(page->countText(), QStringLiteral("counting…"));
    page->table()->scrollToBottom(); // scrolling goes on while the count waits
    WAIT_FOR(model->pagesLoaded() == 2 && !model->isLoading());
    page->table()->selectRow(3); // and so does the detail
    WAIT_FOR(page->currentDetail().has_value());
    QCOMPARE(page->currentDetail()->row.id, model->failureAt(3).id);
    WAIT_FOR(page->failureCount()->isSlow());
    QCOMPARE(page->countText(), QStringLiteral("counting… (400+ so far)"));
    QCOMPARE(page->failureCount()->state(), FailureCount::State::Counting);

    lockErrorGroups(*locker, postgres, false);
    WAIT_FOR(page->failureCount()->state() == FailureCount::State::Exact);
    QCOMPARE(page->countText(),
             countWords(scalar(*m_writer, QStringLiteral("SELECT COUNT(*) FROM failed_records "
                                                         "WHERE model_id = 1 AND resolution IS "
                                                         "NULL"))));
}

void FailuresTest::slowCountIsStoppedOnTheServer()
{
    auto page = openPage(m_db->url());
    WAIT_FOR(page->groupModel()->rowCount() > 0 && page->filterBar()->modelBox()->count() > 1);
    page->failureCount()->setSlowAfterMs(200);
    // As above: the error-group counters held locked keep the count waiting on the server.
    auto locker = m_db->openWriter();
    const bool postgres = m_server.backend == QLatin1String("postgresql");
    lockErrorGroups(*locker, postgres, true);
    const QString waitingCounts =
        postgres ? QStringLiteral("SELECT COUNT(*) FROM pg_stat_activity WHERE datname = "
                                  "current_database() AND state = 'active' AND query LIKE "
                                  "'SELECT COALESCE(SUM(%'")
                 : QStringLiteral("SELECT COUNT(*) FROM information_schema.processlist WHERE "
                                  "db = DATABASE() AND info LIKE 'SELECT COALESCE(SUM(%'");
    FailureFilter byModel;
    byModel.modelId = 2;
    page->setFilter(byModel);
    QToolButton *stop = page->filterBar()->stopButton();
    WAIT_FOR(page->failureCount()->isSlow() && stop->isVisible());
    QCOMPARE(scalar(*m_writer, waitingCounts), 1);
    stop->click();
    QCOMPARE(page->failureCount()->state(), FailureCount::State::Stopped);
    QVERIFY2(page->countText().contains(QStringLiteral("count stopped")),
             qPrintable(page->countText()));
    QVERIFY(!stop->isVisible());
    // The server stopped it while the lock is still held, and the view takes the next filter.
    WAIT_FOR(scalar(*m_writer, waitingCounts) == 0);
    lockErrorGroups(*locker, postgres, false);
    byModel.modelId = 3;
    page->setFilter(byModel);
    WAIT_FOR(page->failureCount()->state() == FailureCount::State::Exact);
    QCOMPARE(page->countText(),
             countWords(scalar(*m_writer, QStringLiteral("SELECT COUNT(*) FROM failed_records "
                                                         "WHERE model_id = 3 AND resolution IS "
                                                         "NULL"))));
    QVERIFY(!page->messageBar()->isVisible());
}

void FailuresTest::detailPaneShowsMessageAndBacktraceExactly()
{
    auto page = openPage(m_db->url());
    const SeededFailure &tricky = m_seed.failures.last();
    QCOMPARE(page->failureModel()->failureAt(0).id, tricky.id); // the newest record
    QSignalSpy shown(page.get(), &widgets::FailuresPage::detailShown);
    QSignalSpy userRequested(page.get(), &widgets::FailuresPage::userRequested);
    page->table()->selectRow(0);
    WAIT_FOR(shown.count() == 1);

    widgets::FailureDetailPane *detail = page->detailPane();
    QCOMPARE(detail->messageView()->toPlainText(), trickyMessage());
    QCOMPARE(detail->backtraceView()->toPlainText(), trickyBacktrace());
    QCOMPARE(detail->errorClassLabel()->text(), tricky.failure.errorClass);
    QVERIFY(detail->messageView()->isReadOnly());
    QVERIFY(detail->backtraceView()->textInteractionFlags() & Qt::TextSelectableByKeyboard);
    QCOMPARE(detail->backtraceView()->font().styleHint(), QFont::TypeWriter);
    const QString facts = detail->factsLabel()->text();
    for (const QString &fact :
         {QStringLiteral("lt:7"), QStringLiteral("items"), QStringLiteral("item-ü-42"),
          QStringLiteral("create"), QStringLiteral("4"), QStringLiteral("open"),
          QString::number(tricky.failure.payload.size()) + QStringLiteral(" bytes")})
        QVERIFY2(facts.contains(fact), qPrintable(fact + QStringLiteral(" not in ") + facts));
    QVERIFY(page->payloadArea()->isAncestorOf(page->payloadViewer()));
    QCOMPARE(page->payloadViewer()->payload(), tricky.failure.payload);
    QCOMPARE(page->payloadViewer()->contentType(), QStringLiteral("application/json"));
    const auto emitted = shown.first().first().value<FailureDetail>();
    QCOMPARE(emitted.payload, tricky.failure.payload);
    QCOMPARE(emitted.contentType, QStringLiteral("application/json"));

    // The table row says the same in short.
    FailureTableModel *model = page->failureModel();
    auto cell = [&](int column) { return model->index(0, column).data().toString(); };
    QCOMPARE(cell(FailureTableModel::Portal), QStringLiteral("lt"));
    QCOMPARE(cell(FailureTableModel::User), QStringLiteral("7"));
    QCOMPARE(cell(FailureTableModel::ModelName), QStringLiteral("items"));
    QCOMPARE(cell(FailureTableModel::RecordId), QStringLiteral("item-ü-42"));
    QCOMPARE(cell(FailureTableModel::Message), trickyMessage().section(QLatin1Char('\n'), 0, 0));
    QCOMPARE(cell(FailureTableModel::Attempt), QStringLiteral("4"));
    QCOMPARE(cell(FailureTableModel::ResolutionColumn), QStringLiteral("open"));

    // "Open user" asks for the user's dossier.
    emit detail->userLink()->linkActivated(QStringLiteral("user"));
    QCOMPARE(userRequested.count(), 1);
    QCOMPARE(userRequested.first().first().value<UserKey>(), (UserKey{QStringLiteral("lt"), 7}));

    // Another row replaces the detail.
    page->table()->selectRow(1);
    WAIT_FOR(shown.count() == 2);
    const qint64 second = model->failureAt(1).id;
    const SeededFailure *written = nullptr;
    for (const SeededFailure &s : m_seed.failures)
        if (s.id == second)
            written = &s;
    QVERIFY(written);
    QCOMPARE(detail->messageView()->toPlainText(), written->failure.message);
    QCOMPARE(detail->backtraceView()->toPlainText(), written->failure.backtrace);
}

void FailuresTest::groupsPanelListsTheGroupsWithTheirCounts()
{
    auto page = openPage(m_db->url());
    WAIT_FOR(page->groupModel()->rowCount() > 0);
    ErrorGroupModel *groups = page->groupModel();
    QCOMPARE(qint64(groups->rowCount()),
             scalar(*m_writer, QStringLiteral("SELECT COUNT(DISTINCT fingerprint) FROM "
                                              "failed_records")));
    for (const ErrorGroup &group : groups->groups()) {
        QCOMPARE(group.failures,
                 scalar(*m_writer,
                        QStringLiteral("SELECT COUNT(*) FROM failed_records WHERE fingerprint = $1"),
                        {group.fingerprint}));
        QCOMPARE(group.unresolved,
                 scalar(*m_writer,
                        QStringLiteral("SELECT COUNT(*) FROM failed_records WHERE fingerprint = $1 "
                                       "AND resolution IS NULL"),
                        {group.fingerprint}));
        QVERIFY(!group.models.isEmpty());
        QVERIFY(group.firstSeen <= group.lastSeen);
    }
    // The error class choices come from the groups.
    for (const QString &errorClass : m_seed.errorClasses)
        QVERIFY2(page->filterBar()->errorClassBox()->findData(errorClass) > 0,
                 qPrintable(errorClass));
    QVERIFY(page->groupsPanel()->isVisible());
    QCOMPARE(page->groupsPanel()->table()->model()->rowCount(), groups->rowCount());
}
