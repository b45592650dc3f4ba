#include "counters.h"

#include "sql_merge_store.h"

namespace mc::counters {

QString modelTotalsSql()
{
    return QStringLiteral("SELECT model_id, SUM(users) AS users, SUM(records_total) AS "
                          "records_total, SUM(serialized) AS serialized, SUM(created) AS created, "
                          "SUM(failed) AS failed FROM model_totals GROUP BY model_id");
}

const QList<Family> &families()
{
    static const QList<Family> all = [] {
        QList<Family> list;
        list.append({QStringLiteral("model_totals"),
                     {QStringLiteral("model_id")},
                     1,
                     {QStringLiteral("users"), QStringLiteral("records_total"),
                      QStringLiteral("serialized"), QStringLiteral("created"),
                      QStringLiteral("failed")},
                     modelTotalsSql(),
                     QStringLiteral("SELECT model_id, COUNT(*), COALESCE(SUM(records_total), 0), "
                                    "COALESCE(SUM(serialized), 0), COALESCE(SUM(created), 0), "
                                    "COALESCE(SUM(failed), 0) FROM model_progress GROUP BY "
                                    "model_id"),
                     {QStringLiteral("model_progress")},
                     true});
        // Open: the definition every view and the triggers use (openFailureCondition).
        list.append({QStringLiteral("error_groups"),
                     {QStringLiteral("fingerprint"), QStringLiteral("model_id")},
                     1,
                     {QStringLiteral("failures"), QStringLiteral("unresolved")},
                     QStringLiteral("SELECT fingerprint, model_id, failures, unresolved FROM "
                                    "error_groups"),
                     QStringLiteral("SELECT f.fingerprint, f.model_id, COUNT(*), COUNT(CASE WHEN "
                                    "%1 THEN 1 END) FROM failed_records f GROUP BY "
                                    "f.fingerprint, f.model_id")
                         .arg(openFailureCondition()),
                     {QStringLiteral("failed_records"), QStringLiteral("user_migrations")},
                     false});
        list.append({QStringLiteral("queue_counts"),
                     {QStringLiteral("queue_name")},
                     0,
                     {QStringLiteral("pending"), QStringLiteral("running")},
                     QStringLiteral("SELECT queue_name, SUM(pending), SUM(running) FROM "
                                    "queue_counts GROUP BY queue_name"),
                     QStringLiteral("SELECT queue_name, COUNT(CASE WHEN state = 'pending' THEN 1 "
                                    "END), COUNT(CASE WHEN state = 'running' THEN 1 END) FROM "
                                    "queue_jobs GROUP BY queue_name"),
                     {QStringLiteral("queue_jobs")},
                     true});
        list.append({QStringLiteral("user_status_counts"),
                     {QStringLiteral("source_portal"), QStringLiteral("status")},
                     0,
                     {QStringLiteral("users")},
                     QStringLiteral("SELECT source_portal, status, SUM(users) FROM "
                                    "user_status_counts GROUP BY source_portal, status"),
                     QStringLiteral("SELECT source_portal, status, COUNT(*) FROM user_migrations "
                                    "GROUP BY source_portal, status"),
                     {QStringLiteral("user_migrations")},
                     true});
        return list;
    }();
    return all;
}

} // namespace mc::counters
