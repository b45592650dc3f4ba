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
    // scriptRoot holds postgresql/ and mariadb/ folders of NNN_*.sql scripts; the default is the
    // embedded schema. Tests point it at a folder with a newer script to exercise upgrades.
    explicit SchemaManager(sql::Connection &connection,
                           QString scriptRoot = QStringLiteral(":/schema"))
        : m_connection(connection), m_scriptRoot(std::move(scriptRoot))
    {
    }

    // The newest version of the embedded schema.
    static int builtInVersion();
    // The newest version under this manager's script root, for its connection's backend.
    int knownVersion() const;

    SchemaStatus status();
    // Applies every script newer than the installed version, recording each in schema_version.
    // The caller checks status() first: this refuses Newer and Foreign by throwing.
    void apply(const QString &installedBy);

private:
    QStringList tablesInDatabase();
    QString script(int version) const;
    QString backendDir() const;

    sql::Connection &m_connection;
    QString m_scriptRoot;
};

} // namespace mc
