#include "fleet_worker.h"

#include "fleet_connection.h"
#include "job_board.h"
#include "logging.h"
#include "migration_steps.h"
#include "work_plan.h"

#include <QCoreApplication>
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

EpochMs wallMs()
{
    return QDateTime::currentMSecsSinceEpoch();
}

} // namespace

FleetWorker::FleetWorker(int index, ConnectionUrl url, const FleetOptions &options,
                         const StopSignal &stop, ThroughputRecorder &recorder,
                         FleetCounters &counters)
    : m_index(index),
      m_name(QStringLiteral("%1/%2/w%3")
                 .arg(options.name)
                 .arg(QCoreApplication::applicationPid())
                 .arg(index)),
      m_url(std::move(url)), m_options(options), m_stop(stop), m_recorder(recorder),
      m_counters(counters), m_injector(options), m_startedAt(steadyMs()),
      m_random(FleetRandom::forKey({options.seed, quint64(index), quint64(steadyMs())}))
{
}

FleetWorker::~FleetWorker() = default;

void FleetWorker::run()
{
    while (!m_stop.requested()) {
        if (!m_connection && !connect()) {
            m_stop.waitFor(1000);
            continue;
        }
        try {
            step();
        } catch (const sql::DbError &error) {
            m_counters.add(&FleetStats::databaseErrors);
            log()->warn("{}: {}", m_name.toStdString(), error.what());
            if (m_connection->isBroken())
                disconnect();
            m_stop.waitFor(250);
        }
    }
    disconnect();
    log()->debug("{}: stopped", m_name.toStdString());
}

bool FleetWorker::connect()
{
    try {
        m_connection = openFleetConnection(m_url);
        m_board = std::make_unique<JobBoard>(*m_connection, m_name);
        m_steps = std::make_unique<MigrationSteps>(*m_connection);
        m_catalogue = FleetSettings(*m_connection).catalogue();
        m_queuesReadAt = -1;
        return true;
    } catch (const sql::DbError &error) {
        m_counters.add(&FleetStats::databaseErrors);
        log()->warn("{}: cannot connect: {}", m_name.toStdString(), error.what());
        disconnect();
        return false;
    }
}

void FleetWorker::disconnect()
{
    m_steps.reset();
    m_board.reset();
    m_connection.reset();
}

void FleetWorker::refreshQueues(qint64 now)
{
    if (m_queuesReadAt >= 0 && now - m_queuesReadAt < m_options.settingsRefreshMs)
        return;
    QList<QueueSettings> served;
    for (const QueueSettings &queue : FleetSettings(*m_connection).queues())
        if (jobKindOf(queue.name))
            served.append(queue);
    m_queues = served;
    m_queuesReadAt = now;
}

QString FleetWorker::dueQueue(qint64 now, qint64 *nextDue)
{
    *nextDue = now + 100;
    const int count = int(m_queues.size());
    for (int i = 0; i < count; ++i) {
        const QueueSettings &queue = m_queues[(m_nextQueue + i) % count];
        if (queue.paused || queue.parallelism <= 0)
            continue; // the next refresh shows when it may run again
        const qint64 due = m_lastPoll.value(queue.name, now - queue.runEveryMs)
            + queue.runEveryMs;
        if (due <= now) {
            m_nextQueue = (m_nextQueue + i + 1) % count;
            return queue.name;
        }
        *nextDue = std::min(*nextDue, due);
    }
    return QString();
}

void FleetWorker::step()
{
    const qint64 now = steadyMs();
    if (m_options.stall.contains(now - m_startedAt)) {
        m_stop.waitFor(100); // a stall: claim nothing until it ends
        return;
    }
    refreshQueues(now);
    qint64 nextDue = 0;
    const QString queue = dueQueue(now, &nextDue);
    if (queue.isEmpty()) {
        m_stop.waitFor(std::clamp<qint64>(nextDue - now, 5, 100));
        return;
    }
    const ClaimResult result = m_board->claim(queue, m_options.leaseMs);
    switch (result.outcome) {
    case ClaimResult::Outcome::Claimed:
        m_lastPoll.remove(queue);
        process(*result.job);
        break;
    case ClaimResult::Outcome::Stale:
        break; // removed a job nobody needs; look again at once
    default:
        m_lastPoll.insert(queue, steadyMs());
        break;
    }
}

bool FleetWorker::work(const ClaimedJob &job, qint64 ms)
{
    const qint64 start = steadyMs();
    qint64 renewedAt = start;
    const qint64 renewEvery = std::max<qint64>(m_options.leaseMs / 3, 50);
    for (;;) {
        const qint64 now = steadyMs();
        const qint64 left = start + ms - now;
        if (left <= 0)
            return true;
        if (m_stop.waitFor(std::min<qint64>(left, 100))) {
            if (m_board->release(job))
                m_counters.add(&FleetStats::claimsReleased);
            return false;
        }
        if (steadyMs() - renewedAt >= renewEvery) {
            if (!m_board->renewLease(job, m_options.leaseMs)) {
                m_counters.add(&FleetStats::claimsLost);
                return false;
            }
            renewedAt = steadyMs();
        }
    }
}

void FleetWorker::process(const ClaimedJob &job)
{
    m_counters.claimed(job.queue);
    if (job.userStarted) {
        m_counters.add(&FleetStats::usersStarted);
        m_recorder.addUsers(wallMs(), job.queue, 1, 0, 0);
    }
    const WorkPlan plan = WorkPlan::forJob(m_catalogue, job);
    const double speed = m_options.speed > 0 ? m_options.speed : 1.0;
    if (!work(job, qint64(double(plan.workMs) / speed)))
        return;

    StepOutcome outcome = StepOutcome::Done;
    const std::optional<InjectedFailure> failure = m_injector.decide(
        job, plan.models, m_catalogue.classesFor(job.user.portal), m_random,
        steadyMs() - m_startedAt);
    if (failure) {
        const qint64 backoff = std::min<qint64>(qint64(job.runEveryMs) * job.attempt, 60'000);
        outcome = m_steps->failAttempt(job, failure->modelId, plan.phase, failure->failure,
                                       backoff);
        if (outcome != StepOutcome::LostClaim) {
            m_counters.add(&FleetStats::attemptsFailed);
            m_recorder.addRecords(wallMs(), failure->modelId, 0, 1);
        }
    } else if (job.kind == JobKind::Serialize) {
        outcome = m_steps->completeSerialize(job, plan.records, plan.createQueues,
                                             plan.targetUserId);
    } else {
        outcome = m_steps->completeCreate(job, plan.records, plan.mappings);
        if (outcome == StepOutcome::Done || outcome == StepOutcome::UserCompleted)
            for (const ModelRecords &m : plan.records)
                m_recorder.addRecords(wallMs(), m.modelId, m.records, 0);
    }

    switch (outcome) {
    case StepOutcome::Done:
        m_counters.add(&FleetStats::jobsDone);
        break;
    case StepOutcome::UserCompleted:
        m_counters.add(&FleetStats::jobsDone);
        m_counters.add(&FleetStats::usersCompleted);
        m_recorder.addUsers(wallMs(), job.queue, 0, 1, 0);
        break;
    case StepOutcome::UserFailed:
        m_counters.add(&FleetStats::usersFailed);
        m_recorder.addUsers(wallMs(), job.queue, 0, 0, 1);
        break;
    case StepOutcome::LostClaim:
        m_counters.add(&FleetStats::claimsLost);
        break;
    case StepOutcome::Requeued:
        break;
    }
}

} // namespace mc::fleet
