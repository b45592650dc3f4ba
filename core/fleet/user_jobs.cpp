#include "user_jobs.h"

#include "sql_params.h"

#include <algorithm>

namespace mc::fleet {

QList<UserJob> lockUserJobs(sql::Connection &c, const UserKey &user)
{
    const sql::Rows rows = c.query(
        QStringLiteral("SELECT id, queue_name, state, claimed_by, attempts, CASE WHEN "
                       "lease_expires_at < CURRENT_TIMESTAMP(3) THEN 1 ELSE 0 END FROM "
                       "queue_jobs WHERE source_portal = $1 AND source_user_id = $2 ORDER BY id "
                       "FOR UPDATE"),
        {user.portal, user.userId});
    QList<UserJob> jobs;
    for (int r = 0; r < rows.size(); ++r)
        jobs.append({rows.int64(r, 0), rows.text(r, 1), rows.text(r, 2), rows.text(r, 3),
                     rows.int32(r, 4), rows.int32(r, 5) == 1});
    return jobs;
}

std::optional<UserStatus> lockUser(sql::Connection &c, const UserKey &user)
{
    const sql::Rows rows = c.query(
        QStringLiteral("SELECT status FROM user_migrations WHERE source_portal = $1 AND "
                       "source_user_id = $2 FOR UPDATE"),
        {user.portal, user.userId});
    if (rows.empty())
        return std::nullopt;
    return statusFromName(rows.text(0, 0));
}

void lockModelTotals(sql::Connection &c, QList<int> modelIds)
{
    if (modelIds.isEmpty())
        return;
    std::sort(modelIds.begin(), modelIds.end());
    QVariantList params;
    const QString in = bindList(params, modelIds);
    c.query(QStringLiteral("SELECT model_id FROM model_totals WHERE model_id IN (%1) AND "
                           "stripe = mc_counter_stripe() ORDER BY model_id FOR UPDATE")
                .arg(in),
            params);
}

void failUser(sql::Connection &c, const UserKey &user, const QString &lastError)
{
    c.exec(QStringLiteral("DELETE FROM queue_jobs WHERE source_portal = $1 AND "
                          "source_user_id = $2"),
           {user.portal, user.userId});
    c.exec(QStringLiteral("UPDATE user_migrations SET status = 'failed', finished_at = "
                          "CURRENT_TIMESTAMP(3), last_error = $3, updated_at = "
                          "CURRENT_TIMESTAMP(3) WHERE source_portal = $1 AND source_user_id = $2"),
           {user.portal, user.userId, lastError});
}

} // namespace mc::fleet
