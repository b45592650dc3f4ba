#pragma once

// The MergeStore implementation shared by both backends. Queries are written once with portable
// SQL and the tokens of sql::Connection; the few dialect differences live in small helpers here.
// PostgresStore and MariaDbStore (postgres_store.cpp, mariadb_store.cpp) choose the driver.

#include "connection_url.h"
#include "merge_store.h"

#include <QMap>

#include <functional>

namespace mc {

class SqlMergeStore : public MergeStore
{
public:
    explicit SqlMergeStore(ConnectionUrl url);
    ~SqlMergeStore() override;

    // Connects now, so that a wrong URL or an unreachable server is reported at once.
    Result<Done> connect();

    Result<ServerInfo> serverInfo() override;
    Result<RoleAccess> roleAccess() override;
    Result<SchemaStatus> schemaStatus() override;
    Result<SchemaStatus> installSchema(const Operator &by) override;
    Result<SchemaStatus> upgradeSchema(const Operator &by,
                                       const SchemaProgressFn &progress = {}) override;
    std::function<void()> statementCanceller() override;

    Result<OverviewSnapshot> overview(const OverviewRequest &request) override;
    Result<ThroughputSeries> throughput(const ThroughputQuery &query) override;
    Result<MigrationTimes> migrationTimes(EpochMs from, EpochMs until) override;
    Result<FailurePage> failures(const FailureFilter &filter,
                                 const std::optional<FailureCursor> &after,
                                 int pageSize) override;
    Result<qint64> countFailures(const FailureFilter &filter) override;
    Result<FailureDetail> failure(qint64 id) override;
    Result<QList<FailureDetail>> failureDetails(const QList<qint64> &ids) override;
    Result<QList<ErrorGroup>> errorGroups() override;
    Result<UserDossier> userDossier(const UserKey &user) override;
    Result<AuditPage> audit(const AuditQuery &query) override;
    Result<qint64> countRetryableUsers(const FailureFilter &filter) override;

    Result<RetryReport> retryUsers(const RetryRequest &request,
                                   const BulkControl &control) override;
    Result<QueueState> updateQueue(const QueueChange &change) override;
    Result<RolloutFlag> setRollout(const RolloutChange &change) override;
    Result<Environment> setEnvironment(const EnvironmentChange &change) override;
    Result<RolloutPreview> previewRollout(const QString &flag, const QString &portal,
                                          int basisPoints) override;
    Result<ResolutionReport> setResolution(const ResolutionChange &change) override;
    Result<std::optional<UserKey>> findUserByTarget(qint64 targetUserId) override;
    Result<Done> auditExport(const ExportAudit &exported) override;
    Result<CounterCheck> verifyCounters() override;
    Result<CounterCheck> repairCounters(const CounterRepair &repair) override;
    Result<Plan> createRetryPlan(const RetryPlanRequest &request) override;
    Result<Plan> createRampPlan(const RampPlanRequest &request) override;
    Result<QList<Plan>> plans() override;
    Result<Plan> plan(qint64 id) override;
    Result<Plan> changePlan(const PlanChange &change) override;
    Result<bool> claimPlanExecutor() override;
    Result<Done> releasePlanExecutor() override;
    Result<QList<PlanAdvance>> advancePlans(const PlanPace &pace) override;
    Result<AlertsSnapshot> alerts(const AlertsRequest &request) override;
    Result<QList<AlertTransition>> recordAlertTransitions(
        const QList<AlertTransition> &transitions) override;
    Result<AlertRule> setAlertRule(const AlertRuleChange &change) override;
    Result<bool> claimAlertNotice(qint64 firingId) override;

protected:
    // The driver: PostgresStore (libpqxx) and MariaDbStore (Connector/C++) provide it.
    virtual std::unique_ptr<sql::Connection> openConnection(
        const sql::ConnectionSettings &settings) = 0;

private:
    enum class Need { Connection, CurrentSchema };

    // Runs body with a live connection, turning driver errors into StoreError values. With
    // Need::CurrentSchema the schema must be installed at the version this build knows.
    template<typename T>
    Result<T> run(Need need, const std::function<T(sql::Connection &)> &body);

    sql::Connection &connection();
    // Session set-up, once per connection and in as few round trips as the protocols allow
    // (issue 18): one batch, plus the schema version when there is a schema.
    void openSession(sql::Connection &c);
    QString databaseUser();
    static QString tlsSql(sql::Backend backend);
    TlsState tlsState(const sql::Rows &rows) const;
    Environment readEnvironment(sql::Connection &c);
    void writeAudit(sql::Connection &c, const Operator &by, const QString &action,
                    const QString &target, const QString &before, const QString &after,
                    const QString &reason);
    // The audit entry's INSERT, to send in a batch with the change it records.
    sql::Statement auditStatement(const Operator &by, const QString &action,
                                  const QString &target, const QString &before,
                                  const QString &after, const QString &reason);
    std::vector<UserKey> retryableUsers(sql::Connection &c, const FailureFilter &filter);
    static QString retryableUsersSql(const FailureFilter &filter, sql::Backend backend,
                                     QVariantList &params);
    // The call of mc_retry_users (004_roles.sql) for users of one portal, and what it found
    // (user id → status before) from the last statement's rows; the caller's transaction.
    static std::vector<sql::Statement> retryStatements(sql::Backend backend,
                                                       const QString &portal,
                                                       const std::vector<qint64> &ids,
                                                       const QString &reason, const Operator &by);
    static QMap<qint64, UserStatus> retryFound(const sql::Rows &rows);
    void retryBatch(sql::Connection &c, const QString &portal, const std::vector<qint64> &ids,
                    const RetryRequest &request, RetryReport &report);
    QueueState readQueue(sql::Connection &c, const QString &name, bool forUpdate);
    static sql::Statement queueStatement(const QString &name, bool forUpdate);
    static QueueState queueOf(const sql::Rows &rows, const QString &name);
    RolloutFlag readRollout(sql::Connection &c, const QString &flag, const QString &portal,
                            bool forUpdate);
    QString changedBy(const Operator &by);
    // Guarded plans (store_plans.cpp, store_plan_steps.cpp).
    Plan readPlan(sql::Connection &c, qint64 id, bool forUpdate, EpochMs *now = nullptr);
    // The failure rate (basis points) of the users that finished in the hour before now (of one
    // portal, when given); nullopt when none finished.
    std::optional<int> hourBeforeRate(sql::Connection &c, const QString &portal);
    PlanAdvance advancePlan(sql::Connection &c, qint64 id, const PlanPace &pace);
    PlanFigures judgePlan(sql::Connection &c, Plan &plan);
    PlanAdvance moveRetryBatch(sql::Connection &c, Plan &plan, EpochMs now, const PlanPace &pace);
    PlanAdvance raiseRamp(sql::Connection &c, Plan &plan, const PlanPace &pace);
    PlanAdvance haltPlan(sql::Connection &c, Plan &plan, const PlanPace &pace,
                         const QString &why);
    void writePlanState(sql::Connection &c, const Plan &plan, const Operator &by);
    QString lastChangeOf(sql::Connection &c, const QString &action, const QString &target);

    struct ServerSession; // the server's id of the connection, for statementCanceller()

    ConnectionUrl m_url;
    std::unique_ptr<sql::Connection> m_connection;
    std::shared_ptr<ServerSession> m_session;
    QString m_databaseUser;
    QString m_serverVersion;
    std::optional<SchemaStatus> m_sessionSchema; // as openSession() found it, until used
    TlsState m_tls;                                   // as openSession() found it
    std::optional<Environment> m_sessionEnvironment; // as openSession() found it, until used
    bool m_schemaChecked = false;
};

class Where;
// Adds the conditions of a failures filter on table alias f.
void appendFailureFilter(const FailureFilter &filter, sql::Backend backend, Where &where,
                         QVariantList &params);
// A failed record (alias f) nobody has resolved: no resolution and not retried since it failed.
QString openFailureCondition();
// The record's user was retried after it failed: it counts as resolved 'retried'.
QString ownerRetriedCondition();
// The query of one failures page (limit rows after the cursor), as the store runs it; bench/
// times the same text with the database's own client. searchLeads: see failure_search.h.
QString failurePageSql(const FailureFilter &filter, sql::Backend backend,
                       const QStringList &searchLeads, const std::optional<FailureCursor> &after,
                       int limit, QVariantList &params);
// The exact count of a filter by reading the records (countFailures answers filters without
// time, portal or text from the error-group counters instead).
QString failureCountSql(const FailureFilter &filter, sql::Backend backend,
                        const QStringList &searchLeads, QVariantList &params);

// The statements of one alert read (MergeStore::alerts), as the store sends them in one batch;
// bench/ times the same text with the database's own client.
QStringList alertsReadSql(sql::Backend backend, int historyLimit);

} // namespace mc
