#pragma once

// Finds which schema version a merge database holds and brings an empty or older one up to the
// version this build knows. The SQL for each version and backend is embedded as a Qt resource
// (resources/schema/<backend>/NNN_*.sql).

#include "merge_store.h"
#include "sql/sql_connection.h"

namespace mc {

class SchemaManager
{
public:
    explicit SchemaManager(sql::Connection &connection) : m_connection(connection) {}

    static int knownVersion();

    SchemaStatus status();
    // Applies every script newer than the installed version, recording each in schema_version.
    // The caller checks status() first: this refuses Newer and Foreign by throwing.
    void apply(const QString &installedBy);

private:
    QStringList tablesInDatabase();
    QString script(int version) const;

    sql::Connection &m_connection;
};

} // namespace mc
