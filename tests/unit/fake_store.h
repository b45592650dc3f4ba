#pragma once

// An in-memory merge database for unit tests of the session services and item models: no
// server. Every store a Database opens on it (one per connection) shares one FakeMergeData, so a
// test sets the data once, counts the connections made and may hold calls on a gate to see what
// waits for what. Reads follow the contract suite's rules for what they use (newest first,
// keyset pages, filters by model, class and portal); calls the tests do not use answer an error
// saying so.

#include "merge_store.h"
#include "store_opener.h"

#include <QHash>
#include <QMutex>
#include <QWaitCondition>

#include <atomic>
#include <memory>

namespace mc::test {

struct FakeMergeData
{
    QList<FailureRow> failures;
    QList<ErrorGroup> groups;
    QList<AuditEntry> audit; // any order
    QList<ModelProgress> models;
    QList<RolloutFlag> rollout;
    QList<RetryRequest> retries; // as received
    RoleAccess access;           // what roleAccess() answers (not known: everything offered)
    Environment environment;     // what serverInfo() says the database is; setEnvironment sets it
    AlertsSnapshot alerts;       // what alerts() answers (the evaluator records nothing here)
    QHash<qint64, bool> noticed; // firings claimAlertNotice() was asked about

    // Connections: made so far, and open now.
    std::atomic<int> opened{0};
    std::atomic<int> open{0};

    // While closed, every call waits at the gate; `waiting` counts the calls held there.
    void closeGate();
    void openGate();
    int waiting() const;

    mutable QMutex mutex; // guards the lists and the gate
    QWaitCondition gateOpened;
    bool gateClosed = false;
    int held = 0;
};

// Makes FakeStores on one FakeMergeData: give it to Database(StoreFactory).
StoreFactory fakeStores(std::shared_ptr<FakeMergeData> data);

FailureRow fakeFailure(qint64 id, EpochMs failedAt, const QString &portal, qint64 userId,
                       int modelId, const QString &errorClass);

} // namespace mc::test
