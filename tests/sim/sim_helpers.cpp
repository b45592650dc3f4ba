#include "sim_helpers.h"

#include "sql/sql_connection.h"

#include <QCryptographicHash>
#include <QTest>

namespace mc::test {

qint64 scalar(sql::Connection &c, const QString &sql, const QVariantList &params)
{
    return c.query(sql, params).int64(0, 0);
}

namespace {

// Rows of two queries, as text, compared as sets of lines.
void compareRows(sql::Connection &c, const QString &counters, const QString &truth)
{
    const auto lines = [&c](const QString &sql) {
        const sql::Rows rows = c.query(sql);
        QStringList out;
        for (int r = 0; r < rows.size(); ++r) {
            QStringList cells;
            for (int col = 0; col < rows.columns(); ++col)
                cells << rows.text(r, col);
            out << cells.join(QLatin1Char('|'));
        }
        out.sort();
        return out;
    };
    const QStringList kept = lines(counters);
    const QStringList counted = lines(truth);
    QCOMPARE(kept, counted);
}

} // namespace

void verifyCountersEqualCounts(sql::Connection &c)
{
    compareRows(c,
                QStringLiteral("SELECT source_portal, status, users FROM user_status_counts "
                               "WHERE users <> 0"),
                QStringLiteral("SELECT source_portal, status, COUNT(*) FROM user_migrations "
                               "GROUP BY source_portal, status"));
    compareRows(c,
                QStringLiteral("SELECT model_id, users, records_total, serialized, created, "
                               "failed FROM model_totals WHERE users <> 0"),
                QStringLiteral("SELECT model_id, COUNT(*), SUM(records_total), SUM(serialized), "
                               "SUM(created), SUM(failed) FROM model_progress GROUP BY model_id"));
    compareRows(c,
                QStringLiteral("SELECT queue_name, pending, running FROM queue_counts WHERE "
                               "pending <> 0 OR running <> 0"),
                QStringLiteral("SELECT queue_name, SUM(CASE WHEN state = 'pending' THEN 1 ELSE 0 "
                               "END), SUM(CASE WHEN state = 'running' THEN 1 ELSE 0 END) FROM "
                               "queue_jobs GROUP BY queue_name"));
    compareRows(c,
                QStringLiteral("SELECT fingerprint, model_id, failures, unresolved FROM "
                               "error_groups WHERE failures <> 0"),
                // Open: no resolution, and its user not retried since (docs/SCHEMA.md).
                QStringLiteral("SELECT f.fingerprint, f.model_id, COUNT(*), SUM(CASE WHEN "
                               "f.resolution IS NULL AND f.retry_count >= u.retry_count THEN 1 "
                               "ELSE 0 END) FROM failed_records f JOIN user_migrations u ON "
                               "u.source_portal = f.source_portal AND u.source_user_id = "
                               "f.source_user_id GROUP BY f.fingerprint, f.model_id"));
}

void addUsersWithJobs(FleetWriter &writer, const QString &portal, qint64 firstId, int count,
                      UserStatus status)
{
    std::vector<NewUser> users;
    for (int i = 0; i < count; ++i) {
        NewUser user;
        user.user = UserKey{portal, firstId + i};
        user.status = status;
        users.push_back(user);
    }
    writer.addUsers(users);
    if (status == UserStatus::Pending)
        for (const NewUser &user : users)
            writer.addJob(QStringLiteral("serialize"), user.user, false);
}

QSet<qint64> usersIn(sql::Connection &c, const QString &portal, UserStatus status)
{
    const sql::Rows rows = c.query(QStringLiteral("SELECT source_user_id FROM user_migrations "
                                                  "WHERE source_portal = $1 AND status = $2"),
                                   {portal, statusName(status)});
    QSet<qint64> ids;
    for (int r = 0; r < rows.size(); ++r)
        ids.insert(rows.int64(r, 0));
    return ids;
}

void setQueue(sql::Connection &c, const QString &queue, int parallelism, int runEveryMs,
              int maxAttempts)
{
    c.exec(QStringLiteral("UPDATE queues SET parallelism = $2, run_every_ms = $3, max_attempts = "
                          "$4, paused = FALSE WHERE name = $1"),
           {queue, parallelism, runEveryMs, maxAttempts});
}

void setRollout(sql::Connection &c, const QString &portal, int basisPoints)
{
    c.exec(QStringLiteral("UPDATE rollout_flags SET percentage = $2 WHERE flag = 'merge' AND "
                          "portal = $1"),
           {portal, QStringLiteral("%1.%2").arg(basisPoints / 100).arg(basisPoints % 100, 2, 10,
                                                                      QLatin1Char('0'))});
}

QByteArray digestOf(sql::Connection &c, const QString &sql)
{
    const sql::Rows rows = c.query(sql);
    QCryptographicHash hash(QCryptographicHash::Sha256);
    for (int r = 0; r < rows.size(); ++r) {
        for (int col = 0; col < rows.columns(); ++col) {
            hash.addData(rows.isNull(r, col) ? QByteArray("\\N") : rows.bytes(r, col));
            hash.addData(QByteArray("\x1f", 1));
        }
        hash.addData(QByteArray("\x1e", 1));
    }
    return hash.result().toHex() + ':' + QByteArray::number(rows.size());
}

} // namespace mc::test
