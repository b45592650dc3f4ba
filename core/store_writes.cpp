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

// Lowers the open counts of the error groups by the open failed records of the users in `in`
// (portal $1), before their retry makes those records count as retried.
QString unresolvedDecrementSql(sql::Backend backend, const QString &in)
{
    const QString open = QStringLiteral(
        "SELECT f.fingerprint, f.model_id, COUNT(*) AS n FROM failed_records f WHERE "
        "f.source_portal = $1 AND f.source_user_id IN (%1) AND %2 GROUP BY f.fingerprint, "
        "f.model_id")
                             .arg(in, openFailureCondition());
    if (backend == sql::Backend::PostgreSQL)
        return QStringLiteral("UPDATE error_groups g SET unresolved = g.unresolved - d.n FROM "
                              "(%1) d WHERE g.fingerprint = d.fingerprint AND g.model_id = "
                              "d.model_id")
            .arg(open);
    return QStringLiteral("UPDATE error_groups g JOIN (%1) d ON g.fingerprint = d.fingerprint "
                          "AND g.model_id = d.model_id SET g.unresolved = g.unresolved - d.n")
        .arg(open);
}

// MariaDB's row triggers on user_migrations (status) and queue_jobs (insert) leave the
// counters to the statement's caller while @mc_counted_by_statement is set; a retry batch sets
// and clears it in its own writes. clear() is for the ways out that skip the clearing.
struct StatementCounting
{
    static void clear(sql::Connection &c) noexcept
    {
        try {
            c.exec(QStringLiteral("SET @mc_counted_by_statement = NULL"));
        } catch (const sql::DbError &) {
            // The connection broke: the session and its variable are gone with it.
        }
    }
};

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

void SqlMergeStore::retryBatch(sql::Connection &c, const QString &portal,
                               const std::vector<qint64> &ids, const RetryRequest &request,
                               RetryReport &report)
{
    QList<UserOutcome> outcomes;
    // Two round trips a batch: BEGIN with the locked read of the users, then every write, its
    // audit entry and COMMIT. The users stay locked in between, so those found failed are the
    // ones the UPDATE moves.
    const bool countHere = c.backend() == sql::Backend::MariaDB;
    QVariantList params{portal};
    const QString in = bindList(params, ids); // batches go as text: no padding to one length
    // Jobs of these users pending in the serialize queue (MariaDB counts the new ones itself).
    const QString pendingJobsSql = QStringLiteral(
        "SELECT COUNT(*) FROM queue_jobs WHERE source_portal = $1 AND source_user_id IN (%1) "
        "AND queue_name = 'serialize' AND model_id = 0 AND state = 'pending'")
                                       .arg(in);
    const qint64 moved = sql::inTransaction(c, [&] {
        outcomes.clear();
        std::vector<sql::Statement> reads{
            {QStringLiteral("SELECT source_user_id, status FROM user_migrations WHERE "
                            "source_portal = $1 AND source_user_id IN (%1) FOR UPDATE")
                 .arg(in),
             params}};
        if (countHere)
            reads.push_back({pendingJobsSql, params});
        const std::vector<sql::Rows> answers = c.batch(reads);
        const sql::Rows &rows = answers.at(0);
        QMap<qint64, UserStatus> found;
        for (int r = 0; r < rows.size(); ++r)
            found.insert(rows.int64(r, 0),
                         statusFromName(rows.text(r, 1)).value_or(UserStatus::Nil));

        QJsonArray movedUsers;
        for (qint64 id : ids) {
            UserOutcome outcome{UserKey{portal, id}, UserOutcome::Kind::NotFound,
                                UserStatus::Nil};
            if (auto it = found.constFind(id); it != found.constEnd()) {
                outcome.statusBefore = *it;
                outcome.kind = *it == UserStatus::Failed ? UserOutcome::Kind::Moved
                                                         : UserOutcome::Kind::NotFailed;
            }
            if (outcome.kind == UserOutcome::Kind::Moved)
                movedUsers.append(outcome.user.toString());
            outcomes.append(outcome);
        }
        if (movedUsers.isEmpty())
            return qint64(0);

        // Only the users found failed (and locked above) are touched from here on. The order
        // follows the workers' lock order (docs/SCHEMA.md): failed records and their error
        // groups, then jobs and queue counts, then the users' status counters.
        std::vector<qint64> movedIds;
        for (const UserOutcome &outcome : std::as_const(outcomes))
            if (outcome.kind == UserOutcome::Kind::Moved)
                movedIds.push_back(outcome.user.userId);
        QVariantList movedParams{portal};
        const QString movedIn = bindList(movedParams, movedIds);
        const qint64 changed = movedUsers.size(); // locked above: the UPDATE moves exactly these

        std::vector<sql::Statement> writes;
        // On MariaDB the counters' row triggers would run twice per user; this batch keeps the
        // queue and status counters itself, in the same transaction (the session variable
        // tells the triggers so, cleared again at the end). PostgreSQL's statement triggers
        // count them once per statement.
        if (countHere)
            writes.push_back({QStringLiteral("SET @mc_counted_by_statement = 1")});
        else
            writes.push_back({QStringLiteral("SET LOCAL mc.counted_by_statement = 'on'")});
        // The users' open failed records now count as retried (their retry_count falls below
        // the users'), without rewriting them: only the error groups' open counts change here,
        // once for the batch. The retry_count triggers, which do it per user for other
        // writers, leave this transaction alone (docs/SCHEMA.md, "Counters").
        writes.push_back({unresolvedDecrementSql(c.backend(), movedIn), movedParams});
        // Moving a user to pending enqueues its job in the serialize queue, once.
        const QString ignoreDuplicate = c.backend() == sql::Backend::PostgreSQL
            ? QStringLiteral(" ON CONFLICT DO NOTHING")
            : QStringLiteral(" ON DUPLICATE KEY UPDATE attempts = queue_jobs.attempts");
        writes.push_back(
            {QStringLiteral("INSERT INTO queue_jobs (queue_name, source_portal, source_user_id) "
                            "SELECT 'serialize', u.source_portal, u.source_user_id FROM "
                            "user_migrations u WHERE u.source_portal = $1 AND "
                            "u.source_user_id IN (%1) AND EXISTS (SELECT 1 FROM queues q "
                            "WHERE q.name = 'serialize')%2")
                 .arg(movedIn, ignoreDuplicate),
             movedParams});
        writes.push_back(
            {QStringLiteral("UPDATE user_migrations SET status = 'pending', phase = 'serialize', "
                            "finished_at = NULL, updated_at = CURRENT_TIMESTAMP(3), "
                            "retry_count = retry_count + 1, retried_at = CURRENT_TIMESTAMP(3), "
                            "retried_by = $%2 WHERE source_portal = $1 AND source_user_id IN (%1) "
                            "AND status = 'failed'")
                 .arg(movedIn)
                 .arg(movedParams.size() + 1),
             QVariantList(movedParams) << changedBy(request.by)});
        if (countHere) {
            // The jobs this batch added: pending now (the same subquery) minus before.
            writes.push_back(
                {QStringLiteral("INSERT INTO queue_counts (queue_name, stripe, pending, running) "
                                "VALUES ('serialize', %1, (%2) - $%3, 0) ON DUPLICATE KEY "
                                "UPDATE pending = pending + VALUES(pending)")
                     .arg(counters::stripeExpression(), pendingJobsSql)
                     .arg(params.size() + 1),
                 QVariantList(params) << answers.at(1).int64(0, 0)});
            writes.push_back(
                {QStringLiteral("INSERT INTO user_status_counts (source_portal, status, stripe, "
                                "users) VALUES ($1, 'failed', %1, $2), ($1, 'pending', %1, $3) "
                                "ON DUPLICATE KEY UPDATE users = users + VALUES(users)")
                     .arg(counters::stripeExpression()),
                 {portal, -changed, changed}});
            writes.push_back({QStringLiteral("SET @mc_counted_by_statement = NULL")});
        }
        writes.push_back(auditStatement(
            request.by, QStringLiteral("retry_users"),
            QStringLiteral("%1: %2 users").arg(portal, QString::number(movedUsers.size())),
            compactJson({{QStringLiteral("status"), QStringLiteral("failed")}}),
            compactJson({{QStringLiteral("status"), QStringLiteral("pending")},
                         {QStringLiteral("users"), movedUsers}}),
            request.reason));
        try {
            c.commitWith(writes);
        } catch (...) {
            if (countHere) // no later statement on this connection may go uncounted
                StatementCounting::clear(c);
            throw;
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
