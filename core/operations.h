#pragma once

// Operator actions and what they report back: retry, queue settings, rollout, audit.

#include "failures.h"

#include <QDateTime>

#include <atomic>
#include <functional>
#include <variant>
#include <vector>

namespace mc {

// Who acts. The database user is read from the connection; the OS user comes from the process.
struct Operator
{
    QString osUser;
    static Operator fromEnvironment();
};

struct RetryRequest
{
    std::variant<std::vector<UserKey>, FailureFilter> users; // explicit users or a failures filter
    QString reason;
    Operator by;
    int batchSize = 1000;
};

struct RetryProgress
{
    qint64 total = 0;     // users considered
    qint64 processed = 0; // users decided so far (moved, not failed or not found)
    qint64 moved = 0;
};

// Progress is reported after each committed batch; cancel is checked before each batch, so a
// cancelled run leaves every user either moved (in a committed batch) or untouched.
struct BulkControl
{
    std::function<void(const RetryProgress &)> onProgress;
    const std::atomic_bool *cancel = nullptr;

    bool cancelled() const { return cancel && cancel->load(); }
};

struct UserOutcome
{
    enum class Kind { Moved, NotFailed, NotFound };
    UserKey user;
    Kind kind = Kind::Moved;
    UserStatus statusBefore = UserStatus::Failed; // meaningful for Moved and NotFailed
};

struct RetryReport
{
    qint64 total = 0;
    qint64 moved = 0;
    qint64 notFailed = 0;
    qint64 notFound = 0;
    int batches = 0;
    bool cancelled = false;
    QList<UserOutcome> outcomes; // one per user decided, in processing order
};

struct QueueChange
{
    QString queue;
    std::optional<int> parallelism;
    std::optional<int> runEveryMs;
    std::optional<int> maxAttempts;
    std::optional<bool> paused;
    std::optional<qint64> expectVersion; // refuse with Conflict when the row has moved on
    QString reason;
    Operator by;
};

// Labelling the database (a lead's action, audited).
struct EnvironmentChange
{
    QString name;
    EnvironmentClass environmentClass = EnvironmentClass::Development;
    QString reason;
    Operator by;
};

struct RolloutChange
{
    QString flag;
    QString portal;
    int basisPoints = 0; // 0 … 10000
    std::optional<qint64> expectVersion;
    QString reason;
    Operator by;
};

// Marking failed records ignored or resolved (QA has looked at them and no retry is needed), and
// undoing that. Only records whose resolution actually changes are written and audited.
enum class Resolution { Open, Ignored, Resolved }; // Open: no resolution (undo)
QString resolutionName(Resolution resolution);      // "", "ignored", "resolved"

struct ResolutionChange
{
    std::vector<qint64> failureIds; // at most 10 000 per change
    Resolution to = Resolution::Ignored;
    // For Open (undo): reopen only records whose resolution is this one, so an undo never
    // reopens what somebody else marked meanwhile. Ignored when `to` is not Open.
    std::optional<Resolution> onlyFrom;
    QString reason;
    Operator by;
};

struct ResolutionReport
{
    std::vector<qint64> changed; // ids whose resolution changed: an undo passes these back
    qint64 unchanged = 0;        // already so, retried, or not found
};

// What setting a portal's admission flag to a new percentage would do, counted now.
struct RolloutPreview
{
    QString flag;
    QString portal;
    int currentBasisPoints = 0;
    int newBasisPoints = 0;
    qint64 version = 0;        // of the flag row the preview was counted against
    qint64 newlyAdmitted = 0;  // requested (nil) users in buckets [current, new): admitted next
    qint64 admittedNow = 0;    // users of the portal past nil (pending, in progress, done, failed)
    qint64 inProgressNow = 0;  // users of the portal in_progress now
    qint64 finishedLastHour = 0; // users of the portal completed or failed in the last hour
    qint64 failedLastHour = 0;
    // Lowering a percentage admits no one new, and users already admitted stay admitted:
    // the users in buckets [new, current) that are past nil.
    qint64 staysAdmittedAboveNew = 0;

    bool lowers() const { return newBasisPoints < currentBasisPoints; }
    std::optional<double> failureRateLastHour() const
    {
        if (finishedLastHour == 0)
            return std::nullopt;
        return double(failedLastHour) / double(finishedLastHour);
    }
};

struct AuditEntry
{
    qint64 id = 0;
    EpochMs at = 0;
    QString databaseUser;
    QString osUser;
    QString action; // "retry_users", "set_queue", "set_rollout", "install_schema", …
    QString target;
    QString before; // JSON
    QString after;  // JSON
    QString reason;
};

struct AuditQuery
{
    QString action; // exact, empty for any
    QString actor;  // database or OS user, exact; empty for any
    std::optional<EpochMs> since;
    std::optional<EpochMs> until;
    std::optional<qint64> beforeId; // keyset: entries with a smaller id
    std::optional<qint64> afterId;  // only entries with a larger id (what is new since)
    int limit = 100;
};

struct AuditPage
{
    QList<AuditEntry> entries; // newest first
    std::optional<qint64> nextBeforeId;
};

struct IdMapping
{
    QString model;
    QString sourcePortal;
    qint64 sourceId = 0;
    qint64 targetId = 0;
};

struct UserMigration
{
    UserKey user;
    std::optional<qint64> targetUserId;
    UserStatus status = UserStatus::Nil;
    QString phase; // "serialize", "create" or empty
    int attempts = 0;
    std::optional<EpochMs> requestedAt;
    std::optional<EpochMs> startedAt;
    std::optional<EpochMs> finishedAt;
    std::optional<EpochMs> updatedAt;
    QString lastError;
};

struct UserDossier
{
    UserMigration migration;
    QList<ModelProgress> progress; // per model, users = 1
    QList<FailureRow> failures;    // newest first, at most 500
    QList<IdMapping> mappings;     // at most 1000
};

// One counter that disagrees with the tables it counts (docs/SCHEMA.md, "Counters").
struct CounterDrift
{
    QString counter; // table.column, e.g. "error_groups.unresolved"
    QString key;     // the counter row's key, e.g. "lt/failed" or "3" (a model id)
    qint64 stored = 0; // summed over the key's stripes; 0 when there is no row
    qint64 actual = 0; // COUNT(*) / SUM of the table, by the console's own definitions
};

struct CounterCheck
{
    qint64 keysChecked = 0;     // counter keys compared (present in the counters or the tables)
    QList<CounterDrift> drifts; // empty: every counter is true
    bool repaired = false;      // a repair wrote them back (one audit entry)
};

// An export of failed records with their payloads, as the audit log keeps it.
struct ExportAudit
{
    QString filter;  // in words (FailureFilter::describe)
    qint64 records = 0;
    QString format;  // "csv" or "json"
    Operator by;
};

struct CounterRepair
{
    QString reason;
    Operator by;
};

} // namespace mc
