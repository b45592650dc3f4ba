// The shared alert rules (issue 15, 007_alerts.sql) on each real server. The tests write the
// counted tables and throughput samples with plain SQL, as other teams' workers do, use rules with
// windows of seconds, and drive the evaluator (AlertEvaluator::cycle) as every console and
// `migctl alerts watch` do: a failure spike fires within `for` and resolves after keep-firing, a
// queue falls behind only at its parallelism, a stall fires, two evaluators record one firing,
// each login is notified once per firing, and the server refuses what a role may not do.

#include "alert_evaluator.h"
#include "alert_test_helpers.h"
#include "contract_fixture.h"
#include "migctl_runner.h"
#include "plans.h"
#include "sql/sql_connection.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QProcess>
#include <QTest>

#include <latch>
#include <thread>

using namespace mc;
using namespace mc::test;

namespace {

const AlertRuleState &ruleIn(const AlertsSnapshot &snapshot, const QString &name)
{
    for (const AlertRuleState &entry : snapshot.rules)
        if (entry.rule.name == name)
            return entry;
    qFatal("no rule %s", qPrintable(name));
}

// Evaluates until the rule's alert is in `phase` or timeoutMs passed; the last cycle's snapshot.
AlertPhase evaluateUntil(MergeStore &store, const QString &rule, AlertPhase phase,
                         int timeoutMs, AlertsSnapshot *last = nullptr)
{
    QElapsedTimer clock;
    clock.start();
    AlertPhase now = AlertPhase::Inactive;
    do {
        const Result<AlertCycle> cycle = AlertEvaluator::cycle(store);
        if (!cycle)
            qFatal("cycle: %s", qPrintable(cycle.error().message));
        now = ruleIn(cycle->snapshot, rule).status.phase;
        if (last)
            *last = cycle->snapshot;
        if (now == phase)
            return now;
        QTest::qWait(200);
    } while (clock.elapsed() < timeoutMs);
    return now;
}

} // namespace

class AlertsTest : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void failureSpikeFiresWithinForAndResolvesAfterKeepFiring();
    void pausedQueueFallsBehindOnlyAtParallelism();
    void stallFiresWhileUsersArePending();
    void aHaltedPlanFiresUntilItIsCancelled();
    void twoEvaluatorsRecordOneFiringAndEachLoginIsNotifiedOnce();
    void theServerRefusesWhatARoleMayNotDo();
    void migctlWatchPrintsTransitionsAndEndsOnSigterm();
    void mergeSimSpikeFiresAndResolvesTheFailureRateAlert();

private:
    TestServer m_server;
};

void AlertsTest::initTestCase()
{
    m_server = TestServer::fromEnvironment();
    auto probe = mc::openStore(m_server.admin.toString());
    QVERIFY2(probe.ok(), qPrintable(QStringLiteral("%1 server not reachable at %2: %3")
                                        .arg(m_server.backend, m_server.admin.redacted(),
                                             probe.ok() ? QString() : probe.error().message)));
}

void AlertsTest::failureSpikeFiresWithinForAndResolvesAfterKeepFiring()
{
    TestDatabase db(m_server);
    auto owner = databaseWithRule(db, QStringLiteral("failure_rate"), [](AlertRule &r) {
        r.threshold = 50;
        r.minCount = 10;
        r.windowS = 60;
        r.forS = 2;
        r.keepFiringS = 3;
    });
    auto store = db.openStore();
    // Normal running: 1 failure in 40 finished users. Nothing happens.
    addSample(*owner, QStringLiteral("create_high"), 39, 1);
    QCOMPARE(evaluateUntil(*store, QStringLiteral("failure_rate"), AlertPhase::Pending, 600),
             AlertPhase::Inactive);

    // The spike: 120 more users fail. Pending at once, firing once `for` has passed.
    addSample(*owner, QStringLiteral("create_high"), 0, 120);
    AlertsSnapshot snapshot;
    QCOMPARE(evaluateUntil(*store, QStringLiteral("failure_rate"), AlertPhase::Pending, 2000,
                           &snapshot),
             AlertPhase::Pending);
    const EpochMs pendingSince = *ruleIn(snapshot, QStringLiteral("failure_rate")).status.since;
    QCOMPARE(evaluateUntil(*store, QStringLiteral("failure_rate"), AlertPhase::Firing, 6000,
                           &snapshot),
             AlertPhase::Firing);
    const AlertStatus firing = ruleIn(snapshot, QStringLiteral("failure_rate")).status;
    QVERIFY(*firing.firedAt - pendingSince >= 2000);
    QVERIFY2(*firing.firedAt - pendingSince < 4000, "fired within its for window");
    // The figures that tripped it, in the state and in the history.
    QCOMPARE(firing.figures.value(QStringLiteral("failed")).toInteger(), 121);
    QCOMPARE(firing.figures.value(QStringLiteral("finished")).toInteger(), 160);
    QCOMPARE(snapshot.history.size(), 1);
    QCOMPARE(snapshot.history[0].id, *firing.firingId);
    QCOMPARE(snapshot.history[0].figures.value(QStringLiteral("failed")).toInteger(), 121);
    QVERIFY(!snapshot.history[0].resolvedAt);

    // The spike ends: completions bring the rate under 50 %. It keeps firing for 3 s, then
    // resolves; one firing in the history, resolved.
    addSample(*owner, QStringLiteral("create_high"), 400, 0);
    QCOMPARE(evaluateUntil(*store, QStringLiteral("failure_rate"), AlertPhase::Resolved, 8000,
                           &snapshot),
             AlertPhase::Resolved);
    const AlertStatus resolved = ruleIn(snapshot, QStringLiteral("failure_rate")).status;
    QCOMPARE(snapshot.history.size(), 1);
    QCOMPARE(*snapshot.history[0].resolvedAt, *resolved.resolvedAt);
    const qint64 clearedFor = *resolved.resolvedAt - *firing.firedAt;
    QVERIFY2(clearedFor >= 3000, qPrintable(QString::number(clearedFor)));
    QCOMPARE(scalar(*owner, QStringLiteral("SELECT COUNT(*) FROM alert_firings")), 1);
}

void AlertsTest::pausedQueueFallsBehindOnlyAtParallelism()
{
    TestDatabase db(m_server);
    auto owner = databaseWithRule(db, QStringLiteral("queue_falling_behind"), [](AlertRule &r) {
        r.windowS = 60;
        r.forS = 1;
        r.keepFiringS = 0;
    });
    auto store = db.openStore();
    sql::Connection &c = owner->connection();
    c.exec(QStringLiteral("UPDATE queues SET parallelism = 2, paused = TRUE "
                          "WHERE name = 'create_high'"));
    // A minute ago the queue held 1 job; now a growing backlog of 30, none in progress (paused).
    addSample(*owner, QStringLiteral("create_high"), 0, 0, 1, 0, 3);
    for (int i = 1; i <= 30; ++i)
        c.exec(QStringLiteral("INSERT INTO queue_jobs (queue_name, source_portal, source_user_id, "
                              "model_id) VALUES ('create_high', 'lt', $1, 2)"),
               {i});
    QCOMPARE(evaluateUntil(*store, QStringLiteral("queue_falling_behind"), AlertPhase::Pending,
                           1500),
             AlertPhase::Inactive);

    // Two jobs in progress: at its parallelism while the backlog grew. It fires.
    c.exec(QStringLiteral("UPDATE queue_jobs SET state = 'running' WHERE queue_name = "
                          "'create_high' AND source_user_id IN (1, 2)"));
    AlertsSnapshot snapshot;
    QCOMPARE(evaluateUntil(*store, QStringLiteral("queue_falling_behind"), AlertPhase::Firing,
                           5000, &snapshot),
             AlertPhase::Firing);
    const AlertRuleState &entry = ruleIn(snapshot, QStringLiteral("queue_falling_behind"));
    QCOMPARE(entry.status.figures.value(QStringLiteral("queue")).toString(),
             QStringLiteral("create_high"));
    QCOMPARE(entry.status.figures.value(QStringLiteral("depth")).toInteger(), 28);
    QCOMPARE(entry.status.figures.value(QStringLiteral("in_progress")).toInteger(), 2);
    QCOMPARE(alertLink(entry.rule, entry.status), QStringLiteral("queue:create_high"));

    // One job finishes: below parallelism, the alert resolves.
    c.exec(QStringLiteral("DELETE FROM queue_jobs WHERE queue_name = 'create_high' "
                          "AND source_user_id = 1"));
    QCOMPARE(evaluateUntil(*store, QStringLiteral("queue_falling_behind"), AlertPhase::Resolved,
                           3000),
             AlertPhase::Resolved);
}

void AlertsTest::stallFiresWhileUsersArePending()
{
    TestDatabase db(m_server);
    auto owner = databaseWithRule(db, QStringLiteral("stall"), quickStall);
    auto store = db.openStore();
    // Nobody pending: no stall, whatever the completions.
    QCOMPARE(evaluateUntil(*store, QStringLiteral("stall"), AlertPhase::Firing, 600),
             AlertPhase::Inactive);
    // Users pending and none completed in the window: a stall.
    addUsers(*owner, QStringLiteral("lt"), 1, 5, UserStatus::Pending);
    AlertsSnapshot snapshot;
    QCOMPARE(evaluateUntil(*store, QStringLiteral("stall"), AlertPhase::Firing, 2000, &snapshot),
             AlertPhase::Firing);
    QCOMPARE(ruleIn(snapshot, QStringLiteral("stall"))
                 .status.figures.value(QStringLiteral("pending"))
                 .toInteger(),
             5);
    // A user completes: resolved.
    addSample(*owner, QStringLiteral("create_low"), 1, 0);
    QCOMPARE(evaluateUntil(*store, QStringLiteral("stall"), AlertPhase::Resolved, 2000),
             AlertPhase::Resolved);
}

void AlertsTest::aHaltedPlanFiresUntilItIsCancelled()
{
    TestDatabase db(m_server);
    auto owner = databaseWithRule(db, QStringLiteral("plan_halted"), [](AlertRule &) {});
    addFailedUsersWithRecords(*owner, QStringLiteral("lt"), 1, 60);
    // A support console evaluates: every role's console records what it finds.
    auto support = db.openStoreAs(QStringLiteral("support"));
    QCOMPARE(evaluateUntil(*support, QStringLiteral("plan_halted"), AlertPhase::Firing, 600),
             AlertPhase::Inactive);

    // A lead's guarded retry of lt: a canary of 20, and it fails again, so the executor halts it.
    auto lead = db.openStoreAs(QStringLiteral("lead"));
    RetryPlanRequest request;
    request.filter.portal = QStringLiteral("lt");
    request.steps = parseRetrySteps(QStringLiteral("20,100%")).value();
    request.holdMs = 0;
    request.reason = QStringLiteral("alerts test: the fix");
    request.by = tester();
    const Result<Plan> made = lead->createRetryPlan(request);
    REQUIRE_OK(made);
    const PlanPace pace{500, tester()};
    REQUIRE_ONCE(lead->advancePlans(pace)); // moves the canary
    QCOMPARE(owner->connection().exec(QStringLiteral(
                 "UPDATE user_migrations SET status = 'failed', finished_at = "
                 "CURRENT_TIMESTAMP(3), updated_at = CURRENT_TIMESTAMP(3) WHERE status = 'pending'")),
             20);
    REQUIRE_ONCE(lead->advancePlans(pace));
    QCOMPARE(lead->plan(made->id)->state, PlanState::Halted);

    AlertsSnapshot snapshot;
    QCOMPARE(evaluateUntil(*support, QStringLiteral("plan_halted"), AlertPhase::Firing, 2000,
                           &snapshot),
             AlertPhase::Firing);
    const QJsonObject figures = ruleIn(snapshot, QStringLiteral("plan_halted")).status.figures;
    QCOMPARE(figures.value(QStringLiteral("plan")).toInteger(), made->id);
    QCOMPARE(figures.value(QStringLiteral("halted")).toInteger(), 1);
    QVERIFY2(figures.value(QStringLiteral("why")).toString().contains(QLatin1String("20 failed")),
             qPrintable(figures.value(QStringLiteral("why")).toString()));
    QCOMPARE(alertLink(ruleIn(snapshot, QStringLiteral("plan_halted")).rule, {}),
             QStringLiteral("plans"));

    // The lead looks and cancels it: the alert resolves.
    PlanChange cancel;
    cancel.planId = made->id;
    cancel.action = PlanAction::Cancel;
    cancel.reason = QStringLiteral("the fix was wrong");
    cancel.by = tester();
    REQUIRE_ONCE(lead->changePlan(cancel));
    QCOMPARE(evaluateUntil(*support, QStringLiteral("plan_halted"), AlertPhase::Resolved, 2000),
             AlertPhase::Resolved);
}

void AlertsTest::twoEvaluatorsRecordOneFiringAndEachLoginIsNotifiedOnce()
{
    TestDatabase db(m_server);
    auto owner = databaseWithRule(db, QStringLiteral("stall"), quickStall);
    addUsers(*owner, QStringLiteral("lt"), 1, 3, UserStatus::Pending);
    // Four consoles of different roles evaluate at the same moment, released together, in ten
    // rounds; before each round the owner disables and enables the rule, which clears its alert.
    auto qa = db.openStoreAs(QStringLiteral("qa"));
    auto worker = db.openStoreAs(QStringLiteral("worker"));
    auto support = db.openStoreAs(QStringLiteral("support"));
    auto lead = db.openStoreAs(QStringLiteral("lead"));
    auto ownerStore = db.openStore();
    constexpr int kRounds = 10;
    std::atomic_int firings{0};
    std::atomic_int errors{0};
    for (int round = 0; round < kRounds; ++round) {
        if (round > 0) {
            saveRule(*ownerStore, QStringLiteral("stall"), [](AlertRule &r) { r.enabled = false; });
            saveRule(*ownerStore, QStringLiteral("stall"), [](AlertRule &r) { r.enabled = true; });
        }
        std::latch start(4);
        auto evaluate = [&](MergeStore *store) {
            start.arrive_and_wait();
            for (int i = 0; i < 2; ++i) {
                const Result<AlertCycle> cycle = AlertEvaluator::cycle(*store);
                if (!cycle) {
                    ++errors;
                    continue;
                }
                for (const AlertTransition &t : cycle->transitions)
                    if (t.step == AlertStep::Firing)
                        ++firings;
            }
        };
        std::vector<std::thread> evaluators;
        for (MergeStore *store : {qa.get(), worker.get(), support.get(), lead.get()})
            evaluators.emplace_back(evaluate, store);
        for (std::thread &evaluator : evaluators)
            evaluator.join();
        QCOMPARE(errors.load(), 0);
        QCOMPARE(firings.load(), round + 1);
    }
    QCOMPARE(scalar(*owner, QStringLiteral("SELECT COUNT(*) FROM alert_firings")), kRounds);
    // The consoles show the same alert.
    const AlertStatus seenByQa = ruleIn(*qa->alerts({}), QStringLiteral("stall")).status;
    const AlertStatus seenByWorker = ruleIn(*worker->alerts({}), QStringLiteral("stall")).status;
    QCOMPARE(seenByQa.phase, AlertPhase::Firing);
    QCOMPARE(seenByQa.version, seenByWorker.version);
    QCOMPARE(*seenByQa.firingId, *seenByWorker.firingId);

    // Notified once per login: the first console of qa gets it, a second console of qa (and
    // the first again, after a restart) does not; support's own console does.
    const qint64 firing = *seenByQa.firingId;
    auto qaAgain = db.openStoreAs(QStringLiteral("qa"));
    QCOMPARE(*qa->claimAlertNotice(firing), true);
    QCOMPARE(*qaAgain->claimAlertNotice(firing), false);
    QCOMPARE(*qa->claimAlertNotice(firing), false);
    QCOMPARE(*support->claimAlertNotice(firing), true);
    QCOMPARE(scalar(*owner, QStringLiteral("SELECT COUNT(*) FROM alert_notices")), 2);
}

void AlertsTest::theServerRefusesWhatARoleMayNotDo()
{
    TestDatabase db(m_server);
    auto store = db.installedStore();
    auto owner = db.openWriter();
    seedCatalogue(*owner);
    const qint64 auditBefore = scalar(*owner, QStringLiteral("SELECT COUNT(*) FROM audit_log"));
    // Plain SQL on the alert tables: refused for every role, the lead included.
    for (const char *role : {"qa", "support", "lead", "worker"}) {
        auto writer = db.openWriterAs(QString::fromLatin1(role));
        for (const char *sql :
             {"UPDATE alert_rules SET enabled = FALSE",
              "UPDATE alert_rules SET muted_until = NULL, threshold = 99",
              "UPDATE alert_states SET state = 'firing'",
              "INSERT INTO alert_firings (rule_name, severity, pending_since, fired_at) VALUES "
              "('stall', 'info', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)",
              "DELETE FROM alert_notices", "DELETE FROM alert_rules"})
            QVERIFY2(!refusal(*writer, QString::fromLatin1(sql)).isEmpty(),
                     qPrintable(QStringLiteral("%1: %2").arg(QLatin1String(role),
                                                             QLatin1String(sql))));
    }
    // Changing a rule through the store: support is refused by the server, the lead may.
    for (const char *role : {"qa", "support", "worker"}) {
        auto roleStore = db.openStoreAs(QString::fromLatin1(role));
        QVERIFY(!roleStore->roleAccess()->may(RoleAction::EditAlerts));
        AlertRuleChange change;
        change.rule = ruleIn(*roleStore->alerts({}), QStringLiteral("stall")).rule;
        change.rule.enabled = false;
        change.reason = QStringLiteral("not mine to change");
        const Result<AlertRule> refused = roleStore->setAlertRule(change);
        QVERIFY2(!refused.ok(), role);
        QCOMPARE(refused.error().kind, StoreError::Kind::Permission);
    }
    QCOMPARE(scalar(*owner, QStringLiteral("SELECT COUNT(*) FROM audit_log")), auditBefore);
    QCOMPARE(scalar(*owner, QStringLiteral("SELECT COUNT(*) FROM alert_rules WHERE enabled")), 4);

    auto lead = db.openStoreAs(QStringLiteral("lead"));
    QVERIFY(lead->roleAccess()->may(RoleAction::EditAlerts));
    AlertRuleChange change;
    change.rule = ruleIn(*lead->alerts({}), QStringLiteral("stall")).rule;
    change.muteS = 3600;
    change.reason = QStringLiteral("maintenance window");
    change.by.osUser = QStringLiteral("alice");
    const Result<AlertRule> muted = lead->setAlertRule(change);
    QVERIFY2(muted.ok(), qPrintable(muted.ok() ? QString() : muted.error().message));
    QVERIFY(muted->mutedUntil);
    // A stale version is a conflict, and changes nothing.
    const Result<AlertRule> stale = lead->setAlertRule(change);
    QVERIFY(!stale.ok());
    QCOMPARE(stale.error().kind, StoreError::Kind::Conflict);
    QCOMPARE(scalar(*owner, QStringLiteral("SELECT COUNT(*) FROM audit_log")), auditBefore + 1);
    const sql::Rows audit = owner->connection().query(
        QStringLiteral("SELECT action, database_user, os_user, reason, target FROM audit_log "
                       "ORDER BY id DESC"));
    QCOMPARE(audit.text(0, 0), QStringLiteral("set_alert_rule"));
    QCOMPARE(audit.text(0, 1), QStringLiteral("mc_test_lead"));
    QCOMPARE(audit.text(0, 2), QStringLiteral("alice"));
    QCOMPARE(audit.text(0, 3), QStringLiteral("maintenance window"));
    QCOMPARE(audit.text(0, 4), QStringLiteral("alert rule stall"));

    // Recording a transition is open to every role, but not a forged one: a rule with a `for`
    // cannot jump from inactive to firing.
    auto qa = db.openStoreAs(QStringLiteral("qa"));
    const AlertRuleState failureRate = ruleIn(*qa->alerts({}), QStringLiteral("failure_rate"));
    QVERIFY(failureRate.rule.forS > 0);
    const Result<QList<AlertTransition>> forged = qa->recordAlertTransitions(
        {{QStringLiteral("failure_rate"), failureRate.status.version, AlertStep::Firing, {}}});
    QVERIFY(!forged.ok());
    QCOMPARE(scalar(*owner, QStringLiteral("SELECT COUNT(*) FROM alert_firings")), 0);
}

void AlertsTest::migctlWatchPrintsTransitionsAndEndsOnSigterm()
{
    TestDatabase db(m_server);
    auto owner = databaseWithRule(db, QStringLiteral("stall"), quickStall);
    addUsers(*owner, QStringLiteral("lt"), 1, 2, UserStatus::Pending);
    MigctlRunner migctl(db.connectionUrlAs(QStringLiteral("qa")).toString());
    std::unique_ptr<QProcess> watch =
        migctl.start({QStringLiteral("alerts"), QStringLiteral("watch"), QStringLiteral("--interval"),
                      QStringLiteral("1s"), QStringLiteral("--json")});
    QVERIFY(watch->waitForStarted());
    QByteArray out;
    QTRY_VERIFY_WITH_TIMEOUT((out += watch->readAllStandardOutput()).contains("\"firing\""), 8000);
    const QJsonObject line = QJsonDocument::fromJson(out.split('\n').first()).object();
    QCOMPARE(line.value(QStringLiteral("rule")).toString(), QStringLiteral("stall"));
    QCOMPARE(line.value(QStringLiteral("transition")).toString(), QStringLiteral("firing"));
    QCOMPARE(line.value(QStringLiteral("figures")).toObject().value(QStringLiteral("pending"))
                 .toInteger(),
             2);
    watch->terminate(); // SIGTERM
    QVERIFY(watch->waitForFinished(5000));
    QCOMPARE(watch->exitStatus(), QProcess::NormalExit);
    QCOMPARE(watch->exitCode(), 0);

    // The state as any login reads it, and the refusal of a non-lead.
    const MigctlRun state = migctl.run({QStringLiteral("alerts"), QStringLiteral("--json")});
    QVERIFY2(state.exitCode == 0, qPrintable(state.describe()));
    bool found = false;
    for (const QJsonValue &alert : state.json().value(QStringLiteral("alerts")).toArray())
        if (alert[QStringLiteral("rule")].toString() == QLatin1String("stall")) {
            found = true;
            QCOMPARE(alert[QStringLiteral("state")].toString(), QStringLiteral("firing"));
        }
    QVERIFY(found);
    const MigctlRun refused = migctl.run({QStringLiteral("alerts"), QStringLiteral("disable"),
                                          QStringLiteral("stall"), QStringLiteral("--reason"),
                                          QStringLiteral("quiet")});
    QCOMPARE(refused.exitCode, 4);
    QVERIFY2(refused.err.contains("Needs mc_lead"), qPrintable(refused.describe()));
}

void AlertsTest::mergeSimSpikeFiresAndResolvesTheFailureRateAlert()
{
    TestDatabase db(m_server);
    QProcess seed;
    seed.start(QStringLiteral(MERGE_SIM_BINARY),
               {QStringLiteral("--db"), db.url(), QStringLiteral("seed"), QStringLiteral("--users"),
                QStringLiteral("300"), QStringLiteral("--log-level"), QStringLiteral("warn")});
    QVERIFY(seed.waitForFinished(60'000));
    QVERIFY2(seed.exitCode() == 0, seed.readAllStandardError().constData());
    auto store = db.openStore();
    auto owner = db.openWriter();
    owner->connection().exec(QStringLiteral("UPDATE queues SET run_every_ms = 50"));
    onlyRule(*store, QStringLiteral("failure_rate"));
    saveRule(*store, QStringLiteral("failure_rate"), [](AlertRule &r) {
        r.threshold = 50;
        r.minCount = 10;
        r.windowS = 10;
        r.forS = 2;
        r.keepFiringS = 3;
    });
    // The fleet as the workers' login: 4 s of normal running, a 12 s spike failing 90 % of
    // user runs, then normal again.
    QProcess sim;
    sim.start(QStringLiteral(MERGE_SIM_BINARY),
              {QStringLiteral("--db"), db.connectionUrlAs(QStringLiteral("worker")).toString(),
               QStringLiteral("run"), QStringLiteral("--influx"), QStringLiteral("40"),
               QStringLiteral("--speed"), QStringLiteral("200"), QStringLiteral("--workers"),
               QStringLiteral("3"), QStringLiteral("--spike-after"), QStringLiteral("4"),
               QStringLiteral("--spike-for"), QStringLiteral("12"), QStringLiteral("--spike-rate"),
               QStringLiteral("0.9")});
    QVERIFY(sim.waitForStarted());
    const EpochMs started = serverNow(*owner);
    auto qa = db.openStoreAs(QStringLiteral("qa"));
    std::optional<AlertStatus> firing;
    std::optional<EpochMs> clearedAt;
    AlertStatus last;
    QElapsedTimer clock;
    clock.start();
    while (clock.elapsed() < 60'000 && last.phase != AlertPhase::Resolved) {
        const Result<AlertCycle> cycle = AlertEvaluator::cycle(*qa);
        QVERIFY2(cycle.ok(), qPrintable(cycle.ok() ? QString() : cycle.error().message));
        last = ruleIn(cycle->snapshot, QStringLiteral("failure_rate")).status;
        if (last.phase == AlertPhase::Firing && !firing)
            firing = last;
        if (last.clearedAt)
            clearedAt = last.clearedAt;
        QTest::qWait(300);
    }
    sim.terminate();
    QVERIFY(sim.waitForFinished(15'000));
    QVERIFY2(firing, "the spike fired the failure-rate alert");
    // It fired during the spike, `for` after it started pending, on figures over 50 %.
    QVERIFY2(*firing->firedAt > started + 4000 && *firing->firedAt < started + 16'000,
             qPrintable(QString::number(*firing->firedAt - started)));
    QVERIFY(*firing->firedAt - *firing->since >= 2000);
    QVERIFY(*firing->firedAt - *firing->since < 4000);
    QVERIFY(firing->figures.value(QStringLiteral("rate")).toDouble() >= 50);
    // And resolved after the spike ended plus its keep-firing time: one firing in all.
    QCOMPARE(last.phase, AlertPhase::Resolved);
    QVERIFY(clearedAt);
    QVERIFY2(*clearedAt > started + 16'000, qPrintable(QString::number(*clearedAt - started)));
    QVERIFY(*last.resolvedAt - *clearedAt >= 3000);
    QCOMPARE(scalar(*owner, QStringLiteral("SELECT COUNT(*) FROM alert_firings")), 1);
}

QTEST_GUILESS_MAIN(AlertsTest)
#include "tst_alerts.moc"
