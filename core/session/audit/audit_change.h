#pragma once

// The one way audit entries are written for people: who did it, and each before → after value.
// The Audit view (table cell, tooltip, detail), the status-bar notices (audit_notice) and the
// chart markers (operator_markers) all use it, so one change reads the same wherever it shows.
// The states are JSON objects written by core; anything else is shown as it is.

#include "operations.h"

#include <QJsonObject>

#include <optional>

namespace mc {

// "bob (db: lead)"; the database user alone when no OS user was recorded or both are the same.
QString auditActor(const AuditEntry &entry);

// One value of a state: yes/no, 8, 5.00, a name; "—" for none; a list by its few short names
// ("lt:1, lt:2") or its length ("250 listed"); "{…}" for a nested object.
QString auditValueText(const QJsonValue &value);
// A queue setting as people say it: "max attempts", "run every (ms)"; other keys as they are.
QString auditSettingName(const QString &key);

// The JSON object of a state; empty text is an empty object; nullopt when it is not an object.
std::optional<QJsonObject> auditState(const QString &json);

struct AuditValueChange
{
    QString key;
    std::optional<QJsonValue> before; // nullopt: not in the before state
    std::optional<QJsonValue> after;  // nullopt: not in the after state
};
// The keys whose values differ, in the after state's order, then those only before.
QList<AuditValueChange> auditValueChanges(const QJsonObject &before, const QJsonObject &after);
// "max attempts 3 → 5", "version 1" (new), "a 1 → —" (gone).
QString auditChangeText(const AuditValueChange &change);

// "parallelism 4 → 8; users lt:1, lt:2", clipped to maxLength with "…"; "no change".
QString compactChange(const QString &before, const QString &after, int maxLength = 120);
// The JSON indented for reading, or the text itself when it is not JSON.
QString readableJson(const QString &text);

} // namespace mc
