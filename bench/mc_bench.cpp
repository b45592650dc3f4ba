// mc-bench: times the console's store calls on a seeded merge database beside the same SQL run
// by the database's own client, and prints both with their ratio and the budget.
//
//   mc-bench --db URL [--repeat 15] [--label 10k] [--json FILE] [--retry-users 100000]
//            [--insert-records 2000] [--only-search] [--only-overview]
//
// The retry is measured last and once: it moves users for real.

#include "alert_evaluator.h"
#include "connection_url.h"
#include "counters.h"
#include "fleet_writer.h"
#include "merge_store.h"
#include "bench_support.h"
#include "raw_client.h"
#include "search_bench.h"
#include "sql/sql_connection.h"
#include "sql_merge_store.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <algorithm>
#include <cstdio>
#include <functional>

using namespace mc;
using namespace mc::bench;

namespace {

// The SQL the store runs for one failures page, from the store's own query builder.
RawStatement failurePageStatement(sql::Backend backend, const FailureFilter &filter,
                                  const std::optional<FailureCursor> &after, int pageSize)
{
    RawStatement statement;
    statement.sql = failurePageSql(filter, backend, {}, after, pageSize + 1, statement.params);
    return statement;
}

std::vector<RawStatement> overviewSql(const OverviewSnapshot &snapshot)
{
    std::vector<RawStatement> statements{
        {QStringLiteral("SELECT {ms:CURRENT_TIMESTAMP(3)}"), {}},
        {QStringLiteral("SELECT status, SUM(users) FROM user_status_counts GROUP BY status"), {}},
        {QStringLiteral("SELECT m.id, m.name, m.migration_order, COALESCE(t.users, 0), "
                        "COALESCE(t.records_total, 0), COALESCE(t.serialized, 0), "
                        "COALESCE(t.created, 0), COALESCE(t.failed, 0) FROM models m LEFT JOIN "
                        "(%1) t ON t.model_id = m.id ORDER BY m.migration_order, m.id")
             .arg(counters::modelTotalsSql()),
         {}},
        {QStringLiteral("SELECT name FROM queues ORDER BY name"), {}},
    };
    for (const QueueState &queue : snapshot.queues) {
        statements.push_back({QStringLiteral("SELECT q.name, q.parallelism, q.run_every_ms, "
                                             "q.max_attempts, q.paused, q.version, "
                                             "{ms:q.updated_at}, q.updated_by FROM queues q "
                                             "WHERE q.name = $1"),
                              {queue.name}});
        statements.push_back({QStringLiteral("SELECT SUM(pending), SUM(running) FROM "
                                             "queue_counts WHERE queue_name = $1"),
                              {queue.name}});
    }
    statements.push_back({QStringLiteral("SELECT flag, portal, percentage, version, "
                                         "{ms:updated_at}, updated_by FROM rollout_flags ORDER BY "
                                         "flag, portal"),
                          {}});
    statements.push_back(
        {QStringLiteral("SELECT {ms:MAX(bucket_start)} FROM throughput_samples"), {}});
    if (!snapshot.latestThroughput.isEmpty()) {
        const qint64 until = snapshot.latestThroughput.last().bucketStart + 10'000;
        statements.push_back(
            {QStringLiteral("SELECT {ms:s.bucket_start} - MOD({ms:s.bucket_start}, $3) AS b, "
                            "COALESCE(m.name, '') AS model, s.queue_name, SUM(s.records_created), "
                            "SUM(s.records_failed), SUM(s.users_started), SUM(s.users_completed), "
                            "SUM(s.users_failed), MAX(s.queue_depth), MAX(s.jobs_in_progress) FROM "
                            "throughput_samples s LEFT JOIN models m ON m.id = s.model_id WHERE "
                            "s.bucket_start >= {ts:$1} AND s.bucket_start < {ts:$2} GROUP BY b, "
                            "m.name, s.queue_name ORDER BY b, model, s.queue_name"),
             {until - 60'000, until, 10'000}});
    }
    return statements;
}

std::vector<RawStatement> dossierSql(const UserKey &user)
{
    const QVariantList key{user.portal, user.userId};
    return {
        {QStringLiteral("SELECT target_user_id, status, phase, attempts, {ms:requested_at}, "
                        "{ms:started_at}, {ms:finished_at}, {ms:updated_at}, last_error FROM "
                        "user_migrations WHERE source_portal = $1 AND source_user_id = $2"),
         key},
        {QStringLiteral("SELECT m.id, m.name, m.migration_order, p.records_total, p.serialized, "
                        "p.created, p.failed FROM model_progress p JOIN models m ON m.id = "
                        "p.model_id WHERE p.source_portal = $1 AND p.source_user_id = $2 ORDER "
                        "BY m.migration_order, m.id"),
         key},
        {QStringLiteral("SELECT f.id, {ms:f.failed_at}, f.source_portal, f.source_user_id, "
                        "f.model_id, m.name, f.record_id, f.phase, f.error_class, "
                        "LEFT(f.message, 400), f.attempt, f.payload_size, f.resolution FROM "
                        "failed_records f JOIN models m ON m.id = f.model_id WHERE "
                        "f.source_portal = $1 AND f.source_user_id = $2 ORDER BY f.failed_at "
                        "DESC, f.id DESC LIMIT 500"),
         key},
        {QStringLiteral("SELECT m.name, i.source_portal, i.source_id, i.target_id FROM "
                        "id_mappings i JOIN models m ON m.id = i.model_id WHERE i.source_portal = "
                        "$1 AND i.source_user_id = $2 ORDER BY m.migration_order, i.source_id "
                        "LIMIT 1000"),
         key},
    };
}

// Prints the table (and writes the JSON file when asked); 5 when a budget was missed.
int report(const std::vector<Measurement> &results, sql::Backend backend, const QString &label,
           const QString &jsonPath)
{
    std::printf("\n%s — %s\n", qPrintable(backendName(backend)), qPrintable(label));
    std::printf("%-44s %12s %12s %7s  %s\n", "measure", "store ms", "raw SQL ms", "ratio",
                "budget");
    QJsonArray json;
    bool allMet = true;
    for (const Measurement &m : results) {
        const double ratio = m.rawMs > 0 ? m.storeMs / m.rawMs : 0;
        const bool met = (m.maxRatio == 0 || ratio <= m.maxRatio)
                         && (m.maxStoreMs == 0 || m.storeMs <= m.maxStoreMs)
                         && (m.minRatio == 0 || ratio >= m.minRatio);
        allMet = allMet && met;
        std::printf("%-44s %12.3f %12.3f %7.2f  %s%s\n", qPrintable(m.name), m.storeMs, m.rawMs,
                    ratio, qPrintable(m.budget),
                    m.budget.isEmpty() ? "" : (met ? " ok" : " MISSED"));
        json.append(QJsonObject{{QStringLiteral("backend"), backendName(backend)},
                                {QStringLiteral("label"), label},
                                {QStringLiteral("measure"), m.name},
                                {QStringLiteral("store_ms"), m.storeMs},
                                {QStringLiteral("raw_ms"), m.rawMs},
                                {QStringLiteral("ratio"), ratio},
                                {QStringLiteral("budget"), m.budget},
                                {QStringLiteral("met"), met}});
    }
    if (!jsonPath.isEmpty()) {
        QFile file(jsonPath);
        if (file.open(QIODevice::WriteOnly))
            file.write(QJsonDocument(json).toJson());
    }
    return allMet ? 0 : 5;
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Times store calls beside raw SQL."));
    parser.addHelpOption();
    parser.addOption({QStringLiteral("db"), QStringLiteral("Merge database URL."),
                      QStringLiteral("url")});
    parser.addOption({QStringLiteral("repeat"), QStringLiteral("Runs per figure (median)."),
                      QStringLiteral("n"), QStringLiteral("15")});
    parser.addOption({QStringLiteral("label"), QStringLiteral("Label of this data set."),
                      QStringLiteral("text"), QString()});
    parser.addOption({QStringLiteral("json"), QStringLiteral("Also write the figures here."),
                      QStringLiteral("file")});
    parser.addOption({QStringLiteral("retry-users"), QStringLiteral("Users to move in the retry "
                                                                    "figure (0: skip)."),
                      QStringLiteral("n"), QStringLiteral("100000")});
    parser.addOption({QStringLiteral("insert-records"),
                      QStringLiteral("Failed records inserted with and without the search index "
                                     "(0: skip)."),
                      QStringLiteral("n"), QStringLiteral("2000")});
    parser.addOption({QStringLiteral("only-search"),
                      QStringLiteral("Only the text search figures and the insert rate.")});
    parser.addOption({QStringLiteral("only-overview"),
                      QStringLiteral("Only the overview and the alert evaluation beside it.")});
    parser.process(app);

    const auto url = require(ConnectionUrl::parse(parser.value(QStringLiteral("db"))), "url");
    auto store = require(openStore(url.toString()), "connect");
    const RawClient raw(url);
    const int repeat = std::max(1, parser.value(QStringLiteral("repeat")).toInt());
    std::vector<Measurement> results;
    const int insertRecords = parser.value(QStringLiteral("insert-records")).toInt();
    if (parser.isSet(QStringLiteral("only-search"))) {
        benchTextSearch(*store, url, raw, repeat, results);
        if (insertRecords > 0)
            benchSearchInsertRate(url, insertRecords, results);
        return report(results, url.backend, parser.value(QStringLiteral("label")),
                      parser.value(QStringLiteral("json")));
    }

    const OverviewSnapshot snapshot = require(store->overview({}), "overview");
    results.push_back({QStringLiteral("overview snapshot"),
                       timeStore(repeat, [&] { require(store->overview({}), "overview"); }),
                       median(raw.time(overviewSql(snapshot), repeat)),
                       QStringLiteral("< 10 ms at 1 M; flat from 10 k to 1 M"), 0, 10});

    // Every alert rule evaluated, as each console does every 10 s: one read of the counters and
    // recent samples (a first cycle records what is due, so the timed ones are steady).
    {
        require(AlertEvaluator::cycle(*store), "alerts");
        std::vector<RawStatement> alertSql;
        for (const QString &statement : alertsReadSql(url.backend, AlertsRequest{}.historyLimit))
            alertSql.push_back({statement, {}});
        results.push_back({QStringLiteral("alert evaluation, every rule"),
                           timeStore(repeat, [&] { require(AlertEvaluator::cycle(*store), "alerts"); }),
                           median(raw.time(alertSql, repeat)),
                           QStringLiteral("< 5 ms per cycle at 1 M"), 0, 5});
    }
    if (parser.isSet(QStringLiteral("only-overview")))
        return report(results, url.backend, parser.value(QStringLiteral("label")),
                      parser.value(QStringLiteral("json")));

    // Failures first page, without and with each filter, on values the data really has.
    const QList<ErrorGroup> groups = require(store->errorGroups(), "error groups");
    const FailurePage first = require(store->failures({}, std::nullopt, 200), "failures");
    std::vector<std::pair<QString, FailureFilter>> filters{{QStringLiteral("no filter"), {}}};
    if (!first.rows.isEmpty()) {
        FailureFilter f;
        f.modelId = first.rows.first().modelId;
        filters.push_back({QStringLiteral("model"), f});
        f = {};
        f.errorClass = first.rows.first().errorClass;
        filters.push_back({QStringLiteral("error class"), f});
        f = {};
        f.portal = first.rows.first().user.portal;
        filters.push_back({QStringLiteral("portal"), f});
        f = {};
        f.since = first.rows.first().failedAt - 3'600'000;
        filters.push_back({QStringLiteral("last hour"), f});
        f = {};
        f.searchText = first.rows.first().messageExcerpt.left(12);
        filters.push_back({QStringLiteral("text"), f});
    }
    for (const auto &[name, filter] : filters) {
        results.push_back(
            {QStringLiteral("failures first page, ") + name,
             timeStore(repeat, [&] { require(store->failures(filter, std::nullopt, 200), "page"); }),
             median(raw.time({failurePageStatement(url.backend, filter, std::nullopt, 200)}, repeat)),
             QStringLiteral("≤ 1.3 × raw SQL"), 1.3, 0});
    }

    // A deep page: follow the cursor for 100 000 rows, then time the next page.
    std::optional<FailureCursor> cursor;
    qint64 walked = 0;
    while (walked < 100'000) {
        const FailurePage page = require(store->failures({}, cursor, 1000), "walk");
        walked += page.rows.size();
        if (!page.next)
            break;
        cursor = page.next;
    }
    if (cursor) {
        results.push_back(
            {QStringLiteral("failures page after %1 rows").arg(walked),
             timeStore(repeat, [&] { require(store->failures({}, cursor, 200), "deep page"); }),
             median(raw.time({failurePageStatement(url.backend, {}, cursor, 200)}, repeat)),
             QStringLiteral("< 50 ms"), 0, 50});
    }

    results.push_back({QStringLiteral("error groups"),
                       timeStore(repeat, [&] { require(store->errorGroups(), "groups"); }),
                       median(raw.time({{QStringLiteral(
                                            "SELECT g.fingerprint, g.error_class, "
                                            "g.message_pattern, g.failures, g.unresolved, "
                                            "{ms:g.first_seen}, {ms:g.last_seen}, m.name FROM "
                                            "error_groups g JOIN models m ON m.id = g.model_id "
                                            "WHERE g.failures > 0 ORDER BY g.fingerprint, "
                                            "m.migration_order, m.name"),
                                        {}}},
                                       repeat)),
                       QString(), 0, 0});
    Q_UNUSED(groups);

    if (!first.rows.isEmpty()) {
        const UserKey user = first.rows.first().user;
        results.push_back({QStringLiteral("user dossier"),
                           timeStore(repeat, [&] { require(store->userDossier(user), "dossier"); }),
                           median(raw.time(dossierSql(user), repeat)), QString(), 0, 0});
    }

    // Counters: verify compares every key with its table, beside the raw GROUP BYs it runs;
    // repair after one counter row was corrupted by hand (the writers' tables held meanwhile).
    std::vector<RawStatement> truth;
    for (const counters::Family &family : counters::families())
        truth.push_back({family.truthSql, {}});
    const int counterRepeat = std::min(repeat, 3);
    const double rawTruthMs = median(raw.time(truth, counterRepeat));
    results.push_back({QStringLiteral("verify counters"),
                       timeStore(counterRepeat,
                                 [&] { require(store->verifyCounters(), "verify counters"); }),
                       rawTruthMs, QString(), 0, 0});
    {
        auto writer = FleetWriter::open(url);
        std::vector<double> runs;
        for (int i = 0; i < counterRepeat; ++i) {
            const sql::Rows row = writer->connection().query(QStringLiteral(
                "SELECT source_portal, status, stripe FROM user_status_counts ORDER BY 1, 2, 3 "
                "LIMIT 1"));
            writer->connection().exec(QStringLiteral("UPDATE user_status_counts SET users = "
                                                     "users + 1 WHERE source_portal = $1 AND "
                                                     "status = $2 AND stripe = $3"),
                                      {row.text(0, 0), row.text(0, 1), row.int64(0, 2)});
            QElapsedTimer timer;
            timer.start();
            const CounterCheck repaired = require(
                store->repairCounters({QStringLiteral("mc-bench"), Operator::fromEnvironment()}),
                "repair counters");
            runs.push_back(timer.nsecsElapsed() / 1e6);
            if (!repaired.repaired)
                std::fprintf(stderr, "mc-bench: the corrupted counter was not repaired\n");
        }
        results.push_back({QStringLiteral("repair one drifted counter"), median(runs),
                           rawTruthMs, QString(), 0, 0});
    }
    benchTextSearch(*store, url, raw, repeat, results);
    if (insertRecords > 0)
        benchSearchInsertRate(url, insertRecords, results);

    // The retry last: it changes the data. The raw figure is one UPDATE of the same users,
    // rolled back; the store moves them in audited batches of 1000.
    const int retryUsers = parser.value(QStringLiteral("retry-users")).toInt();
    if (retryUsers > 0) {
        auto writer = FleetWriter::open(url);
        const sql::Rows rows = writer->connection().query(
            QStringLiteral("SELECT source_portal, source_user_id FROM user_migrations WHERE "
                           "status = 'failed' ORDER BY source_portal, source_user_id LIMIT $1"),
            {retryUsers});
        std::vector<UserKey> users;
        for (int r = 0; r < rows.size(); ++r)
            users.push_back({rows.text(r, 0), rows.int64(r, 1)});
        if (!users.empty()) {
            const UserKey last = users.back();
            std::vector<RawStatement> update{
                {QStringLiteral("BEGIN"), {}},
                {QStringLiteral("UPDATE user_migrations SET status = 'pending' WHERE status = "
                                "'failed' AND (source_portal < $1 OR (source_portal = $1 AND "
                                "source_user_id <= $2))"),
                 {last.portal, last.userId}},
                {QStringLiteral("ROLLBACK"), {}}};
            const double rawMs = median(raw.time(update, 1));
            RetryRequest request;
            request.users = users;
            request.reason = QStringLiteral("mc-bench");
            request.by = Operator::fromEnvironment();
            QElapsedTimer timer;
            timer.start();
            const RetryReport report = require(store->retryUsers(request, {}), "retry");
            results.push_back({QStringLiteral("retry %1 users (moved %2)")
                                   .arg(users.size())
                                   .arg(report.moved),
                               timer.nsecsElapsed() / 1e6, rawMs, QStringLiteral("< 10 s"), 0,
                               10'000});
        }
    }

    return report(results, url.backend, parser.value(QStringLiteral("label")),
                  parser.value(QStringLiteral("json")));
}
