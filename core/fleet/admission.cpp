#include "admission.h"

#include "bulk_insert.h"
#include "fleet_catalogue.h"
#include "fleet_connection.h"
#include "sql_params.h"

#include <bit>

namespace mc::fleet {

void Admission::requestUsers(const QString &portal, const std::vector<qint64> &userIds)
{
    inTransaction(m_connection, [&] {
        BulkInsert insert(m_connection,
                          QStringLiteral("INSERT INTO user_migrations (source_portal, "
                                         "source_user_id, status) VALUES "),
                          QStringLiteral("(?, ?, 'nil')"),
                          ignoreDuplicates(m_connection.backend(),
                                           QStringLiteral("user_migrations.source_user_id")),
                          100);
        for (const qint64 id : userIds)
            insert.add({portal, id});
        insert.flush();
    });
}

qint64 Admission::highestUserId(const QString &portal)
{
    const sql::Rows rows = m_connection.query(
        QStringLiteral("SELECT MAX(source_user_id) FROM user_migrations WHERE source_portal = $1"),
        {portal});
    return rows.empty() || rows.isNull(0, 0) ? 0 : rows.int64(0, 0);
}

QList<UserKey> Admission::admit(const QString &portal, int basisPoints, int limit)
{
    limit = std::clamp(limit, 1, 10'000);
    if (basisPoints <= 0)
        return {};
    return inTransaction(m_connection, [&] {
        QList<UserKey> admitted;
        const sql::Rows queue = m_connection.query(
            QStringLiteral("SELECT 1 FROM queues WHERE name = $1"), {kSerializeQueue});
        if (queue.empty())
            return admitted;
        const sql::Rows rows = m_connection.query(
            QStringLiteral("SELECT source_user_id FROM user_migrations WHERE source_portal = $1 "
                           "AND status = 'nil' AND rollout_bucket < $2 ORDER BY rollout_bucket "
                           "LIMIT $3 FOR UPDATE SKIP LOCKED"),
            {portal, basisPoints, limit});
        if (rows.empty())
            return admitted;
        std::vector<qint64> ids;
        ids.reserve(size_t(rows.size()));
        for (int r = 0; r < rows.size(); ++r) {
            ids.push_back(rows.int64(r, 0));
            admitted.append(UserKey{portal, ids.back()});
        }
        // Padded to a power of two with the last id, so few statement texts are prepared.
        ids.resize(std::max<size_t>(8, std::bit_ceil(ids.size())), ids.back());

        // Jobs first, then the users: the same lock order as a claim (queue counter before
        // user counter), so admission and claims never deadlock.
        QVariantList jobParams{portal};
        const QString jobIn = bindList(jobParams, ids);
        m_connection.exec(
            QStringLiteral("INSERT INTO queue_jobs (queue_name, source_portal, source_user_id) "
                           "SELECT 'serialize', source_portal, source_user_id FROM "
                           "user_migrations WHERE "
                           "source_portal = $1 AND source_user_id IN (%1) AND status = 'nil'%2")
                .arg(jobIn, ignoreDuplicates(m_connection.backend(),
                                                  QStringLiteral("queue_jobs.attempts"))),
            jobParams);
        QVariantList userParams{portal};
        const QString userIn = bindList(userParams, ids);
        m_connection.exec(
            QStringLiteral("UPDATE user_migrations SET status = 'pending', phase = 'serialize', "
                           "updated_at = CURRENT_TIMESTAMP(3) WHERE source_portal = $1 AND "
                           "source_user_id IN (%1) AND status = 'nil'")
                .arg(userIn),
            userParams);
        return admitted;
    });
}

qint64 Admission::countNewlyAdmitted(const QString &portal, int fromBp, int toBp)
{
    if (toBp <= fromBp)
        return 0;
    const sql::Rows rows = m_connection.query(
        QStringLiteral("SELECT COUNT(*) FROM user_migrations WHERE source_portal = $1 AND "
                       "status = 'nil' AND rollout_bucket >= $2 AND rollout_bucket < $3"),
        {portal, fromBp, toBp});
    return rows.int64(0, 0);
}

} // namespace mc::fleet
