#include "fake_store.h"

#include <algorithm>

namespace mc::test {

void FakeMergeData::closeGate()
{
    QMutexLocker lock(&mutex);
    gateClosed = true;
}

void FakeMergeData::openGate()
{
    QMutexLocker lock(&mutex);
    gateClosed = false;
    gateOpened.wakeAll();
}

int FakeMergeData::waiting() const
{
    QMutexLocker lock(&mutex);
    return held;
}

FailureRow fakeFailure(qint64 id, EpochMs failedAt, const QString &portal, qint64 userId,
                       int modelId, const QString &errorClass)
{
    FailureRow row;
    row.id = id;
    row.failedAt = failedAt;
    row.user = UserKey{portal, userId};
    row.modelId = modelId;
    row.model = QStringLiteral("model%1").arg(modelId);
    row.errorClass = errorClass;
    row.messageExcerpt = QStringLiteral("failure %1").arg(id);
    return row;
}

namespace {

StoreError unsupported()
{
    return StoreError::make(StoreError::Kind::Database,
                            QStringLiteral("The in-memory test store does not do this."));
}

bool matches(const FailureRow &row, const FailureFilter &filter)
{
    return (!filter.modelId || row.modelId == *filter.modelId)
           && (filter.errorClass.isEmpty() || row.errorClass == filter.errorClass)
           && (filter.portal.isEmpty() || row.user.portal == filter.portal)
           && (filter.includeResolved || row.resolution.isEmpty());
}

bool newerFirst(const FailureRow &a, const FailureRow &b)
{
    return a.failedAt != b.failedAt ? a.failedAt > b.failedAt : a.id > b.id;
}

class FakeStore : public MergeStore
{
public:
    explicit FakeStore(std::shared_ptr<FakeMergeData> data) : m_data(std::move(data))
    {
        ++m_data->opened;
        ++m_data->open;
    }
    ~FakeStore() override { --m_data->open; }

    Result<ServerInfo> serverInfo() override
    {
        QMutexLocker lock = pass();
        ServerInfo info;
        info.backend = QStringLiteral("fake");
        info.serverVersion = QStringLiteral("1");
        info.database = QStringLiteral("merge");
        info.databaseUser = QStringLiteral("tester");
        info.environment = m_data->environment;
        return info;
    }
    Result<Done> auditExport(const ExportAudit &exported) override
    {
        QMutexLocker lock = pass();
        AuditEntry entry;
        entry.action = QStringLiteral("export_failures");
        entry.target = QStringLiteral("%1 failed records").arg(exported.records);
        entry.after = exported.filter;
        m_data->audit.append(entry);
        return Done{};
    }
    Result<Environment> setEnvironment(const EnvironmentChange &change) override
    {
        QMutexLocker lock = pass();
        Environment &environment = m_data->environment;
        environment.known = true;
        environment.name = change.name;
        environment.environmentClass = change.environmentClass;
        ++environment.version;
        return environment;
    }
    Result<RoleAccess> roleAccess() override
    {
        QMutexLocker lock = pass();
        return m_data->access;
    }
    Result<SchemaStatus> schemaStatus() override { return current(); }
    Result<SchemaStatus> installSchema(const Operator &) override { return current(); }
    Result<SchemaStatus> upgradeSchema(const Operator &, const SchemaProgressFn &) override
    {
        return current();
    }
    std::function<void()> statementCanceller() override { return [] {}; }

    Result<OverviewSnapshot> overview(const OverviewRequest &) override
    {
        QMutexLocker lock = pass();
        OverviewSnapshot snapshot;
        snapshot.models = m_data->models;
        snapshot.rollout = m_data->rollout;
        return snapshot;
    }
    Result<ThroughputSeries> throughput(const ThroughputQuery &) override
    {
        QMutexLocker lock = pass();
        return ThroughputSeries{};
    }
    Result<MigrationTimes> migrationTimes(EpochMs, EpochMs) override
    {
        QMutexLocker lock = pass();
        return MigrationTimes{};
    }
    Result<FailurePage> failures(const FailureFilter &filter,
                                 const std::optional<FailureCursor> &after, int pageSize) override
    {
        QMutexLocker lock = pass();
        QList<FailureRow> rows = selected(filter);
        FailurePage page;
        for (const FailureRow &row : rows) {
            if (after && !(row.failedAt < after->failedAt
                           || (row.failedAt == after->failedAt && row.id < after->id)))
                continue;
            if (page.rows.size() == pageSize) {
                page.next = FailureCursor{page.rows.last().failedAt, page.rows.last().id};
                break;
            }
            page.rows << row;
        }
        return page;
    }
    Result<qint64> countFailures(const FailureFilter &filter) override
    {
        QMutexLocker lock = pass();
        return qint64(selected(filter).size());
    }
    Result<FailureDetail> failure(qint64 id) override
    {
        QMutexLocker lock = pass();
        for (const FailureRow &row : std::as_const(m_data->failures))
            if (row.id == id) {
                FailureDetail detail;
                detail.row = row;
                detail.message = row.messageExcerpt;
                return detail;
            }
        return StoreError::make(StoreError::Kind::NotFound, QStringLiteral("no such record"));
    }
    Result<QList<FailureDetail>> failureDetails(const QList<qint64> &ids) override
    {
        QList<FailureDetail> details;
        for (const qint64 id : ids)
            if (auto detail = failure(id))
                details << *detail;
        return details;
    }
    Result<QList<ErrorGroup>> errorGroups() override
    {
        QMutexLocker lock = pass();
        return m_data->groups;
    }
    Result<UserDossier> userDossier(const UserKey &) override { return unsupported(); }
    Result<std::optional<UserKey>> findUserByTarget(qint64) override { return unsupported(); }
    Result<AuditPage> audit(const AuditQuery &query) override
    {
        QMutexLocker lock = pass();
        QList<AuditEntry> entries;
        for (const AuditEntry &entry : std::as_const(m_data->audit))
            if ((!query.afterId || entry.id > *query.afterId)
                && (!query.beforeId || entry.id < *query.beforeId)
                && (query.action.isEmpty() || entry.action == query.action))
                entries << entry;
        std::sort(entries.begin(), entries.end(),
                  [](const AuditEntry &a, const AuditEntry &b) { return a.id > b.id; });
        AuditPage page;
        page.entries = entries.mid(0, query.limit);
        if (entries.size() > query.limit)
            page.nextBeforeId = page.entries.last().id;
        return page;
    }
    Result<qint64> countRetryableUsers(const FailureFilter &filter) override
    {
        QMutexLocker lock = pass();
        QSet<QString> users;
        for (const FailureRow &row : selected(filter))
            users << row.user.toString();
        return qint64(users.size());
    }
    Result<RetryReport> retryUsers(const RetryRequest &request, const BulkControl &) override
    {
        QMutexLocker lock = pass();
        m_data->retries << request;
        RetryReport report;
        report.batches = 1;
        return report;
    }
    Result<QueueState> updateQueue(const QueueChange &) override { return unsupported(); }
    Result<RolloutFlag> setRollout(const RolloutChange &) override { return unsupported(); }
    Result<RolloutPreview> previewRollout(const QString &, const QString &, int) override
    {
        return unsupported();
    }
    Result<ResolutionReport> setResolution(const ResolutionChange &) override
    {
        return unsupported();
    }
    Result<CounterCheck> verifyCounters() override { return unsupported(); }
    Result<CounterCheck> repairCounters(const CounterRepair &) override { return unsupported(); }
    Result<AlertsSnapshot> alerts(const AlertsRequest &) override
    {
        QMutexLocker lock = pass();
        return m_data->alerts;
    }
    Result<QList<AlertTransition>> recordAlertTransitions(const QList<AlertTransition> &) override
    {
        return unsupported();
    }
    Result<AlertRule> setAlertRule(const AlertRuleChange &) override { return unsupported(); }
    Result<bool> claimAlertNotice(qint64 firingId) override
    {
        QMutexLocker lock = pass();
        return !std::exchange(m_data->noticed[firingId], true);
    }

private:
    // Waits while the gate is closed; returns holding the data's lock.
    QMutexLocker<QMutex> pass()
    {
        QMutexLocker lock(&m_data->mutex);
        if (m_data->gateClosed) {
            ++m_data->held;
            while (m_data->gateClosed)
                m_data->gateOpened.wait(&m_data->mutex);
            --m_data->held;
        }
        return lock;
    }
    Result<SchemaStatus> current()
    {
        QMutexLocker lock = pass();
        SchemaStatus status;
        status.state = SchemaStatus::State::Current;
        return status;
    }
    QList<FailureRow> selected(const FailureFilter &filter) const
    {
        QList<FailureRow> rows;
        for (const FailureRow &row : std::as_const(m_data->failures))
            if (matches(row, filter))
                rows << row;
        std::sort(rows.begin(), rows.end(), newerFirst);
        return rows;
    }

    std::shared_ptr<FakeMergeData> m_data;
};

} // namespace

StoreFactory fakeStores(std::shared_ptr<FakeMergeData> data)
{
    // The URL is only checked for its form (by the session): every one opens the fake.
    return [data](const QString &) -> Result<std::unique_ptr<MergeStore>> {
        return std::unique_ptr<MergeStore>(std::make_unique<FakeStore>(data));
    };
}

} // namespace mc::test
