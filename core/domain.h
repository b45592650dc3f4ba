#pragma once

// Domain types of the merge database, named by the vocabulary of DESIGN.md. Plain values: cheap to
// copy across threads, no behaviour beyond small helpers.

#include "environment.h"

#include <QByteArray>
#include <QList>
#include <QString>
#include <QtGlobal>

#include <optional>

namespace mc {

using EpochMs = qint64; // UTC milliseconds since 1970-01-01

enum class UserStatus { Nil, Pending, InProgress, Completed, Failed };
inline constexpr UserStatus kAllUserStatuses[] = {UserStatus::Nil, UserStatus::Pending,
                                                 UserStatus::InProgress, UserStatus::Completed,
                                                 UserStatus::Failed};
QString statusName(UserStatus status); // "nil", "pending", …, as stored
std::optional<UserStatus> statusFromName(const QString &name);

// One user at one source portal: the key of every per-user table.
struct UserKey
{
    QString portal;
    qint64 userId = 0;

    QString toString() const; // "lt:12345"
    static std::optional<UserKey> parse(const QString &text);
    friend bool operator==(const UserKey &, const UserKey &) = default;
};

struct Portal
{
    QString code;
    QString name;
    QString role; // "source" or "target"
};

struct Model
{
    int id = 0;
    QString name;
    int migrationOrder = 0;
    QString consent;          // consent the user must have given, empty for none
    QString queryScope;       // human description of which records are migrated
    QStringList skipPortals;  // portals that do not migrate this model
    QString throughputClass;  // "high" or "low"
};

struct StatusCount
{
    UserStatus status = UserStatus::Nil;
    qint64 users = 0;
};

struct ModelProgress
{
    int modelId = 0;
    QString model;
    int migrationOrder = 0;
    qint64 users = 0; // user migrations with a progress row for this model
    qint64 recordsTotal = 0;
    qint64 serialized = 0;
    qint64 created = 0;
    qint64 failed = 0;
};

struct QueueState
{
    QString name;
    int parallelism = 0;
    int runEveryMs = 0;
    int maxAttempts = 0;
    bool paused = false;
    qint64 version = 0;
    qint64 depth = 0;      // jobs waiting
    qint64 inProgress = 0; // jobs claimed by a worker
    std::optional<EpochMs> updatedAt;
    QString updatedBy;
};

struct RolloutFlag
{
    QString flag;
    QString portal;
    int basisPoints = 0; // percentage × 100: 1234 means 12.34 %
    qint64 version = 0;
    std::optional<EpochMs> updatedAt;
    QString updatedBy;

    double percentage() const { return basisPoints / 100.0; }
};

// One time bucket of one series. A series is either a model (queue empty) or a queue (model empty).
struct ThroughputPoint
{
    EpochMs bucketStart = 0;
    QString model;
    QString queue;
    qint64 recordsCreated = 0;
    qint64 recordsFailed = 0;
    qint64 usersStarted = 0;
    qint64 usersCompleted = 0;
    qint64 usersFailed = 0;
    qint64 queueDepth = 0;     // gauge: the bucket's maximum
    qint64 jobsInProgress = 0; // gauge: the bucket's maximum
};

struct ThroughputQuery
{
    EpochMs from = 0;
    EpochMs until = 0;        // exclusive
    int resolutionSeconds = 60; // server-side bucket width; a multiple of the base bucket
};

struct ThroughputSeries
{
    ThroughputQuery query;
    QList<ThroughputPoint> points; // ordered by bucketStart, then model, then queue
};

// Whether the connection is encrypted (as the server reports it) and whether the client checked
// the server's certificate against a CA (a verify mode was asked for, and connecting succeeded).
struct TlsState
{
    bool enabled = false;
    bool verified = false;
};
// "verified", "encrypted, not verified" or "not encrypted": the words every view uses.
QString tlsDescription(const TlsState &tls);

struct ServerInfo
{
    QString backend;       // "postgresql" or "mariadb"
    QString serverVersion; // as the server reports it
    QString database;
    QString databaseUser;
    TlsState tls;
    Environment environment; // what the database says it is, read at connect
};

struct OverviewSnapshot
{
    EpochMs takenAt = 0; // server clock
    QList<StatusCount> usersByStatus; // every status, zeros included
    QList<ModelProgress> models; // in migration order
    QList<QueueState> queues;
    QList<RolloutFlag> rollout;
    QList<ThroughputPoint> latestThroughput; // the latest base buckets, all series

    qint64 users(UserStatus status) const;
    qint64 totalUsers() const;
};

// How long single users took from start to completion, over the users completed in a range.
struct MigrationTimes
{
    qint64 users = 0; // completed in the range with a start time
    std::optional<qint64> p50Ms;
    std::optional<qint64> p95Ms;
    std::optional<qint64> p99Ms;
};

struct OverviewRequest
{
    int latestBuckets = 6; // how many of the newest base buckets to include
};

} // namespace mc
