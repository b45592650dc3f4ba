#include "seeder.h"

#include "fleet_catalogue.h"
#include "fleet_connection.h"
#include "fleet_settings.h"
#include "fleet_writer.h"
#include "seed_history.h"
#include "seed_population.h"
#include "throughput_recorder.h"

#include <QDateTime>

#include <exception>
#include <mutex>
#include <thread>

namespace mc::fleet {

namespace {

struct Chunk
{
    int portal = 0;
    qint64 first = 0;
    qint64 last = 0;
};

void writeCatalogue(sql::Connection &c, const SeedOptions &options)
{
    const sql::Backend backend = c.backend();
    inTransaction(c, [&] {
        for (const QString &code : options.portals)
            c.exec(QStringLiteral("INSERT INTO portals (code, name, role) VALUES ($1, $2, "
                                  "'source')")
                       + ignoreDuplicates(backend, QStringLiteral("portals.code")),
                   {code, portalName(code)});
        c.exec(QStringLiteral("INSERT INTO portals (code, name, role) VALUES ('target', $1, "
                              "'target')")
                   + ignoreDuplicates(backend, QStringLiteral("portals.code")),
               {portalName(QStringLiteral("target"))});
        for (const CatalogueModel &m : standardModels())
            c.exec(QStringLiteral("INSERT INTO models (id, name, migration_order, consent, "
                                  "query_scope, skip_portals, throughput_class) VALUES ($1, $2, "
                                  "$3, $4, $5, $6, $7)")
                       + ignoreDuplicates(backend, QStringLiteral("models.id")),
                   {m.model.id, m.model.name, m.model.migrationOrder, m.model.consent,
                    m.model.queryScope, m.model.skipPortals.join(QLatin1Char(',')),
                    m.model.throughputClass});
        for (const QueueDefaults &q : standardQueues())
            c.exec(QStringLiteral("INSERT INTO queues (name, parallelism, run_every_ms, "
                                  "max_attempts) VALUES ($1, $2, $3, $4)")
                       + ignoreDuplicates(backend, QStringLiteral("queues.name")),
                   {q.name, q.parallelism, q.runEveryMs, q.maxAttempts});
        for (int i = 0; i < options.portals.size(); ++i) {
            const int points = seededBasisPoints(i);
            c.exec(QStringLiteral("INSERT INTO rollout_flags (flag, portal, percentage) VALUES "
                                  "('merge', $1, $2)")
                       + ignoreDuplicates(backend, QStringLiteral("rollout_flags.flag")),
                   {options.portals[i],
                    QStringLiteral("%1.%2").arg(points / 100).arg(points % 100, 2, 10,
                                                                  QLatin1Char('0'))});
        }
    });
}

} // namespace

Seeder::Seeder(ConnectionUrl url, SeedOptions options)
    : m_url(std::move(url)), m_options(std::move(options))
{
    if (m_options.at <= 0) {
        const EpochMs now = QDateTime::currentMSecsSinceEpoch();
        m_options.at = now - now % kBucketMs;
    }
}

SeedReport Seeder::run(const std::function<void(const SeedProgress &)> &onProgress)
{
    if (const QString problem = m_options.problem(); !problem.isEmpty())
        throw SeedRefused(problem.toStdString());
    std::mutex mutex; // guards the report, the progress callback and the chunk list
    const auto report = [&](const QString &stage, qint64 done, qint64 total) {
        if (onProgress)
            onProgress({stage, done, total});
    };

    FleetWriter writer(openFleetConnection(m_url));
    sql::Connection &c = writer.connection();
    if (!c.query(QStringLiteral("SELECT 1 FROM user_migrations LIMIT 1")).empty())
        throw SeedRefused("the database already holds user migrations: seed an empty one");

    report(QStringLiteral("catalogue"), 0, 1);
    writeCatalogue(c, m_options);
    FleetSettings settings(c);
    const FleetCatalogue catalogue = settings.catalogue();
    const QList<QueueSettings> queues = settings.queues();
    QHash<QString, int> maxAttempts;
    for (const QueueSettings &q : queues)
        maxAttempts.insert(q.name, q.maxAttempts);
    report(QStringLiteral("catalogue"), 1, 1);

    const SeedPopulation population(m_options, catalogue, maxAttempts);
    QList<Chunk> chunks;
    for (int p = 0; p < m_options.portals.size(); ++p)
        for (qint64 first = 0, n = population.usersOfPortal(p); first < n;
             first += m_options.usersPerChunk)
            chunks.append({p, first, std::min(n, first + m_options.usersPerChunk)});

    SeedReport result;
    result.at = m_options.at;
    qint64 done = 0;
    std::exception_ptr failure;
    report(QStringLiteral("users"), 0, m_options.users);
    const auto load = [&](sql::Connection &connection) {
        for (;;) {
            Chunk chunk;
            {
                std::lock_guard lock(mutex);
                if (chunks.isEmpty() || failure)
                    return;
                chunk = chunks.takeFirst();
            }
            SeedSink sink(connection);
            population.write(sink, chunk.portal, chunk.first, chunk.last);
            sink.flush();
            std::lock_guard lock(mutex);
            for (auto it = sink.usersByStatus.cbegin(); it != sink.usersByStatus.cend(); ++it)
                result.usersByStatus[it.key()] += it.value();
            result.users += sink.users.rowsWritten();
            result.progressRows += sink.progress.rowsWritten();
            result.failedRecords += sink.failures.rowsWritten();
            result.mappings += sink.mappings.rowsWritten();
            result.jobs += sink.jobs.rowsWritten();
            done += chunk.last - chunk.first;
            report(QStringLiteral("users"), done, m_options.users);
        }
    };
    const auto guarded = [&](const std::function<void()> &body) {
        try {
            body();
        } catch (...) {
            std::lock_guard lock(mutex);
            if (!failure)
                failure = std::current_exception();
        }
    };
    std::vector<std::thread> loaders;
    const int extra = int(std::min<qsizetype>(m_options.connections, chunks.size())) - 1;
    for (int i = 0; i < extra; ++i)
        loaders.emplace_back([&] {
            guarded([&] {
                auto own = openFleetConnection(m_url);
                load(*own);
            });
        });
    guarded([&] { load(c); });
    for (std::thread &loader : loaders)
        loader.join();
    if (failure)
        std::rethrow_exception(failure);

    if (c.backend() == sql::Backend::PostgreSQL)
        // Seeded failed records carry their own ids: move the identity past them.
        c.query(QStringLiteral("SELECT setval(pg_get_serial_sequence('failed_records', 'id'), "
                               "GREATEST(1, (SELECT COALESCE(MAX(id), 0) FROM failed_records)))"));

    const SeedHistory history(m_options, catalogue, queues);
    report(QStringLiteral("throughput history"), 0, history.hours());
    for (int h = 0; h < history.hours(); ++h) {
        const QList<NewSample> samples = history.hour(h);
        ThroughputRecorder::write(c, samples);
        result.samples += samples.size();
        report(QStringLiteral("throughput history"), h + 1, history.hours());
    }

    report(QStringLiteral("statistics"), 0, 1);
    writer.refreshStatistics();
    report(QStringLiteral("statistics"), 1, 1);
    return result;
}

} // namespace mc::fleet
