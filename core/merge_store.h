#pragma once

// The one interface to a merge database. Two implementations (PostgreSQL, MariaDB) behave the
// same; the contract suite in tests/ holds them to it. An instance owns one connection and must be
// used from one thread at a time; long operations take progress and cancel callbacks.

#include "alerts.h"
#include "operations.h"
#include "plans.h"
#include "role_access.h"
#include "store_error.h"

#include <memory>

namespace mc {

struct SchemaStatus
{
    enum class State {
        Empty,     // no tables at all: install will create schema v1
        Current,   // installed at the version this build knows
        Older,     // installed at an older version: upgrade will bring it up to date
        Newer,     // made by a newer build: refused, nothing is changed
        Foreign,   // tables that are not ours: refused, nothing is changed
    };
    State state = State::Empty;
    int installedVersion = 0; // 0 when none
    int knownVersion = 0;     // the newest version this build can install
    QString detail;           // for Newer/Foreign: what was found, in words
};
QString stateName(SchemaStatus::State state);

// Where an install or upgrade is: the script being applied and, for a step that works through
// existing rows (building an index in place), how far it is (total 0: not known).
struct SchemaProgress
{
    int version = 0;
    QString step;
    qint64 done = 0;
    qint64 total = 0;
};
using SchemaProgressFn = std::function<void(const SchemaProgress &)>;

class MergeStore
{
public:
    virtual ~MergeStore() = default;

    virtual Result<ServerInfo> serverInfo() = 0;
    // What the connected login may do: one statement, read once at connect (role_access.h).
    virtual Result<RoleAccess> roleAccess() = 0;

    // Schema: status, install on an empty database, upgrade an older one. Install and upgrade
    // refuse Newer and Foreign databases with SchemaMismatch and change nothing.
    virtual Result<SchemaStatus> schemaStatus() = 0;
    virtual Result<SchemaStatus> installSchema(const Operator &by) = 0;
    virtual Result<SchemaStatus> upgradeSchema(const Operator &by,
                                               const SchemaProgressFn &progress = {}) = 0;

    // Stops, from any thread and even after this store is gone, the statement the store runs at
    // that moment (a slow count or scan); the interrupted call returns Cancelled. It asks the
    // server over a connection of its own, so never call it on the GUI thread.
    virtual std::function<void()> statementCanceller() = 0;

    // Reading. Every read refuses a database whose schema is not Current.
    virtual Result<OverviewSnapshot> overview(const OverviewRequest &request) = 0;
    virtual Result<ThroughputSeries> throughput(const ThroughputQuery &query) = 0;
    // Percentiles of finished − started for users completed in [from, until).
    virtual Result<MigrationTimes> migrationTimes(EpochMs from, EpochMs until) = 0;
    virtual Result<FailurePage> failures(const FailureFilter &filter,
                                         const std::optional<FailureCursor> &after,
                                         int pageSize) = 0;
    virtual Result<qint64> countFailures(const FailureFilter &filter) = 0;
    virtual Result<FailureDetail> failure(qint64 id) = 0;
    // The details of several records in one query (an export reads a page at a time); records
    // deleted meanwhile are missing from the answer, the others come in no particular order.
    virtual Result<QList<FailureDetail>> failureDetails(const QList<qint64> &ids) = 0;
    virtual Result<QList<ErrorGroup>> errorGroups() = 0;
    virtual Result<UserDossier> userDossier(const UserKey &user) = 0;
    // The user migration whose target user id this is; nullopt when none has it.
    virtual Result<std::optional<UserKey>> findUserByTarget(qint64 targetUserId) = 0;
    virtual Result<AuditPage> audit(const AuditQuery &query) = 0;

    // The distinct users a retry by this filter would consider (those still failed).
    virtual Result<qint64> countRetryableUsers(const FailureFilter &filter) = 0;

    // Writing: one transaction per change (per batch for retries) with its audit entry.
    virtual Result<RetryReport> retryUsers(const RetryRequest &request,
                                           const BulkControl &control) = 0;
    virtual Result<QueueState> updateQueue(const QueueChange &change) = 0;
    virtual Result<RolloutFlag> setRollout(const RolloutChange &change) = 0;
    // Labels the database (name and class); serverInfo() reads it back. One row, audited.
    virtual Result<Environment> setEnvironment(const EnvironmentChange &change) = 0;
    // What setRollout(flag, portal, basisPoints) would change, without changing anything.
    virtual Result<RolloutPreview> previewRollout(const QString &flag, const QString &portal,
                                                  int basisPoints) = 0;
    // Ignore / resolve failed records, or reopen them (undo); one transaction with its audit.
    virtual Result<ResolutionReport> setResolution(const ResolutionChange &change) = 0;

    // Writes the audit entry of an export with payloads (export_failures): who, the filter in
    // words and how many records.
    virtual Result<Done> auditExport(const ExportAudit &exported) = 0;

    // Every counter row (stripes summed) against the tables it counts, in one snapshot.
    virtual Result<CounterCheck> verifyCounters() = 0;
    // Recomputes the counters that drifted, in one transaction with one audit entry (before →
    // after); writers of the counted tables wait meanwhile. No drift: nothing is written.
    virtual Result<CounterCheck> repairCounters(const CounterRepair &repair) = 0;

    // Guarded plans (plans.h, 006_guarded_plans.sql). Creating and changing one is the lead's:
    // the server refuses other roles. A retry plan fixes the filter's failed users when it is
    // made; NothingToChange when there are none.
    virtual Result<Plan> createRetryPlan(const RetryPlanRequest &request)
    {
        return noPlansHere<Plan>(request.reason);
    }
    virtual Result<Plan> createRampPlan(const RampPlanRequest &request)
    {
        return noPlansHere<Plan>(request.reason);
    }
    // Newest first (at most 200); without samples.
    virtual Result<QList<Plan>> plans() { return noPlansHere<QList<Plan>>({}); }
    // One plan with its samples; NotFound when there is none.
    virtual Result<Plan> plan(qint64 id) { return noPlansHere<Plan>(QString::number(id)); }
    // Pause (running, holding), resume (paused, halted), cancel (any but done and cancelled):
    // one transaction with its audit entry; Conflict when the plan's state does not allow it.
    virtual Result<Plan> changePlan(const PlanChange &change)
    {
        return noPlansHere<Plan>(change.reason);
    }
    // Takes (or confirms) the database's one executor lock on this store's connection: true when
    // this connection holds it, false when another does. The lock ends with the connection.
    virtual Result<bool> claimPlanExecutor() { return noPlansHere<bool>({}); }
    // Gives the lock up (a console whose operator stopped executing plans); no-op when not held.
    virtual Result<Done> releasePlanExecutor() { return noPlansHere<Done>({}); }
    // One pass of the executor over every active plan: per plan at most one batch of moves, one
    // raise, one judgement, each in one transaction with its audit entries. Conflict when this
    // connection does not hold the executor lock.
    virtual Result<QList<PlanAdvance>> advancePlans(const PlanPace &pace)
    {
        return noPlansHere<QList<PlanAdvance>>(pace.by.osUser);
    }

    // Alerts (alerts.h, 007_alerts.sql). The rules with their alerts' states, what the rules read
    // (counters and the recent queue samples, never the user tables) and the latest firings, in
    // one round trip.
    virtual Result<AlertsSnapshot> alerts(const AlertsRequest &request) = 0;
    // Records the transitions an evaluator found (one round trip); each is applied only if its
    // alert is still at the version read (`applied` says which), so two evaluators record one.
    virtual Result<QList<AlertTransition>> recordAlertTransitions(
        const QList<AlertTransition> &transitions) = 0;
    // A lead's change of a rule (create, edit, disable, mute), audited; the rule as stored.
    virtual Result<AlertRule> setAlertRule(const AlertRuleChange &change) = 0;
    // True when this login had not been notified of the firing yet (and now is recorded as such).
    virtual Result<bool> claimAlertNotice(qint64 firingId) = 0;

private:
    template<typename T>
    static Result<T> noPlansHere(const QString &)
    {
        return StoreError::make(StoreError::Kind::InvalidInput,
                                QStringLiteral("This store keeps no guarded plans."));
    }
};

// Opens a store for a URL: postgresql://, postgres://, mysql:// or mariadb://
// (user:password@host:port/database?option=value).
Result<std::unique_ptr<MergeStore>> openStore(const QString &url);

} // namespace mc
