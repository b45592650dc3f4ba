#include "sim_helpers.h"

#include "sql/sql_connection.h"

#include <QCryptographicHash>
#include <QTest>

namespace mc::test {

qint64 scalar(sql::Connection &c, const QString &sql, const QVariantList &params)
{
    return c.query(sql, params).int64(0, 0);
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
