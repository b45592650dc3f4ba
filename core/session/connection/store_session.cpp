#include "store_session.h"

#include "connection_url.h"
#include "logging.h"
#include "store_worker.h"
#include "thread_end.h"

#include <spdlog/logger.h>

#include <QThread>

namespace mc {

StoreSession::StoreSession(QObject *parent) : QObject(parent)
{
    m_retryTimer.setSingleShot(true);
    connect(&m_retryTimer, &QTimer::timeout, this, &StoreSession::attemptConnect);
    m_countdown.setInterval(1000);
    connect(&m_countdown, &QTimer::timeout, this, [this] {
        if (m_status.state != ConnectionStatus::State::Retrying || m_status.retryInSeconds <= 1)
            return;
        ConnectionStatus next = m_status;
        --next.retryInSeconds;
        setStatus(next);
    });
}

StoreSession::~StoreSession()
{
    m_retryTimer.stop();
    m_countdown.stop();
    blockSignals(true);
    stop(kShutdownWaitMs);
}

void StoreSession::open(const QString &url, StoreFactory factory)
{
    close();
    ConnectionStatus next;
    auto parsed = ConnectionUrl::parse(url);
    if (!parsed) {
        next.state = ConnectionStatus::State::Failed;
        next.error = parsed.error().message;
        setStatus(next);
        return;
    }
    next.url = parsed->redacted();
    next.state = ConnectionStatus::State::Connecting;

    ++m_epoch;
    m_thread = new QThread;
    m_thread->setObjectName(QStringLiteral("store-session"));
    m_worker = new StoreWorker(url, std::move(factory));
    m_worker->moveToThread(m_thread);
    connect(m_thread, &QThread::finished, m_worker, &QObject::deleteLater);
    connectWorker(m_worker);
    m_thread->start();
    log()->info("opening {}", next.url.toStdString());

    emit opened(next.url);
    setStatus(next);
    QMetaObject::invokeMethod(m_worker, [worker = m_worker] { worker->connectStore(); },
                              Qt::QueuedConnection);
}

void StoreSession::close()
{
    stop(0);
}

void StoreSession::stop(int waitMs)
{
    m_retryTimer.stop();
    m_countdown.stop();
    m_channels = {};
    m_backoff.reset();
    if (!m_thread) {
        if (m_status.state != ConnectionStatus::State::Closed)
            setStatus({});
        return;
    }
    ++m_epoch;
    disconnect(m_worker, nullptr, this, nullptr);
    // A query may still run on a slow or dead server. Do not wait for it: the thread ends (and
    // deletes its worker and connection) when the query returns.
    finishThread(m_thread, waitMs);
    m_thread = nullptr;
    m_worker = nullptr;
    setStatus({});
}

void StoreSession::connectWorker(StoreWorker *worker)
{
    // The worker emits on its own thread; these lambdas run queued on this (the GUI) thread.
    // An answer from an earlier worker, posted before it was closed, carries an old epoch.
    const quint64 epoch = m_epoch;
    auto current = [this, epoch] { return epoch == m_epoch; };
    connect(worker, &StoreWorker::storeConnected, this, [=, this](const ServerInfo &server) {
        if (current())
            onConnected(server);
    });
    connect(worker, &StoreWorker::storeUnreachable, this, [=, this](const StoreError &error) {
        if (current())
            onUnreachable(error);
    });
    connect(worker, &StoreWorker::overviewReady, this,
            [=, this](quint64 generation, const OverviewSnapshot &snapshot) {
                if (current())
                    onOverview(generation, snapshot);
            });
    connect(worker, &StoreWorker::throughputReady, this,
            [=, this](quint64 generation, const ThroughputSeries &series) {
                if (current() && settle(RequestKind::Throughput, generation))
                    emit throughputArrived(series);
            });
    connect(worker, &StoreWorker::auditReady, this,
            [=, this](quint64 generation, const AuditPage &page) {
                if (current() && settle(RequestKind::Audit, generation))
                    emit auditArrived(page);
            });
    connect(worker, &StoreWorker::migrationTimesReady, this,
            [=, this](quint64 generation, const MigrationTimes &times) {
                if (current() && settle(RequestKind::MigrationTimes, generation))
                    emit migrationTimesArrived(times);
            });
    connect(worker, &StoreWorker::alertsReady, this,
            [=, this](quint64 generation, const AlertCycle &cycle) {
                if (current() && settle(RequestKind::Alerts, generation))
                    emit alertsArrived(cycle);
            });
    connect(worker, &StoreWorker::requestFailed, this,
            [=, this](RequestKind kind, quint64 generation, const StoreError &error) {
                if (current())
                    onRequestFailed(kind, generation, error);
            });
}

bool StoreSession::isBusy(RequestKind kind) const
{
    const Channel &c = m_channels[size_t(kind)];
    return c.inFlight != 0 || c.waiting;
}

quint64 StoreSession::requestOverview()
{
    return submit(RequestKind::Overview,
                  [](StoreWorker &worker, quint64 generation) { worker.fetchOverview(generation); });
}

quint64 StoreSession::requestThroughput(const ThroughputQuery &query)
{
    return submit(RequestKind::Throughput, [query](StoreWorker &worker, quint64 generation) {
        worker.fetchThroughput(generation, query);
    });
}

quint64 StoreSession::requestAudit(const AuditQuery &query)
{
    return submit(RequestKind::Audit, [query](StoreWorker &worker, quint64 generation) {
        worker.fetchAudit(generation, query);
    });
}

quint64 StoreSession::requestMigrationTimes(EpochMs from, EpochMs until)
{
    return submit(RequestKind::MigrationTimes,
                  [from, until](StoreWorker &worker, quint64 generation) {
                      worker.fetchMigrationTimes(generation, from, until);
                  });
}

quint64 StoreSession::requestAlerts()
{
    return submit(RequestKind::Alerts,
                  [](StoreWorker &worker, quint64 generation) { worker.evaluateAlerts(generation); });
}

quint64 StoreSession::submit(RequestKind kind, Call call)
{
    if (!m_worker)
        return 0;
    Channel &c = channel(kind);
    c.generation = ++m_lastGeneration;
    c.waiting = std::move(call); // replaces an older waiting request: the newest wins
    if (m_status.isConnected() && c.inFlight == 0)
        dispatch(kind);
    return c.generation;
}

void StoreSession::dispatch(RequestKind kind)
{
    Channel &c = channel(kind);
    c.sent = std::move(c.waiting);
    c.waiting = nullptr;
    c.inFlight = c.generation;
    c.sentAt.start();
    QMetaObject::invokeMethod(
        m_worker,
        [worker = m_worker, call = c.sent, generation = c.inFlight] { call(*worker, generation); },
        Qt::QueuedConnection);
}

void StoreSession::dispatchWaiting()
{
    for (int k = 0; k < kRequestKinds; ++k) {
        const auto kind = RequestKind(k);
        if (m_status.isConnected() && channel(kind).waiting && channel(kind).inFlight == 0)
            dispatch(kind);
    }
}

bool StoreSession::settle(RequestKind kind, quint64 generation)
{
    Channel &c = channel(kind);
    if (c.inFlight != generation)
        return false;
    c.inFlight = 0;
    c.sent = nullptr;
    dispatchWaiting();
    return generation == c.generation;
}

void StoreSession::attemptConnect()
{
    if (!m_worker)
        return;
    m_countdown.stop();
    ConnectionStatus next = m_status;
    next.state = ConnectionStatus::State::Connecting;
    next.retryInSeconds = 0;
    setStatus(next);
    QMetaObject::invokeMethod(m_worker, [worker = m_worker] { worker->connectStore(); },
                              Qt::QueuedConnection);
}

void StoreSession::retryNow()
{
    if (m_status.state == ConnectionStatus::State::Retrying) {
        m_retryTimer.stop();
        attemptConnect();
    }
}

void StoreSession::onConnected(const ServerInfo &server)
{
    m_retryTimer.stop();
    m_countdown.stop();
    m_backoff.reset();
    ConnectionStatus next = m_status;
    next.state = ConnectionStatus::State::Connected;
    next.server = server;
    next.failedAttempts = 0;
    next.retryInSeconds = 0;
    next.error.clear();
    log()->info("connected to {} ({} {}) as {}", next.url.toStdString(),
                server.backend.toStdString(), server.serverVersion.toStdString(),
                server.databaseUser.toStdString());
    setStatus(next);
    dispatchWaiting();
}

void StoreSession::onUnreachable(const StoreError &error)
{
    if (error.kind == StoreError::Kind::Connection) {
        waitAndRetry(error);
        return;
    }
    // Retrying would fail the same way (a malformed URL, say): the operator must change it.
    ConnectionStatus next = m_status;
    next.state = ConnectionStatus::State::Failed;
    next.error = error.message;
    setStatus(next);
}

void StoreSession::onOverview(quint64 generation, const OverviewSnapshot &snapshot)
{
    const qint64 roundTrip = channel(RequestKind::Overview).sentAt.elapsed();
    if (!settle(RequestKind::Overview, generation))
        return;
    ConnectionStatus next = m_status;
    next.roundTripMs = roundTrip;
    next.lastRefresh = QDateTime::currentDateTime();
    next.error.clear();
    setStatus(next);
    emit overviewArrived(snapshot);
}

void StoreSession::onRequestFailed(RequestKind kind, quint64 generation, const StoreError &error)
{
    Channel &c = channel(kind);
    if (c.inFlight != generation)
        return;
    if (error.kind == StoreError::Kind::Connection) {
        // Keep the request: unless a newer one waits, it is sent again after the reconnect.
        c.inFlight = 0;
        if (!c.waiting)
            c.waiting = std::move(c.sent);
        c.sent = nullptr;
        waitAndRetry(error);
        return;
    }
    if (!settle(kind, generation))
        return;
    ConnectionStatus next = m_status;
    next.error = error.message;
    setStatus(next);
    emit requestFailed(kind, error);
}

void StoreSession::waitAndRetry(const StoreError &error)
{
    if (m_status.state == ConnectionStatus::State::Retrying)
        return; // already waiting; other requests failing the same way change nothing
    const int delay = m_backoff.nextDelaySeconds();
    ConnectionStatus next = m_status;
    next.state = ConnectionStatus::State::Retrying;
    next.error = error.message;
    next.retryInSeconds = delay;
    next.failedAttempts = m_backoff.attempts();
    log()->warn("{} unreachable, retrying in {} s: {}", next.url.toStdString(), delay,
                error.message.toStdString());
    setStatus(next);
    m_retryTimer.start(delay * 1000);
    m_countdown.start();
}

void StoreSession::setStatus(const ConnectionStatus &status)
{
    m_status = status;
    emit statusChanged(m_status);
}

} // namespace mc
