#include "bulk_fixture.h"

#include "sql/sql_connection.h"

#include <QCoreApplication>
#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QPixmap>
#include <QWidget>

namespace mc::test {

void addUsersWithFailures(FleetWriter &writer, const QString &portal, qint64 first, qint64 count,
                          UserStatus status, int modelId, const QString &message)
{
    addUsers(writer, portal, first, count, status);
    writer.connection().exec(
        QStringLiteral("INSERT INTO failed_records (source_portal, source_user_id, model_id, "
                       "error_class, message) SELECT source_portal, source_user_id, $1, $2, $3 "
                       "FROM user_migrations WHERE source_portal = $4 AND source_user_id "
                       "BETWEEN $5 AND $6"),
        {modelId, QStringLiteral("Net::ReadTimeout"), message, portal, first,
         first + count - 1});
}

QSet<QString> usersWithStatus(FleetWriter &writer, UserStatus status)
{
    const sql::Rows rows = writer.connection().query(
        QStringLiteral("SELECT source_portal, source_user_id FROM user_migrations WHERE "
                       "status = $1"),
        {statusName(status)});
    QSet<QString> users;
    for (int r = 0; r < rows.size(); ++r)
        users.insert(QStringLiteral("%1:%2").arg(rows.text(r, 0)).arg(rows.int64(r, 1)));
    return users;
}

void saveScreenshot(QWidget *widget, const QString &name)
{
    const QString dir = qEnvironmentVariable("MC_BULK_SCREENSHOTS");
    if (dir.isEmpty())
        return;
    QDir().mkpath(dir);
    QCoreApplication::sendPostedEvents(); // pending layout requests first
    widget->grab().save(QDir(dir).filePath(name + QStringLiteral(".png")));
}

} // namespace mc::test
