#include "json_views.h"

#include "text_format.h"

#include <QJsonArray>
#include <QJsonDocument>

#include <cmath>

namespace mc::cli {

QJsonValue jsonTime(const std::optional<EpochMs> &ms)
{
    return ms ? QJsonValue(isoTime(*ms)) : QJsonValue(QJsonValue::Null);
}

QJsonValue jsonNumber(qint64 number)
{
    return QJsonValue(number);
}

QJsonObject toJson(const SchemaStatus &status)
{
    return {{QStringLiteral("state"), stateName(status.state)},
            {QStringLiteral("installed_version"), status.installedVersion},
            {QStringLiteral("known_version"), status.knownVersion},
            {QStringLiteral("detail"), status.detail}};
}

QJsonObject toJson(const ModelProgress &model)
{
    const double done = model.recordsTotal > 0
                            ? double(model.created) * 100.0 / double(model.recordsTotal)
                            : 0.0;
    return {{QStringLiteral("id"), model.modelId},
            {QStringLiteral("name"), model.model},
            {QStringLiteral("migration_order"), model.migrationOrder},
            {QStringLiteral("users"), jsonNumber(model.users)},
            {QStringLiteral("records_total"), jsonNumber(model.recordsTotal)},
            {QStringLiteral("serialized"), jsonNumber(model.serialized)},
            {QStringLiteral("created"), jsonNumber(model.created)},
            {QStringLiteral("failed"), jsonNumber(model.failed)},
            {QStringLiteral("done_percent"), std::round(done * 100.0) / 100.0}};
}

QJsonObject toJson(const QueueState &queue)
{
    return {{QStringLiteral("name"), queue.name},
            {QStringLiteral("parallelism"), queue.parallelism},
            {QStringLiteral("run_every_ms"), queue.runEveryMs},
            {QStringLiteral("max_attempts"), queue.maxAttempts},
            {QStringLiteral("paused"), queue.paused},
            {QStringLiteral("depth"), jsonNumber(queue.depth)},
            {QStringLiteral("in_progress"), jsonNumber(queue.inProgress)},
            {QStringLiteral("version"), jsonNumber(queue.version)},
            {QStringLiteral("updated_at"), jsonTime(queue.updatedAt)},
            {QStringLiteral("updated_by"), queue.updatedBy}};
}

QJsonObject toJson(const RolloutFlag &flag)
{
    return {{QStringLiteral("flag"), flag.flag},
            {QStringLiteral("portal"), flag.portal},
            {QStringLiteral("percent"), flag.basisPoints / 100.0},
            {QStringLiteral("basis_points"), flag.basisPoints},
            {QStringLiteral("version"), jsonNumber(flag.version)},
            {QStringLiteral("updated_at"), jsonTime(flag.updatedAt)},
            {QStringLiteral("updated_by"), flag.updatedBy}};
}

QJsonObject toJson(const ThroughputPoint &point)
{
    return {{QStringLiteral("bucket_start"), isoTime(point.bucketStart)},
            {QStringLiteral("model"), point.model},
            {QStringLiteral("queue"), point.queue},
            {QStringLiteral("records_created"), jsonNumber(point.recordsCreated)},
            {QStringLiteral("records_failed"), jsonNumber(point.recordsFailed)},
            {QStringLiteral("users_started"), jsonNumber(point.usersStarted)},
            {QStringLiteral("users_completed"), jsonNumber(point.usersCompleted)},
            {QStringLiteral("users_failed"), jsonNumber(point.usersFailed)},
            {QStringLiteral("queue_depth"), jsonNumber(point.queueDepth)},
            {QStringLiteral("jobs_in_progress"), jsonNumber(point.jobsInProgress)}};
}

QJsonObject toJson(const FailureRow &row)
{
    return {{QStringLiteral("id"), jsonNumber(row.id)},
            {QStringLiteral("failed_at"), isoTime(row.failedAt)},
            {QStringLiteral("user"), row.user.toString()},
            {QStringLiteral("portal"), row.user.portal},
            {QStringLiteral("user_id"), jsonNumber(row.user.userId)},
            {QStringLiteral("model_id"), row.modelId},
            {QStringLiteral("model"), row.model},
            {QStringLiteral("record_id"), row.recordId},
            {QStringLiteral("phase"), row.phase},
            {QStringLiteral("error_class"), row.errorClass},
            {QStringLiteral("message_excerpt"), row.messageExcerpt},
            {QStringLiteral("attempt"), row.attempt},
            {QStringLiteral("payload_size"), jsonNumber(row.payloadSize)},
            {QStringLiteral("resolution"),
             row.resolution.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(row.resolution)}};
}

QJsonObject toJson(const FailureDetail &detail)
{
    QJsonObject object = toJson(detail.row);
    object.insert(QStringLiteral("message"), detail.message);
    object.insert(QStringLiteral("backtrace"), detail.backtrace);
    object.insert(QStringLiteral("content_type"), detail.contentType);
    object.insert(QStringLiteral("fingerprint"), detail.fingerprint);
    object.insert(QStringLiteral("resolved_by"), detail.resolvedBy);
    object.insert(QStringLiteral("resolved_at"), jsonTime(detail.resolvedAt));
    object.insert(QStringLiteral("payload_base64"), QString::fromLatin1(detail.payload.toBase64()));
    return object;
}

QJsonObject toJson(const ErrorGroup &group)
{
    return {{QStringLiteral("fingerprint"), group.fingerprint},
            {QStringLiteral("error_class"), group.errorClass},
            {QStringLiteral("message_pattern"), group.messagePattern},
            {QStringLiteral("failures"), jsonNumber(group.failures)},
            {QStringLiteral("unresolved"), jsonNumber(group.unresolved)},
            {QStringLiteral("first_seen"), isoTime(group.firstSeen)},
            {QStringLiteral("last_seen"), isoTime(group.lastSeen)},
            {QStringLiteral("models"), QJsonArray::fromStringList(group.models)}};
}

QJsonObject toJson(const UserMigration &migration)
{
    return {{QStringLiteral("user"), migration.user.toString()},
            {QStringLiteral("portal"), migration.user.portal},
            {QStringLiteral("user_id"), jsonNumber(migration.user.userId)},
            {QStringLiteral("target_user_id"),
             migration.targetUserId ? QJsonValue(*migration.targetUserId)
                                    : QJsonValue(QJsonValue::Null)},
            {QStringLiteral("status"), statusName(migration.status)},
            {QStringLiteral("phase"), migration.phase},
            {QStringLiteral("attempts"), migration.attempts},
            {QStringLiteral("requested_at"), jsonTime(migration.requestedAt)},
            {QStringLiteral("started_at"), jsonTime(migration.startedAt)},
            {QStringLiteral("finished_at"), jsonTime(migration.finishedAt)},
            {QStringLiteral("updated_at"), jsonTime(migration.updatedAt)},
            {QStringLiteral("last_error"), migration.lastError}};
}

QJsonObject toJson(const IdMapping &mapping)
{
    return {{QStringLiteral("model"), mapping.model},
            {QStringLiteral("source_portal"), mapping.sourcePortal},
            {QStringLiteral("source_id"), jsonNumber(mapping.sourceId)},
            {QStringLiteral("target_id"), jsonNumber(mapping.targetId)}};
}

namespace {

// before/after are stored as JSON text: give scripts the object itself.
QJsonValue embeddedJson(const QString &text)
{
    const QJsonDocument document = QJsonDocument::fromJson(text.toUtf8());
    if (document.isObject())
        return document.object();
    if (document.isArray())
        return document.array();
    return text.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(text);
}

} // namespace

QJsonObject toJson(const AuditEntry &entry)
{
    return {{QStringLiteral("id"), jsonNumber(entry.id)},
            {QStringLiteral("at"), isoTime(entry.at)},
            {QStringLiteral("database_user"), entry.databaseUser},
            {QStringLiteral("os_user"), entry.osUser},
            {QStringLiteral("action"), entry.action},
            {QStringLiteral("target"), entry.target},
            {QStringLiteral("before"), embeddedJson(entry.before)},
            {QStringLiteral("after"), embeddedJson(entry.after)},
            {QStringLiteral("reason"), entry.reason}};
}

QString outcomeName(UserOutcome::Kind kind)
{
    switch (kind) {
    case UserOutcome::Kind::Moved: return QStringLiteral("moved");
    case UserOutcome::Kind::NotFailed: return QStringLiteral("not_failed");
    case UserOutcome::Kind::NotFound: return QStringLiteral("not_found");
    }
    return QString();
}

QJsonObject toJson(const UserOutcome &outcome)
{
    QJsonObject object{{QStringLiteral("user"), outcome.user.toString()},
                       {QStringLiteral("outcome"), outcomeName(outcome.kind)}};
    object.insert(QStringLiteral("status_before"),
                  outcome.kind == UserOutcome::Kind::NotFound
                      ? QJsonValue(QJsonValue::Null)
                      : QJsonValue(statusName(outcome.statusBefore)));
    return object;
}

} // namespace mc::cli
