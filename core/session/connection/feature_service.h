#pragma once

// What a view talks to instead of the store: a feature service chooses the store calls, runs them
// on the console's interactive (or bulk) connection and hands results back on the GUI thread to
// a receiver, dropped if the receiver is gone. Each feature (failures, users, controls, audit)
// has one, made on the console's Database.

#include "merge_store.h"

#include <QObject>

#include <functional>

namespace mc {

class Database;
class StoreRunner;

template<typename T>
using Reply = std::function<void(const Result<T> &)>;

class FeatureService : public QObject
{
    Q_OBJECT

public:
    explicit FeatureService(Database *database, QObject *parent = nullptr);

    bool isConnected() const;
    Database *database() const { return m_database; }
    // For item models that page through results (the failure table, the audit log).
    StoreRunner *runner() const;
    StoreRunner *bulkRunner() const;

    // The overview with its latest throughput buckets (0: the settings tables alone).
    void readOverview(QObject *receiver, int latestBuckets, Reply<OverviewSnapshot> reply);
    // The catalogue from the small settings tables: models, portals and their rollout flags.
    void readCatalogue(QObject *receiver, Reply<OverviewSnapshot> reply)
    {
        readOverview(receiver, 0, std::move(reply));
    }

signals:
    void connectionChanged(bool connected); // a database was opened or closed

protected:
    template<typename T>
    void call(QObject *receiver, std::function<Result<T>(MergeStore &)> work, Reply<T> reply);
    template<typename T>
    void callBulk(QObject *receiver, std::function<Result<T>(MergeStore &)> work, Reply<T> reply);

private:
    Database *m_database;
};

// Newest request wins: each request takes a ticket, and a reply is shown only while its ticket
// is the newest. Views keep one per kind of request instead of a counter each.
class NewestWins
{
public:
    quint64 next() { return ++m_newest; }
    bool isNewest(quint64 ticket) const { return ticket == m_newest; }
    void forget() { ++m_newest; } // replies on their way are stale from now on

    // Takes a ticket and wraps reply so it runs only if that ticket is still the newest.
    template<typename T>
    Reply<T> latest(Reply<T> reply)
    {
        return [this, ticket = next(), reply = std::move(reply)](const Result<T> &result) {
            if (isNewest(ticket))
                reply(result);
        };
    }

private:
    quint64 m_newest = 0;
};

} // namespace mc
