// SqlMergeStore: operator actions. Each is one transaction (one per batch for retries) with its
// audit entry; settings rows are guarded by their version column.

#include "counters.h"
#include "sql_merge_store_run.h"
#include "sql_params.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMap>
#include <QSet>

namespace mc {

namespace {

QString percentText(int basisPoints)
{
    return QStringLiteral("%1.%2").arg(basisPoints / 100).arg(basisPoints % 100, 2, 10,
                                                               QLatin1Char('0'));
}

QString whenText(EpochMs ms)
{
    return QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC).toString(Qt::ISODateWithMs);
}

} // namespace

QString SqlMergeStore::changedBy(const Operator &by)
{
    // The settings rows keep a short label; the audit log keeps the full names.
    return QStringLiteral("%1 (%2)").arg(databaseUser(), by.osUser).left(255);
}

QString SqlMergeStore::lastChangeOf(sql::Connection &c, const QString &action,
                                    const QString &target)
{
    const sql::Rows rows = c.query(
        QStringLiteral("SELECT database_user, os_user, {ms:at}, before_state, after_state, reason "
                       "FROM audit_log WHERE action = $1 AND target = $2 ORDER BY id DESC LIMIT 1"),
        {action, target});
    if (rows.empty())
        return QStringLiteral("no audit entry records who changed it");
    return QStringLiteral("last changed by %1 (%2) at %3: %4 → %5, reason: %6")
        .arg(rows.text(0, 0), rows.text(0, 1), whenText(rows.int64(0, 2)), rows.text(0, 3),
             rows.text(0, 4), rows.text(0, 5));
}

// ---- retry -------------------------------------------------------------------------------------

QString SqlMergeStore::retryableUsersSql(const FailureFilter &filter, sql::Backend backend,
                                         QVariantList &params)
{
    Where where;
    appendFailureFilter(filter, backend, where, params);
    where.add(QStringLiteral("u.status = 'failed'"));
    return QStringLiteral("SELECT DISTINCT f.source_portal, f.source_user_id FROM failed_records f "
                          "JOIN user_migrations u ON u.source_portal = f.source_portal AND "
                          "u.source_user_id = f.source_user_id%1")
        .arg(where.text());
}

std::vector<UserKey> SqlMergeStore::retryableUsers(sql::Connection &c, const FailureFilter &filter)
{
    QVariantList params;
    const sql::Rows rows =
        c.query(retryableUsersSql(filter, c.backend(), params) + QStringLiteral(" ORDER BY 1, 2"), params);
    std::vector<UserKey> users;
    users.reserve(size_t(rows.size()));
    for (int r = 0; r < rows.size(); ++r)
        users.push_back({rows.text(r, 0), rows.int64(r, 1)});
    return users;
}

Result<qint64> SqlMergeStore::countRetryableUsers(const FailureFilter &filter)
{
    return run<qint64>(Need::CurrentSchema, [&](sql::Connection &c) {
        QVariantList params;
        const QString users = retryableUsersSql(filter, c.backend(), params);
        return c.query(QStringLiteral("SELECT COUNT(*) FROM (%1) d").arg(users), params)
            .int64(0, 0);
    });
}

std::vector<sql::Statement> SqlMergeStore::retryStatements(sql::Backend backend,
                                                          const QString &portal,
                                                          const std::vector<qint64> &ids,
                                                          const QString &reason,
                                                          const Operator &by)
{
    QStringList idList;
    for (qint64 id : ids)
        idList << QString::number(id);
    const QVariantList params{portal, idList.join(u','), reason, by.osUser};
    if (backend == sql::Backend::PostgreSQL)
        return {{QStringLiteral("SELECT user_id, status_before FROM mc_retry_users($1, "
                                "string_to_array($2, ',')::bigint[], $3, $4)"),
                 params}};
    return {{QStringLiteral("CALL mc_retry_users($1, $2, $3, $4, @mc_retry_found)"), params},
            {QStringLiteral("SELECT j.id, j.status FROM JSON_TABLE(@mc_retry_found, '$[*]' "
                            "COLUMNS (id BIGINT PATH '$[0]', status VARCHAR(16) PATH '$[1]')) j")}};
}

QMap<qint64, UserStatus> SqlMergeStore::retryFound(const sql::Rows &rows)
{
    QMap<qint64, UserStatus> found;
    for (int r = 0; r < rows.size(); ++r)
        found.insert(rows.int64(r, 0), statusFromName(rows.text(r, 1)).value_or(UserStatus::Nil));
    return found;
}

void SqlMergeStore::retryBatch(sql::Connection &c, const QString &portal,
                               const std::vector<qint64> &ids, const RetryRequest &request,
                               RetryReport &report)
{
    // The move itself is the schema's routine mc_retry_users (004_roles.sql), which runs with
    // the owner's rights: support may move failed users of its list to pending and nothing else.
    // It locks the users, keeps the counters, enqueues the serialize jobs and writes the audit
    // entry, all in this transaction, and says what it found. BEGIN, the call, the read of what
    // it found and COMMIT travel together: one round trip a batch (issue 18).
    QList<UserOutcome> outcomes;
    const qint64 moved = sql::inTransaction(c, [&] {
        outcomes.clear();
        const std::vector<sql::Rows> answers = c.commitWith(
            retryStatements(c.backend(), portal, ids, request.reason, request.by));
        const QMap<qint64, UserStatus> found = retryFound(answers.back());
        qint64 changed = 0;
        for (qint64 id : ids) {
            UserOutcome outcome{UserKey{portal, id}, UserOutcome::Kind::NotFound,
                                UserStatus::Nil};
            if (auto it = found.constFind(id); it != found.constEnd()) {
                outcome.statusBefore = *it;
                outcome.kind = *it == UserStatus::Failed ? UserOutcome::Kind::Moved
                                                         : UserOutcome::Kind::NotFailed;
            }
            if (outcome.kind == UserOutcome::Kind::Moved)
                ++changed;
            outcomes.append(outcome);
        }
        return changed;
    });

    report.moved += moved;
    for (const UserOutcome &outcome : outcomes) {
        if (outcome.kind == UserOutcome::Kind::NotFailed)
            ++report.notFailed;
        else if (outcome.kind == UserOutcome::Kind::NotFound)
            ++report.notFound;
    }
    report.outcomes.append(outcomes);
    ++report.batches;
}

Result<RetryReport> SqlMergeStore::retryUsers(const RetryRequest &request,
                                              const BulkControl &control)
{
    if (request.batchSize <= 0 || request.batchSize > 10'000)
        return StoreError::make(StoreError::Kind::InvalidInput,
                                QStringLiteral("A retry batch holds 1 to 10 000 users."));
    return run<RetryReport>(Need::CurrentSchema, [&](sql::Connection &c) {
        requireReason(request.reason);
        std::vector<UserKey> users;
        if (const auto *explicitUsers = std::get_if<std::vector<UserKey>>(&request.users)) {
            QSet<QString> seen;
            for (const UserKey &user : *explicitUsers)
                if (!seen.contains(user.toString())) {
                    seen.insert(user.toString());
                    users.push_back(user);
                }
        } else {
            users = retryableUsers(c, std::get<FailureFilter>(request.users));
        }

        RetryReport report;
        report.total = qint64(users.size());
        // Batches hold users of one portal, in the order given.
        QMap<QString, std::vector<qint64>> byPortal;
        QStringList portals;
        for (const UserKey &user : users) {
            if (!byPortal.contains(user.portal))
                portals << user.portal;
            byPortal[user.portal].push_back(user.userId);
        }
        RetryProgress progress{report.total, 0, 0};
        if (control.onProgress)
            control.onProgress(progress);
        for (const QString &portal : std::as_const(portals)) {
            const std::vector<qint64> &ids = byPortal[portal];
            for (size_t start = 0; start < ids.size(); start += size_t(request.batchSize)) {
                if (control.cancelled()) {
                    report.cancelled = true;
                    return report;
                }
                const size_t end = std::min(ids.size(), start + size_t(request.batchSize));
                retryBatch(c, portal, std::vector<qint64>(ids.begin() + qsizetype(start),
                                                          ids.begin() + qsizetype(end)),
                           request, report);
                progress.processed += qint64(end - start);
                progress.moved = report.moved;
                if (control.onProgress)
                    control.onProgress(progress);
            }
        }
        return report;
    });
}

// ---- queue settings ----------------------------------------------------------------------------

Result<QueueState> SqlMergeStore::updateQueue(const QueueChange &change)
{
    return run<QueueState>(Need::CurrentSchema, [&](sql::Connection &c) {
        requireReason(change.reason);
        auto invalid = [](const QString &why) {
            return StoreError::make(StoreError::Kind::InvalidInput, why);
        };
        if (change.parallelism && *change.parallelism < 0)
            throw invalid(QStringLiteral("Parallelism must be 0 or more (0 stops new claims)."));
        if (change.runEveryMs && *change.runEveryMs <= 0)
            throw invalid(QStringLiteral("The run frequency must be at least 1 ms."));
        if (change.maxAttempts && *change.maxAttempts <= 0)
            throw invalid(QStringLiteral("Max attempts must be at least 1."));
        const QString target = QStringLiteral("queue:") + change.queue;

        // Two round trips: BEGIN with the locked read, then the change, its audit entry, the
        // queue as it is now and COMMIT. The row stays locked in between, so the version
        // checked here is the one the UPDATE changes.
        return sql::inTransaction(c, [&] {
            const QueueState before =
                queueOf(c.batch({queueStatement(change.queue, true)}).at(0), change.queue);
            if (change.expectVersion && *change.expectVersion != before.version)
                throw StoreError::make(
                    StoreError::Kind::Conflict,
                    QStringLiteral("Queue '%1' was changed by someone else since you loaded it "
                                   "(version %2, now %3); %4. Nothing was changed: review and "
                                   "apply again.")
                        .arg(change.queue, QString::number(*change.expectVersion),
                             QString::number(before.version),
                             lastChangeOf(c, QStringLiteral("set_queue"), target)));
            QueueState after = before;
            QJsonObject was, now;
            auto stage = [&](const QString &key, auto current, auto wanted, auto &field) {
                if (wanted && *wanted != current) {
                    was.insert(key, current);
                    now.insert(key, *wanted);
                    field = *wanted;
                }
            };
            stage(QStringLiteral("parallelism"), before.parallelism, change.parallelism,
                  after.parallelism);
            stage(QStringLiteral("run_every_ms"), before.runEveryMs, change.runEveryMs,
                  after.runEveryMs);
            stage(QStringLiteral("max_attempts"), before.maxAttempts, change.maxAttempts,
                  after.maxAttempts);
            stage(QStringLiteral("paused"), before.paused, change.paused, after.paused);
            if (now.isEmpty())
                throw StoreError::make(StoreError::Kind::NothingToChange,
                                       QStringLiteral("Queue '%1' already has these settings; "
                                                      "nothing to change.")
                                           .arg(change.queue));

            const QString by = changedBy(change.by);
            const std::vector<sql::Rows> answers = c.commitWith({
                {QStringLiteral("UPDATE queues SET parallelism = $1, run_every_ms = $2, "
                                "max_attempts = $3, paused = $4, version = version + 1, "
                                "updated_at = CURRENT_TIMESTAMP(3), updated_by = $5 "
                                "WHERE name = $6 AND version = $7"),
                 {after.parallelism, after.runEveryMs, after.maxAttempts, after.paused, by,
                  change.queue, before.version}},
                auditStatement(change.by, QStringLiteral("set_queue"), target, compactJson(was),
                               compactJson(now), change.reason),
                queueStatement(change.queue, false),
            });
            return queueOf(answers.at(2), change.queue);
        });
    });
}

// ---- rollout -----------------------------------------------------------------------------------

RolloutFlag SqlMergeStore::readRollout(sql::Connection &c, const QString &flag,
                                       const QString &portal, bool forUpdate)
{
    const sql::Rows rows = c.query(
        QStringLiteral("SELECT percentage, version, {ms:updated_at}, updated_by FROM "
                       "rollout_flags WHERE flag = $1 AND portal = $2%1")
            .arg(forUpdate ? QStringLiteral(" FOR UPDATE") : QString()),
        {flag, portal});
    if (rows.empty())
        throw StoreError::make(StoreError::Kind::NotFound,
                               QStringLiteral("There is no rollout flag '%1' for portal '%2'.")
                                   .arg(flag, portal));
    return RolloutFlag{flag, portal, int(std::llround(rows.text(0, 0).toDouble() * 100.0)),
                       rows.int64(0, 1), rows.optionalInt64(0, 2), rows.text(0, 3)};
}

Result<RolloutFlag> SqlMergeStore::setRollout(const RolloutChange &change)
{
    return run<RolloutFlag>(Need::CurrentSchema, [&](sql::Connection &c) {
        requireReason(change.reason);
        if (change.basisPoints < 0 || change.basisPoints > 10'000)
            throw StoreError::make(StoreError::Kind::InvalidInput,
                                   QStringLiteral("A rollout percentage lies between 0 and 100."));
        const QString target = QStringLiteral("rollout:%1:%2").arg(change.flag, change.portal);
        return sql::inTransaction(c, [&] {
            const RolloutFlag before = readRollout(c, change.flag, change.portal, true);
            if (change.expectVersion && *change.expectVersion != before.version)
                throw StoreError::make(
                    StoreError::Kind::Conflict,
                    QStringLiteral("Rollout '%1' on %2 was changed by someone else since you "
                                   "loaded it (version %3, now %4); %5. Nothing was changed: "
                                   "review and apply again.")
                        .arg(change.flag, change.portal, QString::number(*change.expectVersion),
                             QString::number(before.version),
                             lastChangeOf(c, QStringLiteral("set_rollout"), target)));
            if (before.basisPoints == change.basisPoints)
                throw StoreError::make(StoreError::Kind::NothingToChange,
                                       QStringLiteral("Rollout '%1' on %2 is already at %3 %; "
                                                      "nothing to change.")
                                           .arg(change.flag, change.portal,
                                                percentText(change.basisPoints)));
            const QString by = changedBy(change.by);
            const qint64 changed = c.exec(
                QStringLiteral("UPDATE rollout_flags SET percentage = $1, version = version + 1, "
                               "updated_at = CURRENT_TIMESTAMP(3), updated_by = $2 WHERE "
                               "flag = $3 AND portal = $4 AND version = $5"),
                {percentText(change.basisPoints), by, change.flag, change.portal,
                 before.version});
            if (changed != 1)
                throw StoreError::make(StoreError::Kind::Conflict,
                                       QStringLiteral("Rollout '%1' on %2 changed while "
                                                      "applying; nothing was changed.")
                                           .arg(change.flag, change.portal));
            writeAudit(c, change.by, QStringLiteral("set_rollout"), target,
                       compactJson({{QStringLiteral("percentage"), percentText(before.basisPoints)}}),
                       compactJson({{QStringLiteral("percentage"), percentText(change.basisPoints)}}),
                       change.reason);
            return readRollout(c, change.flag, change.portal, false);
        });
    });
}

} // namespace mc
