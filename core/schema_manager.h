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
    // The statements that create the roles mc_qa, mc_support, mc_lead and mc_worker (the part of
    // the roles upgrade between "-- mc:roles begin" and "end"), for a DBA to run when the login
    // that installs may not create roles; each ends with ";".
    static QString roleStatements(sql::Backend backend);
    // The newest version under this manager's script root, for its connection's backend.
    int knownVersion() const;

    SchemaStatus status();
    // The same from the tables a batch already listed (tablesSql()): reads the version only.
    SchemaStatus status(const QStringList &tables);
    // The names of the tables in the connection's database, one a row.
    static QString tablesSql(sql::Backend backend);
    // Applies every script newer than the installed version, recording each in schema_version.
    // The caller checks status() first: this refuses Newer and Foreign by throwing.
    //
    // A script may work through existing rows a range of keys at a time, reporting progress: the
    // statement after a line "-- mc:batch <table>.<column> <rows> <what it does>", up to the next
    // line holding only "--@@" (or the end), runs once per range with {from} and {to} replaced by
    // the range's first key and the one after its last.
    void apply(const QString &installedBy, const SchemaProgressFn &progress = {});

private:
    struct ScriptPart;
    static QList<ScriptPart> parts(const QString &script);
    void runBatches(const ScriptPart &part, int version, const SchemaProgressFn &progress);

    QStringList tablesInDatabase();
    QString script(int version) const;
    QString backendDir() const;

    sql::Connection &m_connection;
    QString m_scriptRoot;
};

} // namespace mc
