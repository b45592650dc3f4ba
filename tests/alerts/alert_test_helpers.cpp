#include "alert_test_helpers.h"

#include "sql/sql_connection.h"

namespace mc::test {

namespace {

constexpr EpochMs kBucketMs = 10'000;

} // namespace

AlertRule saveRule(MergeStore &store, const QString &name,
                   const std::function<void(AlertRule &)> &edit)
{
    const Result<AlertsSnapshot> snapshot = store.alerts({});
    if (!snapshot)
        qFatal("alerts: %s", qPrintable(snapshot.error().message));
    AlertRuleChange change;
    change.rule.name = name;
    for (const AlertRuleState &entry : snapshot->rules)
        if (entry.rule.name == name)
            change.rule = entry.rule;
    edit(change.rule);
    change.reason = QStringLiteral("test rule");
    change.by = tester();
    const Result<AlertRule> saved = store.setAlertRule(change);
    if (!saved)
        qFatal("setAlertRule: %s", qPrintable(saved.error().message));
    return *saved;
}

void onlyRule(MergeStore &store, const QString &keep)
{
    for (const char *name : {"failure_rate", "queue_falling_behind", "stall", "plan_halted"})
        if (keep != QLatin1String(name))
            saveRule(store, QString::fromLatin1(name), [](AlertRule &r) { r.enabled = false; });
}

std::unique_ptr<FleetWriter> databaseWithRule(const TestDatabase &db, const QString &rule,
                                              const std::function<void(AlertRule &)> &edit)
{
    auto store = db.installedStore();
    auto owner = db.openWriter();
    seedCatalogue(*owner);
    onlyRule(*store, rule);
    saveRule(*store, rule, edit);
    return owner;
}

void quickStall(AlertRule &rule)
{
    rule.windowS = 30;
    rule.forS = 0;
    rule.keepFiringS = 0;
}

EpochMs serverNow(FleetWriter &writer)
{
    return writer.connection().query(QStringLiteral("SELECT {ms:CURRENT_TIMESTAMP(3)}")).int64(0, 0);
}

void addSample(FleetWriter &writer, const QString &queue, qint64 completed, qint64 failed,
               qint64 depth, qint64 inProgress, int ago)
{
    const EpochMs now = serverNow(writer);
    const EpochMs bucket = now - now % kBucketMs - ago * kBucketMs;
    sql::Connection &c = writer.connection();
    const QVariantList params{bucket, queue, completed, failed, depth, inProgress};
    if (c.exec(QStringLiteral("UPDATE throughput_samples SET users_completed = users_completed + $3, "
                              "users_failed = users_failed + $4, "
                              "queue_depth = GREATEST(queue_depth, $5), "
                              "jobs_in_progress = GREATEST(jobs_in_progress, $6) "
                              "WHERE bucket_start = {ts:$1} AND model_id = 0 AND queue_name = $2"),
               params)
        == 0)
        c.exec(QStringLiteral("INSERT INTO throughput_samples (bucket_start, model_id, queue_name, "
                              "users_completed, users_failed, queue_depth, jobs_in_progress) "
                              "VALUES ({ts:$1}, 0, $2, $3, $4, $5, $6)"),
               params);
}

} // namespace mc::test
