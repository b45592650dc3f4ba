// Guarded plans on each real server (006_guarded_plans.sql, store_plans.cpp, store_plan_steps.cpp,
// migctl plan): a canary that fails again halts the plan with its figures and leaves every other
// user untouched; a plan whose users succeed moves exactly the filter's users once; a ramp halts on
// merge-sim's failure spike and stays at its step; `migctl plan run` killed mid-step resumes without
// moving anyone twice while a second executor waits for the lock; only the lead may make or change
// a plan, and the server itself refuses the others.

#include "contract_fixture.h"
#include "migctl_runner.h"
#include "sql/sql_connection.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTest>

#include <csignal>

using namespace mc;
using namespace mc::test;

namespace {

const QString kLt = QStringLiteral("lt");

FailureFilter timeouts()
{
    FailureFilter filter;
    filter.errorClass = QStringLiteral("Merge::Timeout");
    return filter;
}

RetryPlanRequest retryPlan(const QString &steps, int minFinished)
{
    RetryPlanRequest request;
    request.filter = timeouts();
    request.steps = parseRetrySteps(steps).value();
    request.holdMs = 0;
    request.minFinished = minFinished;
    request.reason = QStringLiteral("OPS-14 fix deployed");
    request.by = tester();
    return request;
}

// What a worker writes when the users it picked up end: plain SQL, as another team would.
qint64 finishPending(FleetWriter &worker, const QString &status)
{
    return worker.connection().exec(
        QStringLiteral("UPDATE user_migrations SET status = $1, finished_at = CURRENT_TIMESTAMP(3), "
                       "updated_at = CURRENT_TIMESTAMP(3) WHERE status = 'pending'"),
        {status});
}

// merge-sim's workers as the worker login, no new users, fast, with a failure spike from the
// start (`spike`: its rate and portal, and other run options).
void startWorkers(QProcess &sim, const TestDatabase &db, const QStringList &spike)
{
    sim.start(QStringLiteral(MERGE_SIM_BINARY),
              QStringList{QStringLiteral("--db"),
                          db.connectionUrlAs(QStringLiteral("worker")).toString(),
                          QStringLiteral("run"), QStringLiteral("--duration"), QStringLiteral("40"),
                          QStringLiteral("--influx"), QStringLiteral("0"), QStringLiteral("--speed"),
                          QStringLiteral("100"), QStringLiteral("--workers"), QStringLiteral("3"),
                          QStringLiteral("--spike-after"), QStringLiteral("0")}
                  + spike);
}

PlanState stateOf(MergeStore &store, qint64 id)
{
    const Result<Plan> plan = store.plan(id);
    return plan.ok() ? plan->state : PlanState::Cancelled;
}

QJsonObject lastAuditAfter(FleetWriter &owner, const QString &action, QString *reason = nullptr)
{
    const sql::Rows rows = owner.connection().query(
        QStringLiteral("SELECT after_state, reason FROM audit_log WHERE action = $1 ORDER BY id "
                       "DESC LIMIT 1"),
        {action});
    if (rows.empty())
        return {};
    if (reason)
        *reason = rows.text(0, 1);
    return QJsonDocument::fromJson(rows.text(0, 0).toUtf8()).object();
}

} // namespace

class PlansTest : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void stepsParseAndTargets();
    void canaryThatFailsAgainHaltsWithItsFigures();
    void canaryHaltsWhenMergeSimsWorkersFailItAgain();
    void succeedingPlanMovesTheFiltersUsersOnce();
    void pauseResumeCancelAreAuditedAndChecked();
    void onlyTheLeadMayMakeOrChangePlans();
    void migctlMakesShowsAndChangesPlans();
    void oneExecutorHoldsTheLock();
    void rampHaltsOnASpikeAndStaysAtItsStep();
    void rampHaltsWhenItsFlagIsChangedOutsideIt();
    void killedExecutorResumesWithoutMovingAnyoneTwice();

private:
    // The catalogue, `failed` Merge::Timeout users lt:1… and 10 failed users of another error.
    void seed(TestDatabase &db, qint64 failed);
    TestServer m_server;
};

void PlansTest::initTestCase()
{
    m_server = TestServer::fromEnvironment();
    auto probe = mc::openStore(m_server.admin.toString());
    QVERIFY2(probe.ok(), qPrintable(QStringLiteral("%1 server not reachable at %2: %3")
                                        .arg(m_server.backend, m_server.admin.redacted(),
                                             probe.ok() ? QString() : probe.error().message)));
}

void PlansTest::seed(TestDatabase &db, qint64 failed)
{
    db.installedStore();
    auto owner = db.openWriter();
    seedCatalogue(*owner);
    addFailedUsersWithRecords(*owner, kLt, 1, failed);
    addFailedUsersWithRecords(*owner, QStringLiteral("de"), 1, 10);
    owner->connection().exec(QStringLiteral(
        "UPDATE failed_records SET error_class = 'Merge::Conflict' WHERE source_portal = 'de'"));
}

void PlansTest::stepsParseAndTargets()
{
    const auto steps = parseRetrySteps(QStringLiteral("100,10%,50%,100%"));
    QVERIFY(steps.ok());
    QCOMPARE(stepsText(steps.value()), QStringLiteral("100,10%,50%,100%"));
    // 100 users, then 10 %, 50 % and all of the remaining 900.
    QCOMPARE(retryStepTarget(steps.value(), 0, 1000), 100);
    QCOMPARE(retryStepTarget(steps.value(), 1, 1000), 190);
    QCOMPARE(retryStepTarget(steps.value(), 2, 1000), 550);
    QCOMPARE(retryStepTarget(steps.value(), 3, 1000), 1000);
    QCOMPARE(retryStepTarget(steps.value(), 0, 30), 30); // fewer users than the canary
    QVERIFY(!parseRetrySteps(QStringLiteral("50%,10%")).ok());
    QVERIFY(!parseRetrySteps(QStringLiteral("10%,100")).ok());
    QVERIFY(!parseRampSteps(QStringLiteral("5,1")).ok());
    QCOMPARE(parseRampSteps(QStringLiteral("1,5,12.5,100")).value().at(2).value, 1250);
    QCOMPARE(defaultHaltAboveBasisPoints(std::nullopt), 500);
    QCOMPARE(defaultHaltAboveBasisPoints(200), 500);
    QCOMPARE(defaultHaltAboveBasisPoints(400), 800);
    QVERIFY(!PlanFigures({19, 19}).trips(500, 20)); // not enough finished to judge
    QVERIFY(PlanFigures({20, 2}).trips(500, 20));
    QVERIFY(!PlanFigures({20, 1}).trips(500, 20)); // exactly 5 % is not above 5 %
}

void PlansTest::canaryThatFailsAgainHaltsWithItsFigures()
{
    TestDatabase db(m_server);
    seed(db, 300);
    auto owner = db.openWriter();
    auto lead = db.openStoreAs(QStringLiteral("lead"));
    const Result<Plan> made = lead->createRetryPlan(retryPlan(QStringLiteral("25,50%,100%"), 20));
    REQUIRE_OK(made);
    QCOMPARE(made->usersTotal, 300); // the Merge::Timeout users only
    QCOMPARE(made->haltAboveBasisPoints, 500); // nobody finished the hour before: the 5 % floor

    PlanPace pace{500, tester()};
    REQUIRE_ONCE(lead->advancePlans(pace)); // the canary: 25 users in one batch
    QCOMPARE(scalar(*owner, QStringLiteral("SELECT COUNT(*) FROM user_migrations WHERE status = "
                                           "'pending'")),
             25);
    REQUIRE_ONCE(lead->advancePlans(pace)); // holding: nobody has finished, nothing more moves
    QCOMPARE(stateOf(*lead, made->id), PlanState::Holding);
    QCOMPARE(scalar(*owner, QStringLiteral("SELECT COUNT(*) FROM user_migrations WHERE "
                                           "retry_count > 0")),
             25);

    // The fix was wrong: the canary fails again.
    QCOMPARE(finishPending(*owner, QStringLiteral("failed")), 25);
    REQUIRE_ONCE(lead->advancePlans(pace));
    const Result<Plan> halted = lead->plan(made->id);
    REQUIRE_OK(halted);
    QCOMPARE(halted->state, PlanState::Halted);
    QCOMPARE(halted->figures.finished, 25);
    QCOMPARE(halted->figures.failed, 25);
    QVERIFY2(halted->haltReason.contains(QLatin1String("25 failed of 25 finished")),
             qPrintable(halted->haltReason));
    QString reason;
    const QJsonObject audit = lastAuditAfter(*owner, QStringLiteral("plan_halt"), &reason);
    QCOMPARE(audit.value(QStringLiteral("finished")).toInt(), 25);
    QCOMPARE(audit.value(QStringLiteral("failed")).toInt(), 25);
    QCOMPARE(audit.value(QStringLiteral("rate")).toString(), QStringLiteral("100 %"));
    QCOMPARE(audit.value(QStringLiteral("halt_above")).toString(), QStringLiteral("5 %"));
    QCOMPARE(reason, halted->haltReason);

    // Halted stays halted: the executor passes it by, and every user past the canary is as it was.
    for (int i = 0; i < 3; ++i)
        REQUIRE_ONCE(lead->advancePlans(pace));
    QCOMPARE(scalar(*owner, QStringLiteral("SELECT COUNT(*) FROM user_migrations WHERE "
                                           "retry_count = 0 AND status = 'failed'")),
             300 - 25 + 10);
    QCOMPARE(scalar(*owner, QStringLiteral("SELECT COUNT(*) FROM plan_users WHERE step IS NULL")),
             300 - 25);
    verifyCountersEqualCounts(owner->connection());
}

void PlansTest::canaryHaltsWhenMergeSimsWorkersFailItAgain()
{
    TestDatabase db(m_server);
    seed(db, 200);
    auto owner = db.openWriter();
    owner->connection().exec(QStringLiteral("UPDATE queues SET run_every_ms = 50"));
    auto lead = db.openStoreAs(QStringLiteral("lead"));
    const Result<Plan> made = lead->createRetryPlan(retryPlan(QStringLiteral("20,100%"), 10));
    REQUIRE_OK(made);
    // The real workers, and every user run doomed: the fix behind the retry did not work.
    QProcess sim;
    startWorkers(sim, db, {QStringLiteral("--spike-rate"), QStringLiteral("1")});
    QVERIFY(sim.waitForStarted());
    QElapsedTimer clock;
    clock.start();
    PlanPace pace{500, tester()};
    while (stateOf(*lead, made->id) != PlanState::Halted && clock.elapsed() < 40'000) {
        REQUIRE_ONCE(lead->advancePlans(pace));
        QTest::qWait(200);
    }
    sim.terminate();
    sim.waitForFinished(20'000);
    const Result<Plan> halted = lead->plan(made->id);
    REQUIRE_OK(halted);
    QVERIFY2(halted->state == PlanState::Halted, qPrintable(planStateName(halted->state)));
    QCOMPARE(halted->step, 0);
    QCOMPARE(halted->moved, 20);
    QVERIFY(halted->figures.finished >= 10 && halted->figures.failed == halted->figures.finished);
    // Every user past the canary is as it was: failed, never retried.
    QCOMPARE(scalar(*owner, QStringLiteral("SELECT COUNT(*) FROM user_migrations WHERE "
                                           "source_portal = 'lt' AND retry_count = 0 AND "
                                           "status = 'failed'")),
             180);
    QString reason;
    const QJsonObject audit = lastAuditAfter(*owner, QStringLiteral("plan_halt"), &reason);
    QCOMPARE(audit.value(QStringLiteral("moved")).toInt(), 20);
    QCOMPARE(audit.value(QStringLiteral("rate")).toString(), QStringLiteral("100 %"));
    QVERIFY2(reason.contains(QLatin1String("after moving 20 of 200 users")), qPrintable(reason));
}

void PlansTest::succeedingPlanMovesTheFiltersUsersOnce()
{
    TestDatabase db(m_server);
    seed(db, 120);
    auto owner = db.openWriter();
    auto lead = db.openStoreAs(QStringLiteral("lead"));
    const Result<Plan> made = lead->createRetryPlan(retryPlan(QStringLiteral("10,50%,100%"), 5));
    REQUIRE_OK(made);
    PlanPace pace{30, tester()};
    int passes = 0;
    while (stateOf(*lead, made->id) != PlanState::Done && passes++ < 60) {
        REQUIRE_ONCE(lead->advancePlans(pace));
        finishPending(*owner, QStringLiteral("completed"));
    }
    const Result<Plan> done = lead->plan(made->id);
    REQUIRE_OK(done);
    QCOMPARE(done->state, PlanState::Done);
    QCOMPARE(done->moved, 120);
    QCOMPARE(done->figures.finished, 120);
    QCOMPARE(done->figures.failed, 0);
    QVERIFY(!done->samples.isEmpty());
    // Exactly the filter's users, each once; the other error's users untouched.
    QCOMPARE(scalar(*owner, QStringLiteral("SELECT COUNT(*) FROM user_migrations WHERE "
                                           "source_portal = 'lt' AND retry_count = 1 AND "
                                           "status = 'completed'")),
             120);
    QCOMPARE(scalar(*owner, QStringLiteral("SELECT COUNT(*) FROM user_migrations WHERE "
                                           "retry_count > 1")),
             0);
    QCOMPARE(scalar(*owner, QStringLiteral("SELECT COUNT(*) FROM user_migrations WHERE "
                                           "source_portal = 'de' AND status = 'failed' AND "
                                           "retry_count = 0")),
             10);
    int entries = 0;
    const QSet<QString> audited = usersInRetryAudit(*lead, &entries);
    QCOMPARE(audited.size(), 120);
    QVERIFY(audited.contains(QStringLiteral("lt:1")) && audited.contains(QStringLiteral("lt:120")));
    QCOMPARE(scalar(*owner, QStringLiteral("SELECT COUNT(*) FROM audit_log WHERE action = "
                                           "'plan_step'")),
             3);
    QCOMPARE(scalar(*owner, QStringLiteral("SELECT COUNT(*) FROM audit_log WHERE action = "
                                           "'plan_done'")),
             1);
    verifyCountersEqualCounts(owner->connection());
}

void PlansTest::pauseResumeCancelAreAuditedAndChecked()
{
    TestDatabase db(m_server);
    seed(db, 40);
    auto owner = db.openWriter();
    auto lead = db.openStoreAs(QStringLiteral("lead"));
    const Result<Plan> made = lead->createRetryPlan(retryPlan(QStringLiteral("10,100%"), 5));
    REQUIRE_OK(made);
    auto change = [&](PlanAction action, std::optional<int> haltAbove = std::nullopt) {
        return lead->changePlan({made->id, action, haltAbove, QStringLiteral("watching"), tester()});
    };
    REQUIRE_ONCE(change(PlanAction::Pause));
    PlanPace pace{500, tester()};
    REQUIRE_ONCE(lead->advancePlans(pace)); // paused: nothing moves
    QCOMPARE(scalar(*owner, QStringLiteral("SELECT COUNT(*) FROM user_migrations WHERE "
                                           "status = 'pending'")),
             0);
    const Result<Plan> again = change(PlanAction::Pause);
    QVERIFY(!again.ok());
    QCOMPARE(again.error().kind, StoreError::Kind::Conflict);
    REQUIRE_ONCE(change(PlanAction::Resume));
    REQUIRE_ONCE(lead->advancePlans(pace));
    QCOMPARE(scalar(*owner, QStringLiteral("SELECT COUNT(*) FROM user_migrations WHERE "
                                           "status = 'pending'")),
             10);
    // Halted by a failing canary, then resumed with a higher threshold the lead chose.
    finishPending(*owner, QStringLiteral("failed"));
    REQUIRE_ONCE(lead->advancePlans(pace));
    QCOMPARE(stateOf(*lead, made->id), PlanState::Halted);
    const Result<Plan> resumed = change(PlanAction::Resume, 10'000 - 1);
    REQUIRE_OK(resumed);
    QCOMPARE(resumed->state, PlanState::Holding);
    QCOMPARE(resumed->haltAboveBasisPoints, 9999);
    REQUIRE_ONCE(change(PlanAction::Cancel));
    REQUIRE_ONCE(lead->advancePlans(pace));
    QCOMPARE(stateOf(*lead, made->id), PlanState::Cancelled);
    QCOMPARE(scalar(*owner, QStringLiteral("SELECT COUNT(*) FROM user_migrations WHERE "
                                           "retry_count > 0")),
             10);
    for (const char *action : {"plan_create", "plan_pause", "plan_resume", "plan_halt",
                               "plan_cancel", "plan_step"})
        QVERIFY2(scalar(*owner, QStringLiteral("SELECT COUNT(*) FROM audit_log WHERE action = $1 "
                                               "AND database_user = 'mc_test_lead'"),
                        {QString::fromLatin1(action)})
                     > 0,
                 action);
}

void PlansTest::onlyTheLeadMayMakeOrChangePlans()
{
    TestDatabase db(m_server);
    seed(db, 20);
    auto owner = db.openWriter();
    auto lead = db.openStoreAs(QStringLiteral("lead"));
    const Result<Plan> made = lead->createRetryPlan(retryPlan(QStringLiteral("5,100%"), 5));
    REQUIRE_OK(made);
    const QString before = QStringLiteral("%1/%2").arg(
        scalar(*owner, QStringLiteral("SELECT COUNT(*) FROM plans")))
        .arg(scalar(*owner, QStringLiteral("SELECT SUM(version) FROM plans")));
    for (const char *role : {"qa", "support"}) {
        const QString r = QString::fromLatin1(role);
        // The store asks the server, without the client's check: the server refuses.
        auto store = db.openStoreAs(r);
        const Result<Plan> create = store->createRetryPlan(retryPlan(QStringLiteral("100%"), 5));
        QVERIFY2(!create.ok(), role);
        QCOMPARE(create.error().kind, StoreError::Kind::Permission);
        for (PlanAction action : {PlanAction::Pause, PlanAction::Cancel}) {
            const Result<Plan> changed =
                store->changePlan({made->id, action, std::nullopt, QStringLiteral("r"), tester()});
            QVERIFY2(!changed.ok(), role);
            QCOMPARE(changed.error().kind, StoreError::Kind::Permission);
        }
        auto writer = db.openWriterAs(r);
        for (const char *sql : {"UPDATE plans SET state = 'cancelled'",
                                "UPDATE plan_users SET step = 0",
                                "INSERT INTO plans (kind, reason, steps, hold_ms, min_finished, "
                                "halt_above_bp) VALUES ('retry', 'x', '100%', 0, 1, 500)"}) {
            bool refused = false;
            try {
                writer->connection().exec(QString::fromLatin1(sql));
            } catch (const sql::DbError &) {
                refused = true;
            }
            QVERIFY2(refused, sql);
        }
        QVERIFY(!store->roleAccess()->may(RoleAction::ManagePlans));
        // migctl refuses before it writes anything (exit 4), with the console's words.
        MigctlRunner migctl(db.connectionUrlAs(r).toString());
        for (const QStringList &arguments :
             {QStringList{"plan", "pause", QString::number(made->id), "--reason", "r"},
              QStringList{"plan", "cancel", QString::number(made->id), "--reason", "r"},
              QStringList{"retry", "--error-class", "Merge::Timeout", "--canary", "5", "--steps",
                          "100%", "--reason", "r"},
              QStringList{"rollout", "ramp", "merge", "lt", "--steps", "10,20", "--reason", "r"},
              QStringList{"plan", "run", "--until-idle"}}) {
            const MigctlRun run = migctl.run(arguments);
            QVERIFY2(run.exitCode == 4, qPrintable(run.describe()));
            QVERIFY2(run.err.contains("Needs mc_lead"), qPrintable(run.describe()));
        }
        const MigctlRun list = migctl.run({"plan", "list", "--json"}); // reading is everyone's
        QVERIFY2(list.exitCode == 0, qPrintable(list.describe()));
        QCOMPARE(list.json().value(QStringLiteral("plans")).toArray().size(), 1);
    }
    QCOMPARE(QStringLiteral("%1/%2")
                 .arg(scalar(*owner, QStringLiteral("SELECT COUNT(*) FROM plans")))
                 .arg(scalar(*owner, QStringLiteral("SELECT SUM(version) FROM plans"))),
             before);
    QVERIFY(lead->roleAccess()->may(RoleAction::ManagePlans));
}

void PlansTest::migctlMakesShowsAndChangesPlans()
{
    TestDatabase db(m_server);
    seed(db, 40);
    MigctlRunner migctl(db.connectionUrlAs(QStringLiteral("lead")).toString());
    const MigctlRun retry = migctl.run({"retry", "--error-class", "Merge::Timeout", "--canary",
                                        "5", "--steps", "50%,100%", "--hold", "0",
                                        "--min-finished", "3", "--reason", "OPS-14", "--json"});
    QVERIFY2(retry.exitCode == 0, qPrintable(retry.describe()));
    const QJsonObject plan = retry.json();
    QCOMPARE(plan.value(QStringLiteral("kind")).toString(), QStringLiteral("retry"));
    QCOMPARE(plan.value(QStringLiteral("users_total")).toInt(), 40);
    QCOMPARE(plan.value(QStringLiteral("steps")).toArray().size(), 3);
    QCOMPARE(plan.value(QStringLiteral("halt_above_bp")).toInt(), 500);
    const QString id = QString::number(plan.value(QStringLiteral("id")).toInt());
    const MigctlRun ramp = migctl.run({"rollout", "ramp", "merge", "lt", "--steps", "10,20",
                                       "--hold", "1s", "--halt-above", "7.5", "--reason", "r",
                                       "--json"});
    QVERIFY2(ramp.exitCode == 0, qPrintable(ramp.describe()));
    QCOMPARE(ramp.json().value(QStringLiteral("halt_above_bp")).toInt(), 750);
    const MigctlRun list = migctl.run({"plan", "list", "--json"});
    QCOMPARE(list.json().value(QStringLiteral("plans")).toArray().size(), 2);
    const MigctlRun text = migctl.run({"plan", "list"});
    QVERIFY2(text.out.contains("guarded") || text.out.contains("retry"), text.out.constData());

    QCOMPARE(migctl.run({"plan", "pause", id, "--reason", "look first"}).exitCode, 0);
    const MigctlRun again = migctl.run({"plan", "pause", id, "--reason", "look first"});
    QVERIFY2(again.exitCode == 3 && again.err.contains("paused"), qPrintable(again.describe()));
    const MigctlRun resumed =
        migctl.run({"plan", "resume", id, "--halt-above", "8", "--reason", "ok", "--json"});
    QVERIFY2(resumed.exitCode == 0, qPrintable(resumed.describe()));
    QCOMPARE(resumed.json().value(QStringLiteral("halt_above_bp")).toInt(), 800);
    QCOMPARE(resumed.json().value(QStringLiteral("state")).toString(), QStringLiteral("running"));
    QCOMPARE(migctl.run({"plan", "cancel", id, "--reason", "done here"}).exitCode, 0);
    const MigctlRun shown = migctl.run({"plan", "show", id, "--json"});
    QCOMPARE(shown.json().value(QStringLiteral("state")).toString(), QStringLiteral("cancelled"));
    const MigctlRun human = migctl.run({"plan", "show", id});
    QVERIFY2(human.exitCode == 0 && human.out.contains("cancelled"), qPrintable(human.describe()));

    // Bad input: a usage error (exit 2), nothing asked of the database.
    for (const QStringList &arguments :
         {QStringList{"retry", "--user", "lt:1", "--canary", "5", "--reason", "r"},
          QStringList{"retry", "--error-class", "X", "--steps", "50%,10%", "--reason", "r"},
          QStringList{"retry", "--error-class", "X", "--steps", "100%", "--hold", "5 min",
                      "--reason", "r"},
          QStringList{"rollout", "ramp", "merge", "lt", "--reason", "r"},
          QStringList{"plan", "show", "first"}}) {
        const MigctlRun run = migctl.run(arguments);
        QVERIFY2(run.exitCode == 2, qPrintable(run.describe()));
    }
    auto owner = db.openWriter();
    QCOMPARE(scalar(*owner, QStringLiteral("SELECT COUNT(*) FROM plans")), 2);
}

void PlansTest::oneExecutorHoldsTheLock()
{
    TestDatabase db(m_server);
    seed(db, 20);
    auto first = db.openStoreAs(QStringLiteral("lead"));
    auto second = db.openStoreAs(QStringLiteral("lead"));
    QCOMPARE(first->claimPlanExecutor().value(), true);
    QCOMPARE(first->claimPlanExecutor().value(), true); // still the holder
    QCOMPARE(second->claimPlanExecutor().value(), false);
    const Result<QList<PlanAdvance>> refused = second->advancePlans(PlanPace{500, tester()});
    QVERIFY(!refused.ok());
    QCOMPARE(refused.error().kind, StoreError::Kind::Conflict);
    // Given back (a console whose operator stops executing): the other takes it at once.
    REQUIRE_ONCE(first->releasePlanExecutor());
    QCOMPARE(second->claimPlanExecutor().value(), true);
    QCOMPARE(first->claimPlanExecutor().value(), false);
    second.reset(); // and the lock ends with its connection
    QTRY_VERIFY_WITH_TIMEOUT(first->claimPlanExecutor().value(), 5000);
}

void PlansTest::rampHaltsOnASpikeAndStaysAtItsStep()
{
    TestDatabase db(m_server);
    db.installedStore();
    auto owner = db.openWriter();
    seedCatalogue(*owner); // merge at 5 % on lt
    owner->connection().exec(QStringLiteral("UPDATE queues SET run_every_ms = 50"));
    // 3 000 requested (nil) users of lt: each ramp step admits the buckets it opens.
    std::vector<NewUser> users;
    for (qint64 id = 1; id <= 3000; ++id) {
        NewUser user;
        user.user = UserKey{kLt, id};
        users.push_back(user);
    }
    owner->addUsers(users);

    auto lead = db.openStoreAs(QStringLiteral("lead"));
    RampPlanRequest request;
    request.flag = QStringLiteral("merge");
    request.portal = kLt;
    request.steps = parseRampSteps(QStringLiteral("10,25,50,100")).value();
    request.holdMs = 1000;
    request.minFinished = 20;
    request.reason = QStringLiteral("OPS-14 open lt");
    request.by = tester();
    const Result<Plan> made = lead->createRampPlan(request);
    REQUIRE_OK(made);

    // The workers, with every user run of lt doomed from the start.
    QProcess sim;
    startWorkers(sim, db, {QStringLiteral("--failure-rate"), QStringLiteral("0"),
                           QStringLiteral("--spike-rate"), QStringLiteral("0.9"),
                           QStringLiteral("--spike-portal"), kLt});
    QVERIFY(sim.waitForStarted());
    QElapsedTimer clock;
    clock.start();
    PlanPace pace{500, tester()};
    while (stateOf(*lead, made->id) != PlanState::Halted && clock.elapsed() < 40'000) {
        REQUIRE_ONCE(lead->advancePlans(pace));
        QTest::qWait(200);
    }
    const Result<Plan> halted = lead->plan(made->id);
    REQUIRE_OK(halted);
    QVERIFY2(halted->state == PlanState::Halted, qPrintable(planStateName(halted->state)));
    // It stopped at the first step it judged, and the flag stays where the plan left it.
    QCOMPARE(halted->step, 0);
    QCOMPARE(halted->reachedBasisPoints, 1000);
    for (int i = 0; i < 5; ++i) {
        REQUIRE_ONCE(lead->advancePlans(pace));
        QTest::qWait(100);
    }
    sim.terminate();
    sim.waitForFinished(20'000);
    QCOMPARE(scalar(*owner, QStringLiteral("SELECT FLOOR(percentage * 100) FROM rollout_flags "
                                           "WHERE flag = 'merge' AND portal = 'lt'")),
             1000);
    QVERIFY(halted->figures.finished >= 20);
    QVERIFY(halted->figures.failed * 10'000 > halted->figures.finished * 500);
    const QJsonObject audit = lastAuditAfter(*owner, QStringLiteral("plan_halt"));
    QCOMPARE(audit.value(QStringLiteral("flag_at")).toString(), QStringLiteral("10 %"));
    QCOMPARE(scalar(*owner, QStringLiteral("SELECT COUNT(*) FROM audit_log WHERE action = "
                                           "'set_rollout'")),
             1);
}

void PlansTest::rampHaltsWhenItsFlagIsChangedOutsideIt()
{
    TestDatabase db(m_server);
    db.installedStore();
    auto owner = db.openWriter();
    seedCatalogue(*owner); // merge at 5 % on lt
    auto lead = db.openStoreAs(QStringLiteral("lead"));
    RampPlanRequest request;
    request.flag = QStringLiteral("merge");
    request.portal = kLt;
    request.steps = parseRampSteps(QStringLiteral("10,50")).value();
    request.holdMs = 0;
    request.reason = QStringLiteral("OPS-14 open lt");
    request.by = tester();
    RampPlanRequest wrongFlag = request;
    wrongFlag.flag = QStringLiteral("new_checkout");
    QCOMPARE(lead->createRampPlan(wrongFlag).error().kind, StoreError::Kind::InvalidInput);
    RampPlanRequest below = request;
    below.steps = parseRampSteps(QStringLiteral("5,50")).value();
    QCOMPARE(lead->createRampPlan(below).error().kind, StoreError::Kind::InvalidInput);
    const Result<Plan> made = lead->createRampPlan(request);
    REQUIRE_OK(made);
    PlanPace pace{500, tester()};
    REQUIRE_ONCE(lead->advancePlans(pace)); // raised to 10 %, holding (nobody admitted yet)
    QCOMPARE(scalar(*owner, QStringLiteral("SELECT FLOOR(percentage * 100) FROM rollout_flags "
                                           "WHERE flag = 'merge' AND portal = 'lt'")),
             1000);
    // Somebody else lowers it by hand meanwhile.
    owner->connection().exec(QStringLiteral(
        "UPDATE rollout_flags SET percentage = 2 WHERE flag = 'merge' AND portal = 'lt'"));
    for (int i = 0; i < 3; ++i)
        REQUIRE_ONCE(lead->advancePlans(pace));
    const Result<Plan> halted = lead->plan(made->id);
    QCOMPARE(halted->state, PlanState::Halted);
    QVERIFY2(halted->haltReason.contains(QLatin1String("outside the plan")),
             qPrintable(halted->haltReason));
    QCOMPARE(scalar(*owner, QStringLiteral("SELECT FLOOR(percentage * 100) FROM rollout_flags "
                                           "WHERE flag = 'merge' AND portal = 'lt'")),
             200); // the plan never overrides somebody else's change
}

void PlansTest::killedExecutorResumesWithoutMovingAnyoneTwice()
{
    TestDatabase db(m_server);
    seed(db, 400);
    auto owner = db.openWriter();
    auto lead = db.openStoreAs(QStringLiteral("lead"));
    const Result<Plan> made = lead->createRetryPlan(retryPlan(QStringLiteral("100%"), 1));
    REQUIRE_OK(made);
    MigctlRunner migctl(db.connectionUrlAs(QStringLiteral("lead")).toString());

    // Ten users a batch, a batch every 100 ms: killed somewhere in the middle of the step.
    std::unique_ptr<QProcess> first = migctl.start(
        {"plan", "run", "--batch-size", "10", "--interval", "100"});
    QTRY_VERIFY_WITH_TIMEOUT(scalar(*owner, QStringLiteral("SELECT decided FROM plans")) >= 50,
                             20'000);
    ::kill(pid_t(first->processId()), SIGKILL);
    QVERIFY(first->state() == QProcess::NotRunning || first->waitForFinished(5000));
    const qint64 decided = scalar(*owner, QStringLiteral("SELECT decided FROM plans"));
    QVERIFY2(decided < 400, qPrintable(QString::number(decided)));
    // What the plan says it did is what happened, to the user.
    QCOMPARE(scalar(*owner, QStringLiteral("SELECT COUNT(*) FROM plan_users WHERE step IS NOT "
                                           "NULL")),
             decided);
    QCOMPARE(scalar(*owner, QStringLiteral("SELECT COUNT(*) FROM user_migrations WHERE "
                                           "retry_count = 1")),
             decided);

    // Two executors at once: one executes, the other waits for the lock.
    std::unique_ptr<QProcess> second =
        migctl.start({"plan", "run", "--batch-size", "50", "--interval", "50", "--until-idle"});
    std::unique_ptr<QProcess> third =
        migctl.start({"plan", "run", "--batch-size", "50", "--interval", "50", "--until-idle"});
    QElapsedTimer clock;
    clock.start();
    while (stateOf(*lead, made->id) != PlanState::Done && clock.elapsed() < 30'000) {
        finishPending(*owner, QStringLiteral("completed"));
        QTest::qWait(100);
    }
    QCOMPARE(stateOf(*lead, made->id), PlanState::Done);
    // (waitForFinished says false for a process that has already ended.)
    const bool secondEnded = second->state() == QProcess::NotRunning
                             || second->waitForFinished(10'000);
    const bool thirdEnded = third->state() == QProcess::NotRunning
                            || third->waitForFinished(10'000);
    const QByteArray errors[] = {second->readAllStandardError(), third->readAllStandardError()};
    const QByteArray outs[] = {second->readAllStandardOutput(), third->readAllStandardOutput()};
    QVERIFY2(secondEnded && thirdEnded, (errors[0] + "\n---\n" + errors[1]).constData());
    const int waited = int(errors[0].contains("waiting")) + int(errors[1].contains("waiting"));
    QVERIFY2(waited == 1, (errors[0] + "\n---\n" + errors[1]).constData());
    const int advanced = int(outs[0].contains("plan ")) + int(outs[1].contains("plan "));
    QVERIFY2(advanced == 1, (outs[0] + "\n---\n" + outs[1]).constData());

    QCOMPARE(scalar(*owner, QStringLiteral("SELECT COUNT(*) FROM user_migrations WHERE "
                                           "source_portal = 'lt' AND retry_count = 1")),
             400);
    QCOMPARE(scalar(*owner, QStringLiteral("SELECT COUNT(*) FROM user_migrations WHERE "
                                           "retry_count > 1")),
             0);
    int entries = 0;
    QCOMPARE(usersInRetryAudit(*lead, &entries).size(), 400);
    const Result<Plan> done = lead->plan(made->id);
    QCOMPARE(done->moved, 400);
    verifyCountersEqualCounts(owner->connection());
}

QTEST_GUILESS_MAIN(PlansTest)
#include "tst_plans.moc"
