#include "store_worker.h"

#include "alert_evaluator.h"

#include "logging.h"

#include <spdlog/logger.h>

namespace mc {

StoreWorker::StoreWorker(QString url, StoreFactory factory)
    : m_url(std::move(url)), m_factory(std::move(factory))
{
}

StoreWorker::~StoreWorker() = default;

void StoreWorker::connectStore()
{
    if (!m_store) {
        auto opened = m_factory(m_url);
        if (!opened) {
            emit storeUnreachable(opened.error());
            return;
        }
        m_store = std::move(opened).value();
    }
    auto server = m_store->serverInfo();
    if (!server) {
        emit storeUnreachable(server.error());
        return;
    }
    emit storeConnected(server.value());
}

template<typename T, typename Ready>
void StoreWorker::answer(RequestKind kind, quint64 generation, Result<T> result, Ready ready)
{
    if (result.ok()) {
        emit(this->*ready)(generation, result.value());
        return;
    }
    log()->debug("{} request {} failed: {}", requestName(kind).toStdString(), generation,
                 result.error().message.toStdString());
    emit requestFailed(kind, generation, result.error());
}

namespace {

StoreError notOpen()
{
    return StoreError::make(StoreError::Kind::Connection,
                            QStringLiteral("Not connected to the merge database yet."));
}

} // namespace

void StoreWorker::fetchOverview(quint64 generation)
{
    if (!m_store) {
        emit requestFailed(RequestKind::Overview, generation, notOpen());
        return;
    }
    OverviewRequest request;
    // Enough for the KPIs' last complete minute: six buckets, the bucket now being written and
    // the one whose samples may still be on their way (kSampleWriteLagMs), and one to spare.
    request.latestBuckets = 9;
    answer(RequestKind::Overview, generation, m_store->overview(request),
           &StoreWorker::overviewReady);
}

void StoreWorker::fetchThroughput(quint64 generation, const ThroughputQuery &query)
{
    if (!m_store) {
        emit requestFailed(RequestKind::Throughput, generation, notOpen());
        return;
    }
    answer(RequestKind::Throughput, generation, m_store->throughput(query),
           &StoreWorker::throughputReady);
}

void StoreWorker::fetchAudit(quint64 generation, const AuditQuery &query)
{
    if (!m_store) {
        emit requestFailed(RequestKind::Audit, generation, notOpen());
        return;
    }
    answer(RequestKind::Audit, generation, m_store->audit(query), &StoreWorker::auditReady);
}

void StoreWorker::fetchMigrationTimes(quint64 generation, EpochMs from, EpochMs until)
{
    if (!m_store) {
        emit requestFailed(RequestKind::MigrationTimes, generation, notOpen());
        return;
    }
    answer(RequestKind::MigrationTimes, generation, m_store->migrationTimes(from, until),
           &StoreWorker::migrationTimesReady);
}

void StoreWorker::evaluateAlerts(quint64 generation)
{
    if (!m_store) {
        emit requestFailed(RequestKind::Alerts, generation, notOpen());
        return;
    }
    answer(RequestKind::Alerts, generation, AlertEvaluator::cycle(*m_store),
           &StoreWorker::alertsReady);
}

} // namespace mc
