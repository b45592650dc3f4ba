#pragma once

// Domain values as JSON for scripts: snake_case keys that stay stable, numbers as numbers, times
// as ISO-8601 UTC strings (null when unknown).

#include "merge_store.h"

#include <QJsonObject>
#include <QJsonValue>

namespace mc::cli {

QJsonValue jsonTime(const std::optional<EpochMs> &ms);
QJsonValue jsonNumber(qint64 number); // exact up to 2^53, which counts never reach

QJsonObject toJson(const SchemaStatus &status);
QJsonObject toJson(const ModelProgress &model);
QJsonObject toJson(const QueueState &queue);
QJsonObject toJson(const RolloutFlag &flag);
QJsonObject toJson(const ThroughputPoint &point);
QJsonObject toJson(const FailureRow &row);
QJsonObject toJson(const FailureDetail &detail); // payload as base64
QJsonObject toJson(const ErrorGroup &group);
QJsonObject toJson(const UserMigration &migration);
QJsonObject toJson(const IdMapping &mapping);
QJsonObject toJson(const AuditEntry &entry);
QJsonObject toJson(const UserOutcome &outcome);

QString outcomeName(UserOutcome::Kind kind); // "moved", "not_failed", "not_found"

} // namespace mc::cli
