#pragma once

#include "sql/sql_connection.h"
#include "store_error.h"

namespace mc {

struct ConnectionUrl
{
    sql::Backend backend = sql::Backend::PostgreSQL;
    sql::ConnectionSettings settings;

    // postgresql://user:password@host:port/database?sslmode=verify-full&sslrootcert=/ca.pem
    //   parameters: sslmode, sslrootcert, sslcert, sslkey, connect_timeout
    //   (both) read_only=true: a session whose writes the server refuses
    // mysql:// or mariadb://user:password@host:port/database?ssl-mode=VERIFY_IDENTITY&ssl-ca=…
    //   parameters: ssl-mode, ssl-ca, ssl-cert, ssl-key, socket, connect_timeout
    // A parameter or value it does not know is an error naming it, never ignored. No error text
    // repeats the password, whatever the URL holds.
    static Result<ConnectionUrl> parse(const QString &url);
    QString toString() const; // the full URL, password included: never log it
    QString redacted() const; // the URL without its password, for logs and titles
};

QString backendName(sql::Backend backend); // "postgresql" or "mariadb"

} // namespace mc
