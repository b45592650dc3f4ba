#pragma once

// The console's connection to one merge database. The MergeStore lives on a worker thread of its
// own (StoreWorker); this object stays on the GUI thread, sends requests by queued invocation and
// turns the worker's answers into signals. Per kind of request at most one is on the worker and
// the newest one waits: a request made while another of its kind runs replaces any waiting one,
// and a reply to a request that has since been superseded is dropped (generation numbers). A slow
// server delays answers; it never blocks the caller.
//
// When the server cannot be reached the status says so and the session retries with a growing
// wait; requests made meanwhile wait and are sent once it is back.

#include "connection_status.h"
#include "session_types.h"
#include "store_opener.h"

#include <QElapsedTimer>
#include <QObject>
#include <QTimer>

#include <array>
#include <functional>

class QThread;

namespace mc {

class StoreWorker;

class StoreSession : public QObject
{
    Q_OBJECT

public:
    explicit StoreSession(QObject *parent = nullptr);
    ~StoreSession() override;

    // Connects to url (postgresql://, mariadb://, mysql://), closing any current connection.
    void open(const QString &url, StoreFactory factory = realStores());
    void close(); // never waits for a query still running on the server
    bool isOpen() const { return m_worker != nullptr; }

    const ConnectionStatus &status() const { return m_status; }
    // Whether a request of this kind is on the worker or waiting for it.
    bool isBusy(RequestKind kind) const;

    // Each returns the request's generation, or 0 when no database is open.
    quint64 requestOverview();
    quint64 requestThroughput(const ThroughputQuery &query);
    quint64 requestAudit(const AuditQuery &query);
    quint64 requestMigrationTimes(EpochMs from, EpochMs until);
    // Evaluates the alert rules once (AlertsMonitor asks every few seconds).
    quint64 requestAlerts();

    // While retrying: try now instead of waiting.
    void retryNow();

signals:
    void opened(const QString &redactedUrl);
    void statusChanged(const mc::ConnectionStatus &status);
    void overviewArrived(const mc::OverviewSnapshot &snapshot);
    void throughputArrived(const mc::ThroughputSeries &series);
    void auditArrived(const mc::AuditPage &page);
    void migrationTimesArrived(const mc::MigrationTimes &times);
    void alertsArrived(const mc::AlertCycle &cycle);
    // A request the server refused (schema, permission, invalid input). Lost connections show in
    // the status instead, and the request is sent again once the server is back.
    void requestFailed(mc::RequestKind kind, const mc::StoreError &error);

private:
    using Call = std::function<void(StoreWorker &, quint64)>;
    struct Channel
    {
        quint64 generation = 0; // of the newest request
        quint64 inFlight = 0;   // the generation on the worker; 0 for none
        Call waiting;           // the newest request not sent yet
        Call sent;              // the one on the worker, to send again after a reconnect
        QElapsedTimer sentAt;
    };

    quint64 submit(RequestKind kind, Call call);
    void dispatch(RequestKind kind);
    void dispatchWaiting();
    bool settle(RequestKind kind, quint64 generation); // true when the reply is the newest
    Channel &channel(RequestKind kind) { return m_channels[size_t(kind)]; }

    void connectWorker(StoreWorker *worker);
    void attemptConnect();
    void onConnected(const ServerInfo &server);
    void onUnreachable(const StoreError &error);
    void onOverview(quint64 generation, const OverviewSnapshot &snapshot);
    void onRequestFailed(RequestKind kind, quint64 generation, const StoreError &error);
    void waitAndRetry(const StoreError &error);
    void setStatus(const ConnectionStatus &status);
    void stop(int waitMs);

    QThread *m_thread = nullptr;
    StoreWorker *m_worker = nullptr;
    quint64 m_epoch = 0; // bumped by open/close: answers of an earlier worker are ignored
    quint64 m_lastGeneration = 0;
    std::array<Channel, kRequestKinds> m_channels;
    ConnectionStatus m_status;
    RetryBackoff m_backoff;
    QTimer m_retryTimer;
    QTimer m_countdown;
};

} // namespace mc
