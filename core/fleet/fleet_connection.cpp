#include "fleet_connection.h"

namespace mc::fleet {

std::unique_ptr<sql::Connection> openFleetConnection(const ConnectionUrl &url)
{
    if (url.backend == sql::Backend::PostgreSQL)
        return sql::connectPostgres(url.settings);
    auto connection = sql::connectMariaDb(url.settings);
    connection->execScript(QStringLiteral(
        "SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED\n--@@\n"
        "SET SESSION innodb_lock_wait_timeout = 5"));
    return connection;
}

QString ignoreDuplicates(sql::Backend backend, const QString &anyKeyColumn)
{
    if (backend == sql::Backend::PostgreSQL)
        return QStringLiteral(" ON CONFLICT DO NOTHING");
    return QStringLiteral(" ON DUPLICATE KEY UPDATE %1 = %1").arg(anyKeyColumn);
}

} // namespace mc::fleet
