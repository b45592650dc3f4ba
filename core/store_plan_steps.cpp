// SqlMergeStore: the executor's pass over the active plans (README, "Guarded plans"). Per plan and
// pass, in one transaction with the plan's row locked: judge the failure rate of the users the
// plan touched (halt when it trips), then either move one batch of the step's users (retry) or
// raise the flag to the step's percentage (ramp), or end the hold and go on. A batch's choice of
// users, their move (mc_retry_users, as Retry All Matching) and the record of it in plan_users
// commit together: an executor killed at any point resumes with the next undecided user.

#include "rollout.h"
#include "sql_merge_store_run.h"
#include "sql_params.h"

#include <QJsonObject>

namespace mc {

namespace {

QString planTarget(qint64 id)
{
    return QStringLiteral("plan:%1").arg(id);
}

QString percent(qint64 basisPoints)
{
    return basisPointsText(basisPoints) + QStringLiteral(" %");
}

QString stepWords(const Plan &p)
{
    return QStringLiteral("step %1 of %2 (%3)")
        .arg(p.step + 1)
        .arg(p.steps.size())
        .arg(p.steps.value(p.step).text());
}

// "user_id IN (…)" over a list passed as one parameter: a PostgreSQL array, a MariaDB JSON array.
QString idsIn(sql::Backend backend, const QString &column, QVariantList &params,
              const std::vector<qint64> &ids)
{
    QStringList list;
    for (qint64 id : ids)
        list << QString::number(id);
    if (backend == sql::Backend::PostgreSQL)
        return QStringLiteral("%1 = ANY (string_to_array(%2, ',')::bigint[])")
            .arg(column, bind(params, list.join(u',')));
    return QStringLiteral("%1 IN (SELECT j.id FROM JSON_TABLE(%2, '$[*]' COLUMNS (id BIGINT "
                          "PATH '$')) j)")
        .arg(column, bind(params, u'[' + list.join(u',') + u']'));
}

} // namespace

Result<QList<PlanAdvance>> SqlMergeStore::advancePlans(const PlanPace &pace)
{
    if (pace.batchSize < 1 || pace.batchSize > 10'000)
        return StoreError::make(StoreError::Kind::InvalidInput,
                                QStringLiteral("A plan moves 1 to 10 000 users a batch."));
    const Result<bool> held = claimPlanExecutor();
    if (!held.ok())
        return held.error();
    if (!held.value())
        return StoreError::make(StoreError::Kind::Conflict,
                                QStringLiteral("Another executor holds the plans' lock; this one "
                                               "waits and advances nothing."));
    return run<QList<PlanAdvance>>(Need::CurrentSchema, [&](sql::Connection &c) {
        const sql::Rows active = c.query(QStringLiteral(
            "SELECT id FROM plans WHERE state IN ('running', 'holding') ORDER BY id"));
        QList<PlanAdvance> advances;
        for (int r = 0; r < active.size(); ++r) {
            const qint64 id = active.int64(r, 0);
            try {
                advances.append(sql::inTransaction(c, [&] { return advancePlan(c, id, pace); }));
            } catch (const StoreError &error) {
                // A plan that cannot go on (its flag row deleted, …) halts, saying why, rather
                // than stopping every other plan's pass. Server errors still end the pass.
                advances.append(sql::inTransaction(c, [&] {
                    Plan p = readPlan(c, id, true);
                    if (!isActive(p.state))
                        return PlanAdvance{PlanAdvance::Kind::Nothing, id, 0, {}};
                    return haltPlan(c, p, pace,
                                    QStringLiteral("The plan cannot go on: %1").arg(error.message));
                }));
            }
        }
        return advances;
    });
}

PlanAdvance SqlMergeStore::advancePlan(sql::Connection &c, qint64 id, const PlanPace &pace)
{
    EpochMs now = 0;
    Plan p = readPlan(c, id, true, &now);
    PlanAdvance nothing{PlanAdvance::Kind::Nothing, id, 0, {}};
    if (!isActive(p.state)) // paused, halted or cancelled since the list was read
        return nothing;

    const PlanFigures judgedBefore = p.figures;
    const qint64 admittedBefore = p.decided;
    const PlanFigures figures = judgePlan(c, p);
    if (figures.trips(p.haltAboveBasisPoints, p.neededToJudge())) {
        const QString baseline =
            p.baselineBasisPoints
                ? QStringLiteral("twice the hour before's %1").arg(percent(*p.baselineBasisPoints))
                : QStringLiteral("nobody finished the hour before");
        return haltPlan(
            c, p, pace,
            QStringLiteral("Failure rate %1 (%2 failed of %3 finished) is above the threshold "
                           "%4 (5 % floor; %5); halted at %6%7.")
                .arg(percent(figures.rateBasisPoints()), QString::number(figures.failed),
                     QString::number(figures.finished), percent(p.haltAboveBasisPoints),
                     baseline, stepWords(p),
                     p.kind == PlanKind::Retry
                         ? QStringLiteral(" after moving %1 of %2 users")
                               .arg(p.moved)
                               .arg(p.usersTotal)
                         : QStringLiteral(" with the flag at %1")
                               .arg(percent(p.reachedBasisPoints))));
    }
    if (p.state == PlanState::Running)
        return p.kind == PlanKind::Retry ? moveRetryBatch(c, p, now, pace) : raiseRamp(c, p, pace);

    // Holding: the step's time has passed and enough of the plan's users have finished to judge
    // (with no evidence a plan waits: a stall of the workers never lets it go further).
    const bool timeUp = p.holdStartedAt && now - *p.holdStartedAt >= p.holdMs;
    if (!timeUp || figures.finished < p.neededToJudge()) {
        if (figures.finished != judgedBefore.finished || figures.failed != judgedBefore.failed
            || p.decided != admittedBefore)
            writePlanState(c, p, pace.by);
        nothing.kind = PlanAdvance::Kind::Holding;
        return nothing;
    }
    if (p.isLastStep()) {
        p.state = PlanState::Done;
        writePlanState(c, p, pace.by);
        writeAudit(c, pace.by, QStringLiteral("plan_done"), planTarget(p.id),
                   compactJson({{QStringLiteral("state"), QStringLiteral("holding")}}),
                   compactJson({{QStringLiteral("state"), QStringLiteral("done")},
                                {QStringLiteral("finished"), double(figures.finished)},
                                {QStringLiteral("failed"), double(figures.failed)},
                                {QStringLiteral("rate"), percent(figures.rateBasisPoints())},
                                {QStringLiteral("moved"), double(p.moved)}}),
                   p.reason);
        return {PlanAdvance::Kind::Done, p.id, 0,
                QStringLiteral("plan %1 done: %2 failed of %3 finished")
                    .arg(p.id)
                    .arg(figures.failed)
                    .arg(figures.finished)};
    }
    ++p.step;
    p.state = PlanState::Running;
    p.stepTarget = p.kind == PlanKind::Retry ? retryStepTarget(p.steps, p.step, p.usersTotal)
                                             : p.steps.at(p.step).value;
    writePlanState(c, p, pace.by);
    c.exec(QStringLiteral("UPDATE plans SET hold_started_at = NULL WHERE id = $1"), {p.id});
    return {PlanAdvance::Kind::NextStep, p.id, 0,
            QStringLiteral("plan %1: hold over, %2").arg(p.id).arg(stepWords(p))};
}

PlanFigures SqlMergeStore::judgePlan(sql::Connection &c, Plan &p)
{
    PlanFigures figures;
    if (p.kind == PlanKind::Retry) {
        // The users the plan moved that have finished since (completed, or failed again).
        const sql::Rows rows = c.query(
            QStringLiteral("SELECT COUNT(*), COALESCE(SUM(CASE WHEN u.status = 'failed' THEN 1 "
                           "ELSE 0 END), 0) FROM plan_users p JOIN user_migrations u ON "
                           "u.source_portal = p.source_portal AND u.source_user_id = "
                           "p.source_user_id WHERE p.plan_id = $1 AND p.outcome = 'moved' AND "
                           "u.status IN ('completed', 'failed')"),
            {p.id});
        figures = {rows.int64(0, 0), rows.int64(0, 1)};
    } else {
        // The users the plan admitted: those of the portal in the buckets its raises opened,
        // past nil (they were nil before: their buckets were above the flag).
        const sql::Rows rows = c.query(
            QStringLiteral("SELECT COUNT(*), COALESCE(SUM(CASE WHEN status IN ('completed', "
                           "'failed') THEN 1 ELSE 0 END), 0), COALESCE(SUM(CASE WHEN status = "
                           "'failed' THEN 1 ELSE 0 END), 0) FROM user_migrations WHERE "
                           "source_portal = $1 AND status <> 'nil' AND rollout_bucket >= $2 "
                           "AND rollout_bucket < $3"),
            {p.portal, p.startBasisPoints, p.reachedBasisPoints});
        p.decided = rows.int64(0, 0);
        figures = {rows.int64(0, 1), rows.int64(0, 2)};
    }
    if (figures.finished != p.figures.finished || figures.failed != p.figures.failed)
        c.exec(QStringLiteral("INSERT INTO plan_samples (plan_id, step, finished, failed) "
                              "VALUES ($1, $2, $3, $4)"),
               {p.id, p.step, figures.finished, figures.failed});
    p.figures = figures;
    return figures;
}

PlanAdvance SqlMergeStore::moveRetryBatch(sql::Connection &c, Plan &p, EpochMs now,
                                          const PlanPace &pace)
{
    Q_UNUSED(now);
    const qint64 want = std::min<qint64>(pace.batchSize, p.stepTarget - p.decided);
    sql::Rows next;
    if (want > 0)
        next = c.query(QStringLiteral("SELECT source_portal, source_user_id FROM plan_users "
                                      "WHERE plan_id = $1 AND step IS NULL ORDER BY pick, "
                                      "source_portal, source_user_id LIMIT $2"),
                       {p.id, want});
    qint64 movedNow = 0;
    if (!next.empty()) {
        QMap<QString, std::vector<qint64>> byPortal;
        for (int r = 0; r < next.size(); ++r)
            byPortal[next.text(r, 0)].push_back(next.int64(r, 1));
        const QString reason =
            QStringLiteral("plan %1, %2: %3").arg(QString::number(p.id), stepWords(p), p.reason);
        for (auto it = byPortal.constBegin(); it != byPortal.constEnd(); ++it) {
            // The same move as Retry All Matching, with the owner's rights and its own audit
            // entry, in this transaction.
            const std::vector<sql::Rows> answers =
                c.batch(retryStatements(c.backend(), it.key(), it.value(), reason, pace.by));
            const QMap<qint64, UserStatus> found = retryFound(answers.back());
            std::vector<qint64> moved, notFailed;
            for (qint64 id : it.value())
                (found.value(id, UserStatus::Nil) == UserStatus::Failed ? moved : notFailed)
                    .push_back(id);
            for (const auto &[outcome, ids] : {std::pair{QStringLiteral("moved"), moved},
                                               std::pair{QStringLiteral("not_failed"), notFailed}}) {
                if (ids.empty())
                    continue;
                QVariantList params{p.step, outcome, p.id, it.key()};
                c.exec(QStringLiteral("UPDATE plan_users SET step = $1, outcome = $2, decided_at "
                                      "= CURRENT_TIMESTAMP(3) WHERE plan_id = $3 AND "
                                      "source_portal = $4 AND step IS NULL AND %1")
                           .arg(idsIn(c.backend(), QStringLiteral("source_user_id"), params, ids)),
                       params);
            }
            movedNow += qint64(moved.size());
            p.decided += qint64(it.value().size());
        }
        p.moved += movedNow;
    }
    const bool stepMoved = p.decided >= p.stepTarget || next.size() < want || want <= 0;
    if (!stepMoved) {
        writePlanState(c, p, pace.by);
        return {PlanAdvance::Kind::Moved, p.id, movedNow,
                QStringLiteral("plan %1: moved %2 (%3 of %4 decided)")
                    .arg(p.id)
                    .arg(movedNow)
                    .arg(p.decided)
                    .arg(p.stepTarget)};
    }
    p.state = PlanState::Holding;
    writePlanState(c, p, pace.by);
    c.exec(QStringLiteral("UPDATE plans SET hold_started_at = CURRENT_TIMESTAMP(3) WHERE id = $1"),
           {p.id});
    writeAudit(c, pace.by, QStringLiteral("plan_step"), planTarget(p.id),
               compactJson({{QStringLiteral("state"), QStringLiteral("running")}}),
               compactJson({{QStringLiteral("state"), QStringLiteral("holding")},
                            {QStringLiteral("step"), p.step + 1},
                            {QStringLiteral("steps"), int(p.steps.size())},
                            {QStringLiteral("decided"), double(p.decided)},
                            {QStringLiteral("moved"), double(p.moved)},
                            {QStringLiteral("users"), double(p.usersTotal)}}),
               p.reason);
    return {PlanAdvance::Kind::Moved, p.id, movedNow,
            QStringLiteral("plan %1: %2 moved, %3 users in all; holding")
                .arg(p.id)
                .arg(stepWords(p))
                .arg(p.moved)};
}

PlanAdvance SqlMergeStore::raiseRamp(sql::Connection &c, Plan &p, const PlanPace &pace)
{
    const RolloutFlag flag = readRollout(c, p.flag, p.portal, true);
    if (flag.basisPoints != p.reachedBasisPoints)
        return haltPlan(c, p, pace,
                        QStringLiteral("Rollout '%1' on %2 is at %3 but the plan left it at %4: "
                                       "someone changed it outside the plan; halted at %5.")
                            .arg(p.flag, p.portal, percent(flag.basisPoints),
                                 percent(p.reachedBasisPoints), stepWords(p)));
    const qint64 target = p.stepTarget;
    c.exec(QStringLiteral("UPDATE rollout_flags SET percentage = $1, version = version + 1, "
                          "updated_at = CURRENT_TIMESTAMP(3), updated_by = $2 WHERE flag = $3 "
                          "AND portal = $4"),
           {QStringLiteral("%1.%2").arg(target / 100).arg(target % 100, 2, 10, QLatin1Char('0')),
            changedBy(pace.by), p.flag, p.portal});
    writeAudit(c, pace.by, QStringLiteral("set_rollout"),
               QStringLiteral("rollout:%1:%2").arg(p.flag, p.portal),
               compactJson({{QStringLiteral("percentage"), basisPointsText(flag.basisPoints)}}),
               compactJson({{QStringLiteral("percentage"), basisPointsText(target)}}),
               QStringLiteral("plan %1, %2: %3")
                   .arg(QString::number(p.id), stepWords(p), p.reason));
    p.reachedBasisPoints = int(target);
    p.state = PlanState::Holding;
    writePlanState(c, p, pace.by);
    c.exec(QStringLiteral("UPDATE plans SET hold_started_at = CURRENT_TIMESTAMP(3) WHERE id = $1"),
           {p.id});
    writeAudit(c, pace.by, QStringLiteral("plan_step"), planTarget(p.id),
               compactJson({{QStringLiteral("state"), QStringLiteral("running")},
                            {QStringLiteral("percentage"), percent(flag.basisPoints)}}),
               compactJson({{QStringLiteral("state"), QStringLiteral("holding")},
                            {QStringLiteral("step"), p.step + 1},
                            {QStringLiteral("steps"), int(p.steps.size())},
                            {QStringLiteral("percentage"), percent(target)}}),
               p.reason);
    return {PlanAdvance::Kind::Raised, p.id, 0,
            QStringLiteral("plan %1: %2, %3:%4 raised to %5; holding")
                .arg(QString::number(p.id), stepWords(p), p.flag, p.portal, percent(target))};
}

PlanAdvance SqlMergeStore::haltPlan(sql::Connection &c, Plan &p, const PlanPace &pace,
                                    const QString &why)
{
    const PlanState before = p.state;
    p.state = PlanState::Halted;
    p.haltReason = why;
    writePlanState(c, p, pace.by);
    writeAudit(c, pace.by, QStringLiteral("plan_halt"), planTarget(p.id),
               compactJson({{QStringLiteral("state"), planStateName(before)}}),
               compactJson({{QStringLiteral("state"), QStringLiteral("halted")},
                            {QStringLiteral("step"), p.step + 1},
                            {QStringLiteral("finished"), double(p.figures.finished)},
                            {QStringLiteral("failed"), double(p.figures.failed)},
                            {QStringLiteral("rate"), percent(p.figures.rateBasisPoints())},
                            {QStringLiteral("halt_above"), percent(p.haltAboveBasisPoints)},
                            {QStringLiteral("moved"), double(p.moved)},
                            {QStringLiteral("flag_at"), percent(p.reachedBasisPoints)}}),
               why);
    return {PlanAdvance::Kind::Halted, p.id, 0,
            QStringLiteral("plan %1 halted: %2").arg(p.id).arg(why)};
}

} // namespace mc
