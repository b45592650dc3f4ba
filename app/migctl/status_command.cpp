#include "status_command.h"

#include "json_views.h"
#include "settings_tables.h"
#include "table.h"
#include "text_format.h"
#include "throughput_summary.h"
#include "value_parsers.h"

#include <QJsonArray>

namespace mc::cli {

namespace {

// Failed among the users that finished: failed / (completed + failed); absent when none did.
std::optional<double> failureRate(const OverviewSnapshot &overview)
{
    const qint64 failed = overview.users(UserStatus::Failed);
    const qint64 finished = failed + overview.users(UserStatus::Completed);
    if (finished == 0)
        return std::nullopt;
    return double(failed) / double(finished);
}

QString percentOf(qint64 part, qint64 whole)
{
    return whole > 0 ? QStringLiteral("%1 %").arg(double(part) * 100.0 / double(whole), 0, 'f', 1)
                     : QStringLiteral("-");
}

QJsonObject statusJson(const OverviewSnapshot &overview, const ThroughputSummary &summary,
                       const ServerInfo &server)
{
    QJsonObject users;
    for (const StatusCount &count : overview.usersByStatus)
        users.insert(statusName(count.status), jsonNumber(count.users));
    users.insert(QStringLiteral("total"), jsonNumber(overview.totalUsers()));
    const std::optional<double> rate = failureRate(overview);

    QJsonArray models, queues, rollout, buckets, points;
    for (const ModelProgress &model : overview.models)
        models.append(toJson(model));
    for (const QueueState &queue : overview.queues)
        queues.append(toJson(queue));
    for (const RolloutFlag &flag : overview.rollout)
        rollout.append(toJson(flag));
    for (const BucketTotals &bucket : summary.buckets)
        buckets.append(QJsonObject{
            {QStringLiteral("bucket_start"), isoTime(bucket.bucketStart)},
            {QStringLiteral("users_started"), jsonNumber(bucket.usersStarted)},
            {QStringLiteral("users_completed"), jsonNumber(bucket.usersCompleted)},
            {QStringLiteral("users_failed"), jsonNumber(bucket.usersFailed)},
            {QStringLiteral("records_created"), jsonNumber(bucket.recordsCreated)},
            {QStringLiteral("records_failed"), jsonNumber(bucket.recordsFailed)},
            {QStringLiteral("queue_depth"), jsonNumber(bucket.queueDepth)}});
    for (const ThroughputPoint &point : overview.latestThroughput)
        points.append(toJson(point));

    const QJsonValue null(QJsonValue::Null);
    return {
        {QStringLiteral("taken_at"), isoTime(overview.takenAt)},
        {QStringLiteral("tls"), QJsonObject{{QStringLiteral("enabled"), server.tls.enabled},
                                            {QStringLiteral("verified"), server.tls.verified}}},
        {QStringLiteral("users"), users},
        {QStringLiteral("failure_rate"), rate ? QJsonValue(*rate) : null},
        {QStringLiteral("models"), models},
        {QStringLiteral("queues"), queues},
        {QStringLiteral("rollout"), rollout},
        {QStringLiteral("throughput"),
         QJsonObject{{QStringLiteral("bucket_seconds"), ThroughputSummary::kBucketSeconds},
                     {QStringLiteral("latest_bucket"), jsonTime(summary.latestBucket)},
                     {QStringLiteral("stale"), summary.stale},
                     {QStringLiteral("users_completed_per_minute"),
                      summary.usersCompletedPerMinute},
                     {QStringLiteral("buckets"), buckets},
                     {QStringLiteral("points"), points}}},
        {QStringLiteral("eta"),
         QJsonObject{{QStringLiteral("backlog_users"), jsonNumber(summary.backlogUsers)},
                     {QStringLiteral("seconds"),
                      summary.etaSeconds ? QJsonValue(*summary.etaSeconds) : null}}},
    };
}

void printUsers(Output &out, const OverviewSnapshot &overview)
{
    Table table({QStringLiteral("STATUS"), QStringLiteral("USERS"), QStringLiteral("SHARE")});
    table.alignRight({1, 2});
    const qint64 total = overview.totalUsers();
    for (const StatusCount &count : overview.usersByStatus)
        table.addRow({statusName(count.status), thousands(count.users),
                      percentOf(count.users, total)});
    table.addRow({QStringLiteral("total"), thousands(total), QString()});
    out.line(QStringLiteral("Users (at %1)").arg(shortTime(overview.takenAt)));
    out.print(table.render());
    const std::optional<double> rate = failureRate(overview);
    out.line(rate ? QStringLiteral("Failure rate: %1 % of finished users (failed / (completed + "
                                   "failed))")
                        .arg(*rate * 100.0, 0, 'f', 2)
                  : QStringLiteral("Failure rate: - (no user has finished yet)"));
}

void printModels(Output &out, const OverviewSnapshot &overview)
{
    Table table({QStringLiteral("ORDER"), QStringLiteral("MODEL"), QStringLiteral("USERS"),
                 QStringLiteral("TOTAL"), QStringLiteral("SERIALISED"), QStringLiteral("CREATED"),
                 QStringLiteral("FAILED"), QStringLiteral("DONE")});
    table.alignRight({0, 2, 3, 4, 5, 6, 7});
    for (const ModelProgress &m : overview.models)
        table.addRow({QString::number(m.migrationOrder), m.model, thousands(m.users),
                      thousands(m.recordsTotal), thousands(m.serialized), thousands(m.created),
                      thousands(m.failed), percentOf(m.created, m.recordsTotal)});
    out.line();
    out.line(QStringLiteral("Models (done = created / total)"));
    out.print(table.render());
}

void printThroughput(Output &out, const ThroughputSummary &summary)
{
    out.line();
    out.line(QStringLiteral("Throughput (latest %1 s buckets)").arg(ThroughputSummary::kBucketSeconds));
    if (summary.buckets.isEmpty()) {
        out.line(QStringLiteral("no throughput samples yet"));
    } else {
        Table table({QStringLiteral("BUCKET"), QStringLiteral("USERS STARTED"),
                     QStringLiteral("COMPLETED"), QStringLiteral("FAILED"),
                     QStringLiteral("RECORDS CREATED"), QStringLiteral("RECORDS FAILED"),
                     QStringLiteral("QUEUE DEPTH")});
        table.alignRight({1, 2, 3, 4, 5, 6});
        for (const BucketTotals &b : summary.buckets)
            table.addRow({shortTime(b.bucketStart), thousands(b.usersStarted),
                          thousands(b.usersCompleted), thousands(b.usersFailed),
                          thousands(b.recordsCreated), thousands(b.recordsFailed),
                          thousands(b.queueDepth)});
        out.print(table.render());
    }
    out.line(QStringLiteral("Users completed per minute: %1%2")
                 .arg(summary.usersCompletedPerMinute, 0, 'f', 1)
                 .arg(summary.stale ? QStringLiteral(" (no samples in the last 2 minutes)")
                                    : QString()));
    out.line(QStringLiteral("ETA: %1 users in the backlog (pending + in progress), %2")
                 .arg(thousands(summary.backlogUsers))
                 .arg(summary.etaSeconds ? QStringLiteral("about ") + duration(*summary.etaSeconds)
                                         : QStringLiteral("unknown (no users completing now)")));
}

} // namespace

ExitCode StatusCommand::run()
{
    const ParsedArguments &args = m_context.args();
    args.allowOnly(QStringLiteral("status"), {QStringLiteral("json")});
    args.expectPositionals(QStringLiteral("status"), 1, 1);

    const OverviewSnapshot overview =
        take(m_context.store().overview(OverviewRequest{ThroughputSummary::kBuckets}));
    const ThroughputSummary summary = ThroughputSummary::from(overview);
    const ServerInfo server = take(m_context.store().serverInfo());
    Output &out = m_context.out();
    if (m_context.json()) {
        out.json(statusJson(overview, summary, server));
        return ExitCode::Ok;
    }
    out.line(QStringLiteral("Connection: %1 %2, TLS %3")
                 .arg(server.backend, server.database, tlsDescription(server.tls)));
    printUsers(out, overview);
    printModels(out, overview);
    out.line();
    out.line(QStringLiteral("Queues"));
    out.print(queueTable(overview.queues));
    out.line();
    out.line(QStringLiteral("Rollout"));
    out.print(rolloutTable(overview.rollout));
    printThroughput(out, summary);
    return ExitCode::Ok;
}

} // namespace mc::cli
