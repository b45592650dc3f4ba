#pragma once

// The object that owns one MergeStore and lives on the session's worker thread. StoreSession
// calls it only by queued invocation; it answers with signals carrying the request's generation.
// Every call blocks this thread for as long as the server takes, never the GUI thread.

#include "session_types.h"
#include "store_opener.h"

#include <QObject>

#include <memory>

namespace mc {

class StoreWorker : public QObject
{
    Q_OBJECT

public:
    StoreWorker(QString url, StoreFactory factory);
    ~StoreWorker() override;

    // Opens the store on the first call; later calls probe the server, which reconnects a store
    // whose connection broke. Answers storeConnected or storeUnreachable.
    void connectStore();

    void fetchOverview(quint64 generation);
    void fetchThroughput(quint64 generation, const mc::ThroughputQuery &query);
    void fetchAudit(quint64 generation, const mc::AuditQuery &query);
    void fetchMigrationTimes(quint64 generation, mc::EpochMs from, mc::EpochMs until);
    // One alert evaluation (AlertEvaluator::cycle): a read, and the transitions it found.
    void evaluateAlerts(quint64 generation);

signals:
    void storeConnected(const mc::ServerInfo &server);
    void storeUnreachable(const mc::StoreError &error);

    void overviewReady(quint64 generation, const mc::OverviewSnapshot &snapshot);
    void throughputReady(quint64 generation, const mc::ThroughputSeries &series);
    void auditReady(quint64 generation, const mc::AuditPage &page);
    void migrationTimesReady(quint64 generation, const mc::MigrationTimes &times);
    void alertsReady(quint64 generation, const mc::AlertCycle &cycle);
    void requestFailed(mc::RequestKind kind, quint64 generation, const mc::StoreError &error);

private:
    template<typename T, typename Ready>
    void answer(RequestKind kind, quint64 generation, Result<T> result, Ready ready);

    QString m_url; // with the password: stays on this object, never logged
    StoreFactory m_factory;
    std::unique_ptr<MergeStore> m_store;
};

} // namespace mc
