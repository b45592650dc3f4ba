#include "overview_kpis.h"

#include "time_range.h"

#include <QObject>

#include <cmath>

namespace mc {

namespace {

constexpr qint64 kRateWindowMs = 60'000;

} // namespace

OverviewKpis computeKpis(const OverviewSnapshot &snapshot, const MigrationTimes &times)
{
    OverviewKpis k;
    k.timedUsers = times.users;
    k.p50Ms = times.p50Ms;
    k.p95Ms = times.p95Ms;
    k.p99Ms = times.p99Ms;
    k.requested = snapshot.totalUsers();
    k.notStarted = snapshot.users(UserStatus::Nil);
    k.pending = snapshot.users(UserStatus::Pending);
    k.inProgress = snapshot.users(UserStatus::InProgress);
    k.completed = snapshot.users(UserStatus::Completed);
    k.failed = snapshot.users(UserStatus::Failed);
    if (k.completed + k.failed > 0)
        k.failureRate = double(k.failed) / double(k.completed + k.failed);

    const EpochMs windowEnd = alignDown(snapshot.takenAt - kSampleWriteLagMs, kBaseBucketMs);
    const EpochMs windowStart = windowEnd - kRateWindowMs;
    qint64 completedInWindow = 0;
    for (const ThroughputPoint &p : snapshot.latestThroughput)
        if (p.bucketStart >= windowStart && p.bucketStart < windowEnd)
            completedInWindow += p.usersCompleted;
    k.completedPerMinute = double(completedInWindow) * 60'000.0 / double(kRateWindowMs);

    k.backlog = k.pending + k.inProgress;
    if (k.backlog == 0)
        k.etaSeconds = 0;
    else if (k.completedPerMinute > 0)
        k.etaSeconds = qint64(std::ceil(double(k.backlog) / k.completedPerMinute * 60.0));
    return k;
}

QStringList impossibleFigures(const OverviewSnapshot &snapshot)
{
    QStringList figures;
    auto check = [&figures](const QString &what, qint64 value) {
        if (value < 0)
            figures << QStringLiteral("%1: %2").arg(what).arg(value);
    };
    for (const StatusCount &count : snapshot.usersByStatus)
        check(QStringLiteral("%1 users").arg(statusName(count.status)), count.users);
    for (const ModelProgress &m : snapshot.models) {
        check(m.model + QStringLiteral(" users"), m.users);
        check(m.model + QStringLiteral(" records total"), m.recordsTotal);
        check(m.model + QStringLiteral(" serialised"), m.serialized);
        check(m.model + QStringLiteral(" created"), m.created);
        check(m.model + QStringLiteral(" failed"), m.failed);
    }
    for (const QueueState &q : snapshot.queues) {
        check(q.name + QStringLiteral(" queue depth"), q.depth);
        check(q.name + QStringLiteral(" jobs in progress"), q.inProgress);
    }
    return figures;
}

QString counterDriftText(const QStringList &figures)
{
    return QObject::tr("Counter drift: %1. A counter no longer matches its table; Tools ▸ Verify "
                       "Counters… finds and repairs it.")
        .arg(figures.join(QStringLiteral(", ")));
}

} // namespace mc
