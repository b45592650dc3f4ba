#include "fleet_scheduler.h"

#include "admission.h"
#include "fleet_connection.h"
#include "fleet_settings.h"
#include "job_board.h"
#include "logging.h"
#include "rollout.h"

#include <QDateTime>

#include <spdlog/logger.h>

#include <chrono>

namespace mc::fleet {

namespace {

qint64 steadyMs()
{
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

constexpr qint64 kTickMs = 50;
constexpr qint64 kSampleEveryMs = 1000;
constexpr qint64 kFlushEveryMs = 2000;

bool due(qint64 &last, qint64 now, qint64 every)
{
    if (last >= 0 && now - last < every)
        return false;
    last = now;
    return true;
}

} // namespace

FleetScheduler::FleetScheduler(ConnectionUrl url, const FleetOptions &options,
                               const StopSignal &stop, const StopSignal &workersStopped,
                               ThroughputRecorder &recorder, FleetCounters &counters)
    : m_url(std::move(url)), m_options(options), m_stop(stop), m_workersStopped(workersStopped),
      m_recorder(recorder),
      m_counters(counters), m_name(options.name + QStringLiteral("/scheduler"))
{
}

FleetScheduler::~FleetScheduler() = default;

void FleetScheduler::run()
{
    qint64 last = steadyMs();
    while (!m_stop.requested()) {
        if (!m_connection && !connect()) {
            m_stop.waitFor(1000);
            continue;
        }
        const qint64 now = steadyMs();
        try {
            tick(now, now - last);
        } catch (const sql::DbError &error) {
            m_counters.add(&FleetStats::databaseErrors);
            log()->warn("{}: {}", m_name.toStdString(), error.what());
            if (m_connection->isBroken())
                m_connection.reset();
        }
        last = now;
        m_stop.waitFor(kTickMs);
    }
    log()->debug("{}: waiting for the workers", m_name.toStdString());
    while (!m_workersStopped.waitFor(1000)) {
    }
    try {
        if (!m_connection)
            connect();
        if (m_connection)
            m_recorder.flush(*m_connection);
    } catch (const sql::DbError &error) {
        log()->warn("{}: the last throughput samples are lost: {}", m_name.toStdString(),
                    error.what());
    }
    m_connection.reset();
    log()->debug("{}: stopped", m_name.toStdString());
}

bool FleetScheduler::connect()
{
    try {
        m_connection = openFleetConnection(m_url);
        m_catalogue = FleetSettings(*m_connection).catalogue();
        Admission admission(*m_connection);
        for (const QString &portal : m_catalogue.sourcePortals())
            m_nextUserId.insert(portal, std::max(m_nextUserId.value(portal, 1),
                                                 admission.highestUserId(portal) + 1));
        return true;
    } catch (const sql::DbError &error) {
        m_counters.add(&FleetStats::databaseErrors);
        log()->warn("{}: cannot connect: {}", m_name.toStdString(), error.what());
        m_connection.reset();
        return false;
    }
}

void FleetScheduler::tick(qint64 now, qint64 elapsedMs)
{
    requestUsers(elapsedMs);
    if (due(m_admittedAt, now, m_options.admissionIntervalMs))
        admitUsers();
    if (due(m_reclaimedAt, now, m_options.reclaimIntervalMs))
        reclaimLeases();
    if (due(m_sampledAt, now, kSampleEveryMs))
        sampleQueues();
    if (due(m_flushedAt, now, kFlushEveryMs))
        flushSamples();
}

void FleetScheduler::requestUsers(qint64 elapsedMs)
{
    const QStringList portals = m_catalogue.sourcePortals();
    if (m_options.influxPerSecond <= 0 || portals.isEmpty())
        return;
    m_owedUsers += m_options.influxPerSecond * double(elapsedMs) / 1000.0;
    const int count = int(m_owedUsers);
    if (count <= 0)
        return;
    QHash<QString, std::vector<qint64>> byPortal;
    for (int i = 0; i < count; ++i) {
        const QString &portal = portals[m_nextPortal++ % portals.size()];
        byPortal[portal].push_back(m_nextUserId[portal]++);
    }
    Admission admission(*m_connection);
    for (auto it = byPortal.cbegin(); it != byPortal.cend(); ++it)
        admission.requestUsers(it.key(), it.value());
    m_owedUsers -= count;
    m_counters.add(&FleetStats::usersRequested, count);
}

void FleetScheduler::admitUsers()
{
    const QHash<QString, int> rollout = FleetSettings(*m_connection).rollout(kAdmissionFlag);
    Admission admission(*m_connection);
    for (const QString &portal : m_catalogue.sourcePortals()) {
        const int basisPoints = rollout.value(portal, 0);
        if (basisPoints <= 0)
            continue;
        const QList<UserKey> admitted = admission.admit(portal, basisPoints,
                                                        m_options.admitBatch);
        if (!admitted.isEmpty())
            m_counters.add(&FleetStats::usersAdmitted, admitted.size());
    }
}

void FleetScheduler::reclaimLeases()
{
    JobBoard board(*m_connection, m_name);
    for (const QueueSettings &queue : FleetSettings(*m_connection).queues()) {
        const ReclaimReport report = board.reclaimExpired(queue.name, 100);
        if (report.requeued > 0 || !report.failedUsers.isEmpty()) {
            m_counters.add(&FleetStats::leasesReclaimed,
                           report.requeued + qint64(report.failedUsers.size()));
            log()->info("{}: reclaimed {} expired lease(s) in {}, {} user(s) failed",
                        m_name.toStdString(), report.requeued + report.failedUsers.size(),
                        queue.name.toStdString(), report.failedUsers.size());
        }
        if (!report.failedUsers.isEmpty()) {
            m_counters.add(&FleetStats::usersFailed, report.failedUsers.size());
            m_recorder.addUsers(QDateTime::currentMSecsSinceEpoch(), queue.name, 0, 0,
                                report.failedUsers.size());
        }
    }
}

void FleetScheduler::sampleQueues()
{
    const sql::Rows rows = m_connection->query(QStringLiteral(
        "SELECT q.name, COALESCE(c.pending, 0), COALESCE(c.running, 0) FROM queues q "
        "LEFT JOIN (SELECT queue_name, SUM(pending) AS pending, SUM(running) AS running FROM "
        "queue_counts GROUP BY queue_name) c ON c.queue_name = q.name ORDER BY q.name"));
    const EpochMs now = QDateTime::currentMSecsSinceEpoch();
    for (int r = 0; r < rows.size(); ++r)
        m_recorder.observeQueue(now, rows.text(r, 0), rows.int64(r, 1), rows.int64(r, 2));
}

void FleetScheduler::flushSamples()
{
    m_recorder.flush(*m_connection);
}

} // namespace mc::fleet
