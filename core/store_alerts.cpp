// SqlMergeStore: the shared alert rules (007_alerts.sql). Evaluators read the rules, their states
// and what the rules look at (counters and the recent queue samples, never the user tables) in one
// batch, and record transitions through mc_alert_record, which any role may call and which applies
// a transition only when the alert is still at the version the evaluator read.

#include "alerts.h"
#include "sql_merge_store_run.h"

namespace mc {

namespace {

QJsonObject jsonObject(const QString &text)
{
    return QJsonDocument::fromJson(text.toUtf8()).object();
}

QString jsonText(const QJsonObject &object)
{
    return object.isEmpty() ? QString() : compactJson(object);
}

const QString kRulesSql = QStringLiteral(
    "SELECT r.name, r.kind, r.scope, r.threshold, r.min_count, r.window_s, r.for_s, "
    "r.keep_firing_s, r.severity, r.enabled, {ms:r.muted_until}, r.version, {ms:r.updated_at}, "
    "r.updated_by, s.state, {ms:s.since}, {ms:s.fired_at}, {ms:s.cleared_at}, "
    "{ms:s.resolved_at}, s.firing_id, s.figures, s.version "
    "FROM alert_rules r LEFT JOIN alert_states s ON s.rule_name = r.name ORDER BY r.name");

AlertRuleState ruleFrom(const sql::Rows &rows, int r)
{
    AlertRuleState entry;
    AlertRule &rule = entry.rule;
    rule.name = rows.text(r, 0);
    rule.kind = alertKindFromName(rows.text(r, 1)).value_or(AlertKind::PlanHalted);
    rule.scope = rows.text(r, 2);
    rule.threshold = rows.real(r, 3);
    rule.minCount = rows.int64(r, 4);
    rule.windowS = rows.int32(r, 5);
    rule.forS = rows.int32(r, 6);
    rule.keepFiringS = rows.int32(r, 7);
    rule.severity = severityFromName(rows.text(r, 8)).value_or(AlertSeverity::Critical);
    rule.enabled = rows.boolean(r, 9);
    rule.mutedUntil = rows.optionalInt64(r, 10);
    rule.version = rows.int64(r, 11);
    rule.updatedAt = rows.optionalInt64(r, 12);
    rule.updatedBy = rows.text(r, 13);
    AlertStatus &status = entry.status;
    if (!rows.isNull(r, 14)) {
        status.phase = alertPhaseFromName(rows.text(r, 14)).value_or(AlertPhase::Inactive);
        status.since = rows.optionalInt64(r, 15);
        status.firedAt = rows.optionalInt64(r, 16);
        status.clearedAt = rows.optionalInt64(r, 17);
        status.resolvedAt = rows.optionalInt64(r, 18);
        status.firingId = rows.optionalInt64(r, 19);
        status.figures = jsonObject(rows.text(r, 20));
        status.version = rows.int64(r, 21);
    }
    return entry;
}

// The queue series of the samples back to the longest window of the enabled rules, with the
// bucket that overlaps its start (alert_evaluator.cpp, inWindow).
QString samplesSql(sql::Backend backend)
{
    const QString since = backend == sql::Backend::PostgreSQL
        ? QStringLiteral("CURRENT_TIMESTAMP(3) - make_interval(secs => "
                         "(SELECT COALESCE(MAX(window_s), 0) + 10 FROM alert_rules WHERE enabled))")
        : QStringLiteral("UTC_TIMESTAMP(3) - INTERVAL "
                         "(SELECT COALESCE(MAX(window_s), 0) + 10 FROM alert_rules WHERE enabled) "
                         "SECOND");
    return QStringLiteral("SELECT {ms:bucket_start}, queue_name, users_completed, users_failed, "
                          "queue_depth, jobs_in_progress FROM throughput_samples "
                          "WHERE bucket_start >= %1 AND model_id = 0 AND queue_name <> '' "
                          "ORDER BY bucket_start, queue_name")
        .arg(since);
}

} // namespace

QStringList alertsReadSql(sql::Backend backend, int historyLimit)
{
    return {QStringLiteral("SELECT {ms:CURRENT_TIMESTAMP(3)}"), kRulesSql,
            QStringLiteral("SELECT SUM(users) FROM user_status_counts WHERE status = 'pending'"),
            QStringLiteral("SELECT q.name, q.parallelism, q.paused, "
                           "(SELECT SUM(c.pending) FROM queue_counts c WHERE c.queue_name = q.name), "
                           "(SELECT SUM(c.running) FROM queue_counts c WHERE c.queue_name = q.name) "
                           "FROM queues q ORDER BY q.name"),
            samplesSql(backend),
            QStringLiteral("SELECT id, rule_name, severity, {ms:pending_since}, {ms:fired_at}, "
                           "{ms:resolved_at}, figures, resolved_figures FROM alert_firings "
                           "ORDER BY id DESC LIMIT %1")
                .arg(std::max(0, historyLimit)),
            // The newest halted guarded plan and how many there are (plans_state index).
            QStringLiteral("SELECT p.id, p.kind, p.halt_reason, (SELECT COUNT(*) FROM plans h "
                           "WHERE h.state = 'halted') FROM plans p WHERE p.state = 'halted' "
                           "ORDER BY p.id DESC LIMIT 1")};
}

Result<AlertsSnapshot> SqlMergeStore::alerts(const AlertsRequest &request)
{
    return run<AlertsSnapshot>(Need::CurrentSchema, [&](sql::Connection &c) {
        // One batch, one round trip, whatever the number of rules.
        std::vector<sql::Statement> batch;
        for (const QString &statement : alertsReadSql(c.backend(), request.historyLimit))
            batch.push_back({statement});
        const std::vector<sql::Rows> answers = c.batch(batch);
        AlertsSnapshot snapshot;
        AlertInputs &inputs = snapshot.inputs;
        inputs.now = answers[0].int64(0, 0);
        for (int r = 0; r < answers[1].size(); ++r)
            snapshot.rules.append(ruleFrom(answers[1], r));
        inputs.pendingUsers = answers[2].optionalInt64(0, 0).value_or(0);
        const sql::Rows &queues = answers[3];
        for (int r = 0; r < queues.size(); ++r)
            inputs.queues.append({queues.text(r, 0), queues.int32(r, 1), queues.boolean(r, 2),
                                  queues.optionalInt64(r, 3).value_or(0),
                                  queues.optionalInt64(r, 4).value_or(0)});
        const sql::Rows &samples = answers[4];
        for (int r = 0; r < samples.size(); ++r)
            inputs.samples.append({samples.int64(r, 0), samples.text(r, 1), samples.int64(r, 2),
                                   samples.int64(r, 3), samples.int64(r, 4),
                                   samples.int64(r, 5)});
        if (const sql::Rows &halted = answers[6]; !halted.empty()) {
            inputs.haltedPlanId = halted.int64(0, 0);
            inputs.haltedPlanKind = halted.text(0, 1);
            inputs.haltReason = halted.text(0, 2);
            inputs.haltedPlans = halted.int64(0, 3);
        }
        const sql::Rows &history = answers[5];
        for (int r = 0; r < history.size(); ++r)
            snapshot.history.append(
                {history.int64(r, 0), history.text(r, 1),
                 severityFromName(history.text(r, 2)).value_or(AlertSeverity::Critical),
                 history.int64(r, 3), history.int64(r, 4), history.optionalInt64(r, 5),
                 jsonObject(history.text(r, 6)), jsonObject(history.text(r, 7))});
        return snapshot;
    });
}

Result<QList<AlertTransition>> SqlMergeStore::recordAlertTransitions(
    const QList<AlertTransition> &transitions)
{
    return run<QList<AlertTransition>>(Need::CurrentSchema, [&](sql::Connection &c) {
        // One transaction, one round trip (BEGIN, the calls, COMMIT). The transaction matters on
        // MariaDB: a procedure's statements would otherwise each commit on their own, releasing
        // the state row's lock between the version check and the update, so two evaluators could
        // both record the same transition. Rules are locked in name order by every evaluator.
        const bool postgres = c.backend() == sql::Backend::PostgreSQL;
        std::vector<sql::Statement> statements;
        for (const AlertTransition &t : transitions) {
            const QVariantList params{t.rule, t.fromVersion, alertStepName(t.step),
                                      jsonText(t.figures)};
            if (postgres) {
                statements.push_back({QStringLiteral("SELECT mc_alert_record($1, $2::bigint, "
                                                     "$3, $4)"),
                                      params});
            } else {
                statements.push_back(
                    {QStringLiteral("CALL mc_alert_record($1, $2, $3, $4, @mc_alert_applied)"),
                     params});
                statements.push_back({QStringLiteral("SELECT @mc_alert_applied")});
            }
        }
        const std::vector<sql::Rows> answers =
            sql::inTransaction(c, [&] { return c.commitWith(statements); });
        QList<AlertTransition> recorded = transitions;
        for (qsizetype i = 0; i < recorded.size(); ++i) {
            const sql::Rows &rows = answers.at(size_t(postgres ? i : 2 * i + 1));
            recorded[i].applied = !rows.empty() && rows.optionalInt64(0, 0).value_or(0) > 0;
        }
        return recorded;
    });
}

Result<AlertRule> SqlMergeStore::setAlertRule(const AlertRuleChange &change)
{
    return run<AlertRule>(Need::CurrentSchema, [&](sql::Connection &c) {
        requireReason(change.reason);
        const AlertRule &rule = change.rule;
        static const QRegularExpression kName(QStringLiteral("^[a-z0-9_]{1,64}$"));
        if (!kName.match(rule.name).hasMatch())
            throw StoreError::make(StoreError::Kind::InvalidInput,
                                   QStringLiteral("A rule name has 1 to 64 characters a-z, 0-9 "
                                                  "and _."));
        const auto seconds = [](int s) { return s >= 0 && s <= 86400; };
        if (rule.windowS < 10 || !seconds(rule.windowS) || !seconds(rule.forS)
            || !seconds(rule.keepFiringS) || rule.threshold < 0 || rule.minCount < 0
            || rule.scope.size() > 64 || (change.muteS && !seconds(*change.muteS)))
            throw StoreError::make(StoreError::Kind::InvalidInput,
                                   QStringLiteral("A window is 10 s to 1 day; for, keep-firing "
                                                  "and mute 0 to 1 day; threshold and minimum "
                                                  "count not negative."));
        const QVariantList params{rule.name, rule.version, alertKindName(rule.kind), rule.scope,
                                  rule.threshold, rule.minCount, rule.windowS, rule.forS,
                                  rule.keepFiringS, severityName(rule.severity), rule.enabled,
                                  change.muteS ? QVariant(*change.muteS) : QVariant(),
                                  change.reason, change.by.osUser};
        // The change and its audit entry in one transaction (on MariaDB the procedure's
        // statements would otherwise commit one by one), sent with its COMMIT in one round trip.
        // Not retried: a stale version (40001) is the lead's to resolve.
        c.begin();
        try {
            if (c.backend() == sql::Backend::PostgreSQL)
                c.commitWith({{QStringLiteral("SELECT mc_alert_rule_set($1, $2::bigint, $3, $4, "
                                              "$5::double precision, $6::bigint, $7::integer, "
                                              "$8::integer, $9::integer, $10, $11::boolean, "
                                              "$12::integer, $13, $14)"),
                               params}});
            else
                c.commitWith({{QStringLiteral("CALL mc_alert_rule_set($1, $2, $3, $4, $5, $6, "
                                              "$7, $8, $9, $10, $11, $12, $13, $14, "
                                              "@mc_alert_rule_v)"),
                               params}});
        } catch (const sql::DbError &error) {
            c.rollback();
            if (error.sqlState() == "40001")
                throw StoreError::make(StoreError::Kind::Conflict,
                                       QStringLiteral("The rule %1 was changed by someone else "
                                                      "meanwhile; read it again.")
                                           .arg(rule.name),
                                       QStringLiteral("40001"));
            throw;
        }
        const sql::Rows rows = c.query(QStringLiteral("%1").arg(kRulesSql).replace(
                                           QStringLiteral(" ORDER BY r.name"),
                                           QStringLiteral(" WHERE r.name = $1")),
                                       {rule.name});
        if (rows.empty())
            throw StoreError::make(StoreError::Kind::NotFound,
                                   QStringLiteral("The rule %1 is gone.").arg(rule.name));
        return ruleFrom(rows, 0).rule;
    });
}

Result<bool> SqlMergeStore::claimAlertNotice(qint64 firingId)
{
    return run<bool>(Need::CurrentSchema, [&](sql::Connection &c) {
        std::vector<sql::Rows> answers;
        if (c.backend() == sql::Backend::PostgreSQL)
            answers = c.batch({{QStringLiteral("SELECT mc_alert_notice($1::bigint)"), {firingId}}});
        else
            answers = c.batch({{QStringLiteral("CALL mc_alert_notice($1, @mc_alert_first)"),
                                {firingId}},
                               {QStringLiteral("SELECT @mc_alert_first")}});
        const sql::Rows &rows = answers.back();
        return !rows.empty() && rows.optionalInt64(0, 0).value_or(0) > 0;
    });
}

} // namespace mc
