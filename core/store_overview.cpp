// SqlMergeStore: the overview, queue settings, throughput charts and migration times. Overview
// figures come from the counter tables the triggers keep current; one refresh is one batch.

#include "counters.h"
#include "sql_merge_store_run.h"
#include "sql_params.h"

#include <QHash>

namespace mc {

namespace {

constexpr int kBaseBucketMs = 10'000;

std::optional<EpochMs> optionalMs(const sql::Rows &rows, int r, int c)
{
    return rows.optionalInt64(r, c);
}

int basisPointsFromText(const QString &percentage)
{
    return int(std::llround(percentage.toDouble() * 100.0));
}

// Queue settings with their pending and running jobs (the counter rows summed); queueFrom()
// reads the columns in this order.
QString queueSql(const QString &where)
{
    return QStringLiteral(
               "SELECT q.name, q.parallelism, q.run_every_ms, q.max_attempts, q.paused, q.version, "
               "{ms:q.updated_at}, q.updated_by, "
               "(SELECT SUM(c.pending) FROM queue_counts c WHERE c.queue_name = q.name), "
               "(SELECT SUM(c.running) FROM queue_counts c WHERE c.queue_name = q.name) "
               "FROM queues q%1")
        .arg(where);
}

QueueState queueFrom(const sql::Rows &rows, int r)
{
    QueueState queue;
    queue.name = rows.text(r, 0);
    queue.parallelism = rows.int32(r, 1);
    queue.runEveryMs = rows.int32(r, 2);
    queue.maxAttempts = rows.int32(r, 3);
    queue.paused = rows.boolean(r, 4);
    queue.version = rows.int64(r, 5);
    queue.updatedAt = rows.optionalInt64(r, 6);
    queue.updatedBy = rows.text(r, 7);
    if (!rows.isNull(r, 8)) {
        queue.depth = rows.int64(r, 8);
        queue.inProgress = rows.int64(r, 9);
    }
    return queue;
}

// The throughput query over buckets of `width` ms (a bound parameter) between two timestamp
// expressions; throughputPoints() reads its rows.
QString throughputSql(const QString &from, const QString &until, const QString &width)
{
    return QStringLiteral(
               "SELECT {ms:s.bucket_start} - MOD({ms:s.bucket_start}, %3) AS b, "
               "COALESCE(m.name, '') AS model, s.queue_name, SUM(s.records_created), "
               "SUM(s.records_failed), SUM(s.users_started), SUM(s.users_completed), "
               "SUM(s.users_failed), MAX(s.queue_depth), MAX(s.jobs_in_progress) "
               "FROM throughput_samples s LEFT JOIN models m ON m.id = s.model_id "
               "WHERE s.bucket_start >= %1 AND s.bucket_start < %2 "
               "GROUP BY b, m.name, s.queue_name ORDER BY b, model, s.queue_name")
        .arg(from, until, width);
}

QList<ThroughputPoint> throughputPoints(const sql::Rows &rows)
{
    QList<ThroughputPoint> points;
    points.reserve(rows.size());
    for (int r = 0; r < rows.size(); ++r)
        points.append({rows.int64(r, 0), rows.text(r, 1), rows.text(r, 2), rows.int64(r, 3),
                       rows.int64(r, 4), rows.int64(r, 5), rows.int64(r, 6), rows.int64(r, 7),
                       rows.int64(r, 8), rows.int64(r, 9)});
    return points;
}

} // namespace

Result<OverviewSnapshot> SqlMergeStore::overview(const OverviewRequest &request)
{
    return run<OverviewSnapshot>(Need::CurrentSchema, [&](sql::Connection &c) {
        // One batch, one round trip: a remote console refreshes every 2 s (issue 18).
        std::vector<sql::Statement> batch{
            {QStringLiteral("SELECT {ms:CURRENT_TIMESTAMP(3)}")},
            {QStringLiteral("SELECT status, SUM(users) FROM user_status_counts GROUP BY status")},
            {QStringLiteral(
                 "SELECT m.id, m.name, m.migration_order, COALESCE(t.users, 0), "
                 "COALESCE(t.records_total, 0), COALESCE(t.serialized, 0), "
                 "COALESCE(t.created, 0), COALESCE(t.failed, 0) FROM models m LEFT JOIN (%1) t "
                 "ON t.model_id = m.id ORDER BY m.migration_order, m.id")
                 .arg(counters::modelTotalsSql())},
            {queueSql(QStringLiteral(" ORDER BY q.name"))},
            {QStringLiteral("SELECT flag, portal, percentage, version, {ms:updated_at}, "
                            "updated_by FROM rollout_flags ORDER BY flag, portal")},
        };
        if (request.latestBuckets > 0) {
            // The latest buckets up to the newest sample, whatever its time: the newest bucket
            // found by the same statement (a scalar subquery on the bucket_start index).
            const QString newest = QStringLiteral(
                "(SELECT {ms:MAX(t.bucket_start)} FROM throughput_samples t)");
            batch.push_back(
                {throughputSql(QStringLiteral("{ts:%1 - $1}").arg(newest),
                               QStringLiteral("{ts:%1 + $2}").arg(newest), QStringLiteral("$2")),
                 {qint64(request.latestBuckets - 1) * kBaseBucketMs, qint64(kBaseBucketMs)}});
        }
        const std::vector<sql::Rows> answers = c.batch(batch);

        OverviewSnapshot snapshot;
        snapshot.takenAt = answers[0].int64(0, 0);

        const sql::Rows &statuses = answers[1];
        QHash<QString, qint64> byStatus;
        for (int r = 0; r < statuses.size(); ++r)
            byStatus.insert(statuses.text(r, 0), statuses.int64(r, 1));
        for (UserStatus status : kAllUserStatuses)
            snapshot.usersByStatus.append({status, byStatus.value(statusName(status))});

        const sql::Rows &models = answers[2];
        for (int r = 0; r < models.size(); ++r)
            snapshot.models.append({models.int32(r, 0), models.text(r, 1), models.int32(r, 2),
                                    models.int64(r, 3), models.int64(r, 4), models.int64(r, 5),
                                    models.int64(r, 6), models.int64(r, 7)});

        for (int r = 0; r < answers[3].size(); ++r)
            snapshot.queues.append(queueFrom(answers[3], r));

        const sql::Rows &rollout = answers[4];
        for (int r = 0; r < rollout.size(); ++r)
            snapshot.rollout.append({rollout.text(r, 0), rollout.text(r, 1),
                                     basisPointsFromText(rollout.text(r, 2)),
                                     rollout.int64(r, 3), optionalMs(rollout, r, 4),
                                     rollout.text(r, 5)});
        if (answers.size() > 5)
            snapshot.latestThroughput = throughputPoints(answers[5]);
        return snapshot;
    });
}

sql::Statement SqlMergeStore::queueStatement(const QString &name, bool forUpdate)
{
    return {queueSql(QStringLiteral(" WHERE q.name = $1%1")
                         .arg(forUpdate ? QStringLiteral(" FOR UPDATE") : QString())),
            {name}};
}

QueueState SqlMergeStore::queueOf(const sql::Rows &rows, const QString &name)
{
    if (rows.empty())
        throw StoreError::make(StoreError::Kind::NotFound,
                               QStringLiteral("There is no queue named '%1'.").arg(name));
    return queueFrom(rows, 0);
}

QueueState SqlMergeStore::readQueue(sql::Connection &c, const QString &name, bool forUpdate)
{
    const sql::Statement statement = queueStatement(name, forUpdate);
    return queueOf(c.query(statement.sql, statement.params), name);
}

Result<ThroughputSeries> SqlMergeStore::throughput(const ThroughputQuery &query)
{
    if (query.resolutionSeconds <= 0 || (query.resolutionSeconds * 1000) % kBaseBucketMs != 0)
        return StoreError::make(StoreError::Kind::InvalidInput,
                                QStringLiteral("The resolution must be a positive multiple of "
                                               "%1 seconds.")
                                    .arg(kBaseBucketMs / 1000));
    if (query.until <= query.from)
        return StoreError::make(StoreError::Kind::InvalidInput,
                                QStringLiteral("The time range is empty."));
    return run<ThroughputSeries>(Need::CurrentSchema, [&](sql::Connection &c) {
        QVariantList params;
        const QString from = bind(params, query.from);
        const QString until = bind(params, query.until);
        const QString width = bind(params, qint64(query.resolutionSeconds) * 1000);
        const sql::Rows rows = c.query(
            throughputSql(QStringLiteral("{ts:%1}").arg(from), QStringLiteral("{ts:%1}").arg(until),
                          width),
            params);
        ThroughputSeries series;
        series.query = query;
        series.points = throughputPoints(rows);
        return series;
    });
}

Result<MigrationTimes> SqlMergeStore::migrationTimes(EpochMs from, EpochMs until)
{
    if (until <= from)
        return StoreError::make(StoreError::Kind::InvalidInput,
                                QStringLiteral("The time range is empty."));
    return run<MigrationTimes>(Need::CurrentSchema, [&](sql::Connection &c) {
        const QString durations = QStringLiteral(
            "SELECT {ms:finished_at} - {ms:started_at} AS d FROM user_migrations WHERE "
            "status = 'completed' AND finished_at >= {ts:$1} AND finished_at < {ts:$2} AND "
            "started_at IS NOT NULL");
        // percentile_disc: the smallest duration with at least p of the users at or below it.
        // PostgreSQL has it as an aggregate, MariaDB as a window function.
        const QString sql = c.backend() == sql::Backend::PostgreSQL
            ? QStringLiteral("SELECT COUNT(*), percentile_disc(0.5) WITHIN GROUP (ORDER BY d), "
                             "percentile_disc(0.95) WITHIN GROUP (ORDER BY d), "
                             "percentile_disc(0.99) WITHIN GROUP (ORDER BY d) FROM (%1) x")
                  .arg(durations)
            : QStringLiteral("SELECT COUNT(*) OVER (), "
                             "PERCENTILE_DISC(0.5) WITHIN GROUP (ORDER BY d) OVER (), "
                             "PERCENTILE_DISC(0.95) WITHIN GROUP (ORDER BY d) OVER (), "
                             "PERCENTILE_DISC(0.99) WITHIN GROUP (ORDER BY d) OVER () "
                             "FROM (%1) x LIMIT 1")
                  .arg(durations);
        const sql::Rows rows = c.query(sql, {from, until});
        MigrationTimes times;
        if (rows.empty())
            return times;
        times.users = rows.int64(0, 0);
        times.p50Ms = rows.optionalInt64(0, 1);
        times.p95Ms = rows.optionalInt64(0, 2);
        times.p99Ms = rows.optionalInt64(0, 3);
        return times;
    });
}

} // namespace mc
