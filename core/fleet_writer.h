#pragma once

// What the migration's workers write into a merge database: the catalogue (portals, models,
// queues, rollout flags), user migrations and their progress, failed records, id mappings, jobs
// and throughput samples. merge-sim and the tests use it; the console itself never does.

#include "connection_url.h"
#include "domain.h"
#include "failures.h"

#include <memory>
#include <vector>

namespace mc {

struct NewUser
{
    UserKey user;
    UserStatus status = UserStatus::Nil;
    QString phase = QStringLiteral("serialize");
    std::optional<qint64> targetUserId;
    int attempts = 0;
    std::optional<EpochMs> requestedAt; // default: now
    std::optional<EpochMs> startedAt;
    std::optional<EpochMs> finishedAt;
    QString lastError;
};

struct NewFailure
{
    UserKey user;
    int modelId = 0;
    QString recordId;
    QString phase = QStringLiteral("create");
    QByteArray payload;
    QString contentType = QStringLiteral("application/json");
    QString errorClass;
    QString message;
    QString backtrace;
    int attempt = 1;
    std::optional<EpochMs> failedAt; // default: now
};

struct NewSample
{
    EpochMs bucketStart = 0; // a multiple of 10 s
    int modelId = 0;         // 0 for a queue series
    QString queue;           // empty for a model series
    qint64 recordsCreated = 0;
    qint64 recordsFailed = 0;
    qint64 usersStarted = 0;
    qint64 usersCompleted = 0;
    qint64 usersFailed = 0;
    qint64 queueDepth = 0;
    qint64 jobsInProgress = 0;
};

class FleetWriter
{
public:
    // Throws sql::DbError when the server cannot be reached.
    static std::unique_ptr<FleetWriter> open(const ConnectionUrl &url);
    explicit FleetWriter(std::unique_ptr<sql::Connection> connection);
    ~FleetWriter();

    sql::Connection &connection() { return *m_connection; }

    void addPortal(const Portal &portal);
    void addModel(const Model &model);
    void addQueue(const QString &name, int parallelism, int runEveryMs, int maxAttempts);
    void addRolloutFlag(const QString &flag, const QString &portal, int basisPoints);

    void addUsers(const std::vector<NewUser> &users); // multi-row inserts, 500 a statement
    void setUserStatus(const UserKey &user, UserStatus status);
    void setProgress(const UserKey &user, int modelId, qint64 total, qint64 serialized,
                     qint64 created, qint64 failed);
    qint64 addFailure(const NewFailure &failure); // returns the record's id
    void addMapping(int modelId, const UserKey &user, qint64 sourceId, qint64 targetId);
    void addSample(const NewSample &sample);
    // Planner statistics after a bulk load, as a seeding worker does: without them PostgreSQL
    // takes a freshly filled table for an empty one and scans it for every lookup.
    void refreshStatistics();

    qint64 addJob(const QString &queue, const UserKey &user, bool running, int modelId = 0);
    void finishJob(qint64 jobId);

private:
    std::unique_ptr<sql::Connection> m_connection;
};

} // namespace mc
