// The Plans view on each real server, offscreen: a running plan with its steps and chart and the
// lead's Pause enabled; a halted plan showing why with its figures; support sees the plan actions
// disabled with why; a lead console executes plans when asked, holding the lock so another
// executor waits, and gives it back when told to stop. With MC_PLANS_SCREENSHOTS set to a folder
// it saves docs/screenshots/plans-running.png and plans-halted.png (scripts/screenshots sets it).

#include "console_harness.h"
#include "guarded_plan_dialog.h"
#include "plans_service.h"
#include "plan_chart.h"
#include "plan_list_model.h"
#include "plans_page.h"

#include <QCheckBox>
#include <QDoubleSpinBox>
#include <QLineEdit>
#include <QLabel>
#include <QPushButton>
#include <QTest>

using namespace mc;
using namespace mc::test;

using mc::widgets::MainWindow;

namespace {

void shoot(QWidget *window, const QString &file)
{
    const QString dir = qEnvironmentVariable("MC_PLANS_SCREENSHOTS");
    if (dir.isEmpty())
        return;
    QTest::qWait(300); // the chart replots on its own
    QVERIFY(window->grab().save(dir + QLatin1Char('/') + file));
}

qint64 finish(FleetWriter &worker, int count, const QString &status)
{
    // A worker finishing some of the users it picked up, by plain SQL.
    const sql::Rows rows = worker.connection().query(
        QStringLiteral("SELECT source_portal, source_user_id FROM user_migrations WHERE status = "
                       "'pending' ORDER BY source_user_id LIMIT $1"),
        {count});
    qint64 done = 0;
    for (int r = 0; r < rows.size(); ++r)
        done += worker.connection().exec(
            QStringLiteral("UPDATE user_migrations SET status = $1, finished_at = "
                           "CURRENT_TIMESTAMP(3) WHERE source_portal = $2 AND source_user_id = $3"),
            {status, rows.text(r, 0), rows.int64(r, 1)});
    return done;
}

RetryPlanRequest plan(const QString &steps, qint64 holdMs)
{
    RetryPlanRequest request;
    request.filter.errorClass = QStringLiteral("Merge::Timeout");
    request.steps = parseRetrySteps(steps).value();
    request.holdMs = holdMs;
    request.minFinished = 20;
    request.reason = QStringLiteral("OPS-14 serializer timeout fixed in 2.31");
    request.by = tester();
    return request;
}

} // namespace

class PlansConsoleTest : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void runningPlanShowsItsStepsAndChart();
    void haltedPlanShowsWhy();
    void supportSeesPlanActionsDisabledWithWhy();
    void leadConsoleExecutesAndHoldsTheLock();
    void guardedPlanDialogsMakePlans();

private:
    std::unique_ptr<ConsoleHarness> openOnPlans(TestDatabase &db, const QString &role);
    TestServer m_server;
};

void PlansConsoleTest::initTestCase()
{
    m_server = TestServer::fromEnvironment();
    auto probe = mc::openStore(m_server.admin.toString());
    QVERIFY2(probe.ok(), qPrintable(probe.ok() ? QString() : probe.error().message));
}

std::unique_ptr<ConsoleHarness> PlansConsoleTest::openOnPlans(TestDatabase &db, const QString &role)
{
    auto console = std::make_unique<ConsoleHarness>();
    console->open(db.connectionUrlAs(role).toString());
    console->window->resize(1360, 860);
    console->window->show();
    console->window->showPage(MainWindow::Page::Plans);
    return console;
}

void PlansConsoleTest::runningPlanShowsItsStepsAndChart()
{
    TestDatabase db(m_server);
    db.installedStore();
    auto owner = db.openWriter();
    seedCatalogue(*owner);
    addFailedUsersWithRecords(*owner, QStringLiteral("lt"), 1, 600);
    auto lead = db.openStoreAs(QStringLiteral("lead"));
    const Result<Plan> made = lead->createRetryPlan(plan(QStringLiteral("100,10%,50%,100%"), 2500));
    REQUIRE_OK(made);
    // The canary, then the next step, while the workers finish them a few at a time (2 of 40
    // failing: 5 %, at the threshold but not above it).
    PlanPace pace{100, tester()};
    for (int round = 0; round < 12; ++round) {
        REQUIRE_ONCE(lead->advancePlans(pace));
        finish(*owner, 19, QStringLiteral("completed"));
        finish(*owner, round % 4 == 0 ? 1 : 0, QStringLiteral("failed"));
        QTest::qWait(150);
    }
    const Result<Plan> running = lead->plan(made->id);
    REQUIRE_OK(running);
    QVERIFY2(isActive(running->state), qPrintable(planStateName(running->state)));

    auto console = openOnPlans(db, QStringLiteral("lead"));
    widgets::PlansPage *page = console->window->plansPage();
    QTRY_COMPARE(page->model()->rowCount(), 1);
    QTRY_VERIFY(page->chart()->pointCount() > 2);
    QTRY_VERIFY(page->pauseButton()->isEnabled());
    QVERIFY(!page->resumeButton()->isEnabled());
    QVERIFY(page->cancelButton()->isEnabled());
    QVERIFY(!page->haltLabel()->isVisible());
    shoot(console->window.get(), QStringLiteral("plans-running.png"));
}

void PlansConsoleTest::haltedPlanShowsWhy()
{
    TestDatabase db(m_server);
    db.installedStore();
    auto owner = db.openWriter();
    seedCatalogue(*owner);
    addFailedUsersWithRecords(*owner, QStringLiteral("lt"), 1, 400);
    auto lead = db.openStoreAs(QStringLiteral("lead"));
    const Result<Plan> made = lead->createRetryPlan(plan(QStringLiteral("50,25%,100%"), 0));
    REQUIRE_OK(made);
    PlanPace pace{500, tester()};
    REQUIRE_ONCE(lead->advancePlans(pace));
    for (int round = 0; round < 6; ++round) { // the fix did not help: more and more fail again
        finish(*owner, 4, QStringLiteral("completed"));
        finish(*owner, round, QStringLiteral("failed"));
        REQUIRE_ONCE(lead->advancePlans(pace));
        QTest::qWait(300);
    }
    QCOMPARE(lead->plan(made->id)->state, PlanState::Halted);

    auto console = openOnPlans(db, QStringLiteral("lead"));
    widgets::PlansPage *page = console->window->plansPage();
    QTRY_VERIFY(page->haltLabel()->isVisible());
    QVERIFY2(page->haltLabel()->text().contains(QLatin1String("failed of")),
             qPrintable(page->haltLabel()->text()));
    QVERIFY(page->haltLabel()->text().contains(QLatin1String("above the threshold 5 %")));
    QTRY_VERIFY(page->resumeButton()->isEnabled());
    QVERIFY(!page->pauseButton()->isEnabled());
    shoot(console->window.get(), QStringLiteral("plans-halted.png"));
}

void PlansConsoleTest::supportSeesPlanActionsDisabledWithWhy()
{
    TestDatabase db(m_server);
    db.installedStore();
    auto owner = db.openWriter();
    seedCatalogue(*owner);
    addFailedUsersWithRecords(*owner, QStringLiteral("lt"), 1, 30);
    auto lead = db.openStoreAs(QStringLiteral("lead"));
    REQUIRE_ONCE(lead->createRetryPlan(plan(QStringLiteral("10,100%"), 0)));
    auto console = openOnPlans(db, QStringLiteral("support"));
    widgets::PlansPage *page = console->window->plansPage();
    QTRY_COMPARE(page->model()->rowCount(), 1);
    QTRY_VERIFY(page->pauseButton()->toolTip().contains(QLatin1String("Needs mc_lead")));
    QVERIFY(!page->pauseButton()->isEnabled());
    QVERIFY(!page->cancelButton()->isEnabled());
    QVERIFY(!page->executeBox()->isEnabled());
    QVERIFY(page->executeBox()->toolTip().contains(QLatin1String("mc_test_support")));
}

void PlansConsoleTest::leadConsoleExecutesAndHoldsTheLock()
{
    TestDatabase db(m_server);
    db.installedStore();
    auto owner = db.openWriter();
    seedCatalogue(*owner);
    addFailedUsersWithRecords(*owner, QStringLiteral("lt"), 1, 40);
    auto lead = db.openStoreAs(QStringLiteral("lead"));
    const Result<Plan> made = lead->createRetryPlan(plan(QStringLiteral("10,100%"), 0));
    REQUIRE_OK(made);
    auto console = openOnPlans(db, QStringLiteral("lead"));
    widgets::PlansPage *page = console->window->plansPage();
    QTRY_COMPARE(page->model()->rowCount(), 1);
    QTRY_VERIFY(page->executeBox()->isEnabled());
    page->executeBox()->setChecked(true);
    QTRY_VERIFY_WITH_TIMEOUT(lead->plan(made->id)->moved == 10, 10'000);
    QTRY_VERIFY(page->executorLabel()->text().contains(QLatin1String("Executing")));
    // The console holds the lock: another executor waits.
    QCOMPARE(lead->claimPlanExecutor().value(), false);
    page->executeBox()->setChecked(false);
    QTRY_VERIFY_WITH_TIMEOUT(lead->claimPlanExecutor().value(), 10'000);
    QVERIFY(page->executorLabel()->text().contains(QLatin1String("does not execute")));
}

void PlansConsoleTest::guardedPlanDialogsMakePlans()
{
    TestDatabase db(m_server);
    db.installedStore();
    auto owner = db.openWriter();
    seedCatalogue(*owner);
    addFailedUsersWithRecords(*owner, QStringLiteral("lt"), 1, 30);
    auto console = openOnPlans(db, QStringLiteral("lead"));
    PlansService service(&console->database);
    FailureFilter filter;
    filter.errorClass = QStringLiteral("Merge::Timeout");
    widgets::GuardedPlanDialog retry(&service, filter);
    QCOMPARE(retry.stepsEdit()->text(), QStringLiteral("100,10%,50%,100%"));
    QVERIFY(!retry.createButton()->isEnabled()); // no reason yet
    retry.stepsEdit()->setText(QStringLiteral("50%,10%"));
    retry.reasonEdit()->setText(QStringLiteral("OPS-14"));
    QVERIFY(!retry.createButton()->isEnabled());
    QVERIFY(retry.problemLabel()->text().contains(QLatin1String("grow")));
    retry.stepsEdit()->setText(QStringLiteral("5,100%"));
    retry.haltAboveBox()->setValue(12.5);
    QVERIFY(retry.createButton()->isEnabled());
    retry.createButton()->click();
    QTRY_COMPARE(scalar(*owner, QStringLiteral("SELECT COUNT(*) FROM plans WHERE kind = 'retry' "
                                               "AND steps = '5,100%' AND halt_above_bp = 1250 "
                                               "AND users_total = 30")),
                 1);
    // The rollout's Ramp…: from 5 % (the catalogue's lt) to 50 %, steps suggested.
    widgets::GuardedPlanDialog ramp(&service, QStringLiteral("merge"), QStringLiteral("lt"), 500,
                                    5000);
    QCOMPARE(ramp.stepsEdit()->text(), QStringLiteral("25,50"));
    ramp.reasonEdit()->setText(QStringLiteral("OPS-14 open lt"));
    ramp.createButton()->click();
    QTRY_COMPARE(scalar(*owner, QStringLiteral("SELECT COUNT(*) FROM plans WHERE kind = 'ramp' "
                                               "AND steps = '25%,50%' AND start_bp = 500")),
                 1);
    // Nothing moved or changed yet: that is the executor's.
    QCOMPARE(scalar(*owner, QStringLiteral("SELECT COUNT(*) FROM user_migrations WHERE "
                                           "retry_count > 0")),
             0);
}

QTEST_MAIN(PlansConsoleTest)
#include "tst_plans_console.moc"
