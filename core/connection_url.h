#pragma once

#include "sql/sql_connection.h"
#include "store_error.h"

namespace mc {

struct ConnectionUrl
{
    sql::Backend backend = sql::Backend::PostgreSQL;
    sql::ConnectionSettings settings;

    // postgresql://user:password@host:port/database?sslmode=require
    // mysql:// or mariadb://user:password@host:port/database?socket=/path&ssl=require
    static Result<ConnectionUrl> parse(const QString &url);
    QString toString() const; // the full URL, password included: never log it
    QString redacted() const; // the URL without its password, for logs and titles
};

QString backendName(sql::Backend backend); // "postgresql" or "mariadb"

} // namespace mc
