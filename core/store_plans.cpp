// SqlMergeStore: guarded plans — making them, reading them, pausing, resuming and cancelling them,
// and the executor lock (006_guarded_plans.sql). Advancing them is store_plan_steps.cpp.

#include "rollout.h"
#include "sql_merge_store_run.h"
#include "sql_params.h"

#include <QJsonObject>

namespace mc {

namespace {

const QString kPlanColumns = QStringLiteral(
    "id, kind, state, reason, selection, flag, portal, steps, step, step_target, "
    "{ms:hold_started_at}, hold_ms, min_finished, halt_above_bp, baseline_bp, start_bp, "
    "reached_bp, users_total, decided, moved, finished, failed, halt_reason, version, "
    "{ms:created_at}, created_by, {ms:updated_at}, updated_by");

Plan planOf(const sql::Rows &rows, int r)
{
    Plan p;
    p.id = rows.int64(r, 0);
    p.kind = rows.text(r, 1) == QLatin1String("ramp") ? PlanKind::Ramp : PlanKind::Retry;
    p.state = planStateFromName(rows.text(r, 2)).value_or(PlanState::Paused);
    p.reason = rows.text(r, 3);
    p.selection = rows.text(r, 4);
    p.flag = rows.text(r, 5);
    p.portal = rows.text(r, 6);
    const auto steps = p.kind == PlanKind::Ramp ? parseRampSteps(rows.text(r, 7))
                                                : parseRetrySteps(rows.text(r, 7));
    if (steps.ok())
        p.steps = steps.value();
    p.step = rows.int32(r, 8);
    p.stepTarget = rows.int64(r, 9);
    p.holdStartedAt = rows.optionalInt64(r, 10);
    p.holdMs = rows.int64(r, 11);
    p.minFinished = rows.int32(r, 12);
    p.haltAboveBasisPoints = rows.int32(r, 13);
    if (!rows.isNull(r, 14))
        p.baselineBasisPoints = rows.int32(r, 14);
    p.startBasisPoints = rows.int32(r, 15);
    p.reachedBasisPoints = rows.int32(r, 16);
    p.usersTotal = rows.int64(r, 17);
    p.decided = rows.int64(r, 18);
    p.moved = rows.int64(r, 19);
    p.figures = {rows.int64(r, 20), rows.int64(r, 21)};
    p.haltReason = rows.text(r, 22);
    p.version = rows.int64(r, 23);
    p.createdAt = rows.int64(r, 24);
    p.createdBy = rows.text(r, 25);
    p.updatedAt = rows.int64(r, 26);
    p.updatedBy = rows.text(r, 27);
    return p;
}

QJsonObject filterJson(const FailureFilter &f)
{
    QJsonObject o;
    if (f.modelId)
        o.insert(QStringLiteral("model_id"), *f.modelId);
    auto text = [&](const char *key, const QString &value) {
        if (!value.isEmpty())
            o.insert(QLatin1String(key), value);
    };
    text("error_class", f.errorClass);
    text("portal", f.portal);
    text("search", f.searchText);
    text("group", f.fingerprint);
    if (f.matchCase)
        o.insert(QStringLiteral("match_case"), true);
    if (f.since)
        o.insert(QStringLiteral("since_ms"), double(*f.since));
    if (f.until)
        o.insert(QStringLiteral("until_ms"), double(*f.until));
    if (f.includeResolved)
        o.insert(QStringLiteral("include_resolved"), true);
    return o;
}

StoreError invalid(const QString &why)
{
    return StoreError::make(StoreError::Kind::InvalidInput, why);
}

void checkRule(qint64 holdMs, int minFinished, std::optional<int> haltAbove)
{
    if (holdMs < 0 || holdMs > 7 * 24 * 3'600'000LL)
        throw invalid(QStringLiteral("A hold lasts between 0 and 7 days."));
    if (minFinished < 1 || minFinished > 1'000'000)
        throw invalid(QStringLiteral("The finished users needed before judging lie between 1 "
                                     "and 1 000 000."));
    if (haltAbove && (*haltAbove < 0 || *haltAbove >= 10'000))
        throw invalid(QStringLiteral("A halt threshold lies between 0 % and 99.99 %."));
}

QString planTarget(qint64 id)
{
    return QStringLiteral("plan:%1").arg(id);
}

void checkRequest(const QString &reason, const QList<PlanStep> &steps, qint64 holdMs,
                  int minFinished, std::optional<int> haltAbove)
{
    requireReason(reason);
    checkRule(holdMs, minFinished, haltAbove);
    if (steps.isEmpty())
        throw invalid(QStringLiteral("A plan has 1 to 20 steps."));
}

// The new plan's id: PostgreSQL returns it, MariaDB says it after.
qint64 insertPlan(sql::Connection &c, const QString &insert, const QVariantList &params)
{
    if (c.backend() == sql::Backend::PostgreSQL)
        return c.query(insert + QStringLiteral(" RETURNING id"), params).int64(0, 0);
    c.exec(insert, params);
    return c.query(QStringLiteral("SELECT LAST_INSERT_ID()")).int64(0, 0);
}

// The halt rule as the plan_create audit entry keeps it.
QJsonObject ruleJson(const QList<PlanStep> &steps, qint64 holdMs, int minFinished, int haltAbove,
                     std::optional<int> baseline)
{
    return {{QStringLiteral("steps"), stepsText(steps)},
            {QStringLiteral("hold_ms"), double(holdMs)},
            {QStringLiteral("min_finished"), minFinished},
            {QStringLiteral("halt_above"), basisPointsText(haltAbove) + QStringLiteral(" %")},
            {QStringLiteral("baseline"), baseline ? basisPointsText(*baseline) + QStringLiteral(" %")
                                                  : QStringLiteral("none finished")}};
}

} // namespace

Plan SqlMergeStore::readPlan(sql::Connection &c, qint64 id, bool forUpdate, EpochMs *now)
{
    const sql::Rows rows =
        c.query(QStringLiteral("SELECT %1, {ms:CURRENT_TIMESTAMP(3)} FROM plans WHERE id = $1%2")
                    .arg(kPlanColumns, forUpdate ? QStringLiteral(" FOR UPDATE") : QString()),
                {id});
    if (rows.empty())
        throw StoreError::make(StoreError::Kind::NotFound,
                               QStringLiteral("There is no plan %1.").arg(id));
    if (now)
        *now = rows.int64(0, 28);
    return planOf(rows, 0);
}

std::optional<int> SqlMergeStore::hourBeforeRate(sql::Connection &c, const QString &portal)
{
    const EpochMs now = c.query(QStringLiteral("SELECT {ms:CURRENT_TIMESTAMP(3)}")).int64(0, 0);
    QVariantList params{now - 3'600'000, now};
    QString where = QStringLiteral("finished_at >= {ts:$1} AND finished_at < {ts:$2} AND "
                                   "status IN ('completed', 'failed')");
    if (!portal.isEmpty())
        where += QStringLiteral(" AND source_portal = ") + bind(params, portal);
    const sql::Rows rows = c.query(
        QStringLiteral("SELECT COUNT(*), COALESCE(SUM(CASE WHEN status = 'failed' THEN 1 ELSE 0 "
                       "END), 0) FROM user_migrations WHERE %1")
            .arg(where),
        params);
    const PlanFigures hour{rows.int64(0, 0), rows.int64(0, 1)};
    if (hour.finished == 0)
        return std::nullopt;
    return hour.rateBasisPoints();
}

Result<Plan> SqlMergeStore::createRetryPlan(const RetryPlanRequest &request)
{
    return run<Plan>(Need::CurrentSchema, [&](sql::Connection &c) {
        checkRequest(request.reason, request.steps, request.holdMs, request.minFinished,
                     request.haltAboveBasisPoints);
        const qint64 id = sql::inTransaction(c, [&] {
            const std::optional<int> baseline = hourBeforeRate(c, request.filter.portal);
            const int haltAbove =
                request.haltAboveBasisPoints.value_or(defaultHaltAboveBasisPoints(baseline));
            const QVariantList insertParams{
                request.reason, request.filter.describe(), compactJson(filterJson(request.filter)),
                stepsText(request.steps), request.holdMs, request.minFinished, haltAbove,
                baseline ? QVariant(*baseline) : QVariant(), changedBy(request.by)};
            const QString insert = QStringLiteral(
                "INSERT INTO plans (kind, reason, selection, filter_json, steps, hold_ms, "
                "min_finished, halt_above_bp, baseline_bp, created_by, updated_by) VALUES "
                "('retry', $1, $2, $3, $4, $5, $6, $7, $8, $9, $9)");
            const qint64 planId = insertPlan(c, insert, insertParams);
            // The filter's failed users now, by the same definition as Retry All Matching, in
            // the order the plan takes them.
            QVariantList params;
            const QString users = retryableUsersSql(request.filter, c.backend(), params);
            const QString plan = bind(params, planId);
            const qint64 total = c.exec(
                QStringLiteral("INSERT INTO plan_users (plan_id, source_portal, source_user_id, "
                               "pick) SELECT %1, d.source_portal, d.source_user_id, "
                               "um.rollout_bucket FROM (%2) d JOIN user_migrations um ON "
                               "um.source_portal = d.source_portal AND um.source_user_id = "
                               "d.source_user_id")
                    .arg(plan, users),
                params);
            if (total == 0)
                throw StoreError::make(StoreError::Kind::NothingToChange,
                                       QStringLiteral("No failed user matches %1; no plan was "
                                                      "made.")
                                           .arg(request.filter.describe()));
            const qint64 target = retryStepTarget(request.steps, 0, total);
            c.exec(QStringLiteral("UPDATE plans SET users_total = $1, step_target = $2 WHERE "
                                  "id = $3"),
                   {total, target, planId});
            QJsonObject after = ruleJson(request.steps, request.holdMs, request.minFinished,
                                         haltAbove, baseline);
            after.insert(QStringLiteral("kind"), QStringLiteral("retry"));
            after.insert(QStringLiteral("filter"), request.filter.describe());
            after.insert(QStringLiteral("users"), double(total));
            writeAudit(c, request.by, QStringLiteral("plan_create"), planTarget(planId), QString(),
                       compactJson(after), request.reason);
            return planId;
        });
        return readPlan(c, id, false);
    });
}

Result<Plan> SqlMergeStore::createRampPlan(const RampPlanRequest &request)
{
    return run<Plan>(Need::CurrentSchema, [&](sql::Connection &c) {
        checkRequest(request.reason, request.steps, request.holdMs, request.minFinished,
                     request.haltAboveBasisPoints);
        if (request.flag != kAdmissionFlag)
            throw invalid(QStringLiteral("Only the '%1' flag admits users; a ramp of '%2' would "
                                         "have no admitted users to judge.")
                              .arg(kAdmissionFlag, request.flag));
        const qint64 id = sql::inTransaction(c, [&] {
            const RolloutFlag flag = readRollout(c, request.flag, request.portal, true);
            if (request.steps.first().value <= flag.basisPoints)
                throw invalid(QStringLiteral("Rollout '%1' on %2 is at %3 % already; a ramp's "
                                             "first step must be above it.")
                                  .arg(request.flag, request.portal,
                                       basisPointsText(flag.basisPoints)));
            const std::optional<int> baseline = hourBeforeRate(c, request.portal);
            const int haltAbove =
                request.haltAboveBasisPoints.value_or(defaultHaltAboveBasisPoints(baseline));
            const QVariantList params{
                request.reason, QStringLiteral("%1 on %2").arg(request.flag, request.portal),
                request.flag, request.portal, stepsText(request.steps),
                request.steps.first().value, request.holdMs, request.minFinished, haltAbove,
                baseline ? QVariant(*baseline) : QVariant(), flag.basisPoints,
                changedBy(request.by)};
            const QString insert = QStringLiteral(
                "INSERT INTO plans (kind, reason, selection, flag, portal, steps, step_target, "
                "hold_ms, min_finished, halt_above_bp, baseline_bp, start_bp, reached_bp, "
                "created_by, updated_by) VALUES ('ramp', $1, $2, $3, $4, $5, $6, $7, $8, $9, "
                "$10, $11, $11, $12, $12)");
            const qint64 planId = insertPlan(c, insert, params);
            QJsonObject after = ruleJson(request.steps, request.holdMs, request.minFinished,
                                         haltAbove, baseline);
            after.insert(QStringLiteral("kind"), QStringLiteral("ramp"));
            after.insert(QStringLiteral("rollout"),
                         QStringLiteral("%1:%2").arg(request.flag, request.portal));
            after.insert(QStringLiteral("from"),
                         basisPointsText(flag.basisPoints) + QStringLiteral(" %"));
            writeAudit(c, request.by, QStringLiteral("plan_create"), planTarget(planId), QString(),
                       compactJson(after), request.reason);
            return planId;
        });
        return readPlan(c, id, false);
    });
}

Result<QList<Plan>> SqlMergeStore::plans()
{
    return run<QList<Plan>>(Need::CurrentSchema, [&](sql::Connection &c) {
        const sql::Rows rows = c.query(
            QStringLiteral("SELECT %1 FROM plans ORDER BY id DESC LIMIT 200").arg(kPlanColumns));
        QList<Plan> list;
        for (int r = 0; r < rows.size(); ++r)
            list.append(planOf(rows, r));
        return list;
    });
}

Result<Plan> SqlMergeStore::plan(qint64 id)
{
    return run<Plan>(Need::CurrentSchema, [&](sql::Connection &c) {
        const std::vector<sql::Rows> answers = c.batch({
            {QStringLiteral("SELECT %1 FROM plans WHERE id = $1").arg(kPlanColumns), {id}},
            // The newest 5 000 judgements (a long plan keeps its chart moving).
            {QStringLiteral("SELECT {ms:at}, step, finished, failed FROM plan_samples WHERE "
                            "plan_id = $1 ORDER BY id DESC LIMIT 5000"),
             {id}},
        });
        if (answers.at(0).empty())
            throw StoreError::make(StoreError::Kind::NotFound,
                                   QStringLiteral("There is no plan %1.").arg(id));
        Plan p = planOf(answers.at(0), 0);
        const sql::Rows &samples = answers.at(1);
        for (int r = samples.size() - 1; r >= 0; --r) // oldest first
            p.samples.append({samples.int64(r, 0), samples.int32(r, 1),
                              {samples.int64(r, 2), samples.int64(r, 3)}});
        return p;
    });
}

Result<Plan> SqlMergeStore::changePlan(const PlanChange &change)
{
    return run<Plan>(Need::CurrentSchema, [&](sql::Connection &c) {
        requireReason(change.reason);
        checkRule(0, 1, change.haltAboveBasisPoints);
        if (change.haltAboveBasisPoints && change.action != PlanAction::Resume)
            throw invalid(QStringLiteral("A new threshold goes with resume."));
        sql::inTransaction(c, [&] {
            Plan p = readPlan(c, change.planId, true);
            const PlanState before = p.state;
            bool allowed = false;
            switch (change.action) {
            case PlanAction::Pause:
                allowed = isActive(before);
                p.state = PlanState::Paused;
                break;
            case PlanAction::Resume:
                allowed = before == PlanState::Paused || before == PlanState::Halted;
                break;
            case PlanAction::Cancel:
                allowed = !isFinal(before);
                p.state = PlanState::Cancelled;
                break;
            }
            if (!allowed) {
                const QString done = change.action == PlanAction::Pause ? QStringLiteral("paused")
                    : change.action == PlanAction::Resume ? QStringLiteral("resumed")
                                                          : QStringLiteral("cancelled");
                throw StoreError::make(StoreError::Kind::Conflict,
                                       QStringLiteral("Plan %1 is %2; it cannot be %3. Nothing "
                                                      "was changed.")
                                           .arg(QString::number(p.id), planStateName(before),
                                                done));
            }
            QJsonObject was{{QStringLiteral("state"), planStateName(before)}};
            QJsonObject now;
            if (change.action == PlanAction::Resume) {
                // Moves left in the step: move on; otherwise hold again from now, so the
                // rule sees the step's users finish before the plan goes further.
                p.state = p.holdStartedAt ? PlanState::Holding : PlanState::Running;
                if (change.haltAboveBasisPoints) {
                    was.insert(QStringLiteral("halt_above"),
                               basisPointsText(p.haltAboveBasisPoints) + QStringLiteral(" %"));
                    p.haltAboveBasisPoints = *change.haltAboveBasisPoints;
                    now.insert(QStringLiteral("halt_above"),
                               basisPointsText(p.haltAboveBasisPoints) + QStringLiteral(" %"));
                }
                p.haltReason.clear();
                c.exec(QStringLiteral("UPDATE plans SET hold_started_at = CASE WHEN "
                                      "hold_started_at IS NULL THEN NULL ELSE "
                                      "CURRENT_TIMESTAMP(3) END WHERE id = $1"),
                       {p.id});
            }
            now.insert(QStringLiteral("state"), planStateName(p.state));
            writePlanState(c, p, change.by);
            writeAudit(c, change.by, QStringLiteral("plan_") + planActionName(change.action),
                       planTarget(p.id), compactJson(was), compactJson(now), change.reason);
        });
        return readPlan(c, change.planId, false);
    });
}

void SqlMergeStore::writePlanState(sql::Connection &c, const Plan &p, const Operator &by)
{
    c.exec(QStringLiteral("UPDATE plans SET state = $1, step = $2, step_target = $3, "
                          "halt_above_bp = $4, reached_bp = $5, decided = $6, moved = $7, "
                          "finished = $8, failed = $9, halt_reason = $10, version = version + 1, "
                          "updated_at = CURRENT_TIMESTAMP(3), updated_by = $11 WHERE id = $12"),
           {planStateName(p.state), p.step, p.stepTarget, p.haltAboveBasisPoints,
            p.reachedBasisPoints, p.decided, p.moved, p.figures.finished, p.figures.failed,
            p.haltReason, changedBy(by), p.id});
}

Result<bool> SqlMergeStore::claimPlanExecutor()
{
    return run<bool>(Need::CurrentSchema, [&](sql::Connection &c) {
        // Held by this connection already: keep it (PostgreSQL would stack another hold).
        // The lock belongs to the session, so it ends when the connection does.
        if (c.backend() == sql::Backend::PostgreSQL)
            return c.query(QStringLiteral(
                               "SELECT CASE WHEN EXISTS (SELECT 1 FROM pg_locks WHERE locktype = "
                               "'advisory' AND pid = pg_backend_pid() AND classid = 28003 AND "
                               "objid = 1 AND granted) THEN true ELSE "
                               "pg_try_advisory_lock(28003, 1) END"))
                .boolean(0, 0);
        return c.query(QStringLiteral("SELECT CASE WHEN IS_USED_LOCK(CONCAT('mc_plans:', "
                                      "DATABASE())) = CONNECTION_ID() THEN 1 ELSE "
                                      "COALESCE(GET_LOCK(CONCAT('mc_plans:', DATABASE()), 0), 0) "
                                      "END"))
            .boolean(0, 0);
    });
}

Result<Done> SqlMergeStore::releasePlanExecutor()
{
    return run<Done>(Need::Connection, [&](sql::Connection &c) {
        if (c.backend() == sql::Backend::PostgreSQL)
            c.query(QStringLiteral("SELECT pg_advisory_unlock(28003, 1) FROM pg_locks WHERE "
                                   "locktype = 'advisory' AND pid = pg_backend_pid() AND "
                                   "classid = 28003 AND objid = 1 AND granted"));
        else
            c.query(QStringLiteral("SELECT CASE WHEN IS_USED_LOCK(CONCAT('mc_plans:', DATABASE())) "
                                   "= CONNECTION_ID() THEN RELEASE_LOCK(CONCAT('mc_plans:', "
                                   "DATABASE())) END"));
        return Done{};
    });
}

} // namespace mc
