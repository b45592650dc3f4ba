#include "sql_merge_store.h"

#include "logging.h"

#include <spdlog/logger.h>
#include "schema_manager.h"
#include "sql_merge_store_run.h"

#include <QJsonDocument>
#include <QJsonObject>

#include <atomic>

namespace mc {

struct SqlMergeStore::ServerSession
{
    explicit ServerSession(ConnectionUrl connectionUrl) : url(std::move(connectionUrl)) {}
    const ConnectionUrl url;
    std::atomic<qint64> id{0}; // pg_backend_pid() or CONNECTION_ID(); 0 when not connected
};

SqlMergeStore::SqlMergeStore(ConnectionUrl url)
    : m_url(std::move(url)), m_session(std::make_shared<ServerSession>(m_url))
{
}

SqlMergeStore::~SqlMergeStore() = default;

sql::Connection &SqlMergeStore::connection()
{
    if (!m_connection || m_connection->isBroken()) {
        m_connection.reset();
        m_schemaChecked = false;
        m_session->id = 0;
        m_connection = openConnection(m_url.settings);
        log()->info("connected to {}", m_url.redacted().toStdString());
        m_session->id = m_connection
                            ->query(m_url.backend == sql::Backend::PostgreSQL
                                        ? QStringLiteral("SELECT pg_backend_pid()")
                                        : QStringLiteral("SELECT CONNECTION_ID()"))
                            .int64(0, 0);
    }
    return *m_connection;
}

Result<Done> SqlMergeStore::connect()
{
    return run<Done>(Need::Connection, [](sql::Connection &) { return Done{}; });
}

QString SqlMergeStore::databaseUser()
{
    if (m_databaseUser.isEmpty()) {
        const sql::Rows rows = connection().query(QStringLiteral("SELECT CURRENT_USER"));
        m_databaseUser = rows.empty() ? QString() : rows.text(0, 0);
    }
    return m_databaseUser;
}

void SqlMergeStore::writeAudit(sql::Connection &c, const Operator &by, const QString &action,
                               const QString &target, const QString &before, const QString &after,
                               const QString &reason)
{
    if (by.osUser.size() > 255)
        throw StoreError::make(StoreError::Kind::InvalidInput,
                               QStringLiteral("The operator name is longer than 255 characters."));
    c.exec(QStringLiteral("INSERT INTO audit_log (database_user, os_user, action, target, "
                          "before_state, after_state, reason) VALUES ($1, $2, $3, $4, $5, $6, $7)"),
           {databaseUser(), by.osUser, action, target, before, after, reason});
}

std::function<void()> SqlMergeStore::statementCanceller()
{
    return [session = m_session] {
        const qint64 id = session->id.load();
        if (id <= 0)
            return;
        try {
            // The same role may stop its own sessions' statements on both servers.
            if (session->url.backend == sql::Backend::PostgreSQL)
                sql::connectPostgres(session->url.settings)
                    ->query(QStringLiteral("SELECT pg_cancel_backend($1)"), {id});
            else
                sql::connectMariaDb(session->url.settings)
                    ->exec(QStringLiteral("KILL QUERY %1").arg(id));
            log()->info("asked the server to stop the statement of session {}", id);
        } catch (const sql::DbError &error) {
            log()->warn("could not stop the statement of session {}: {}", id, error.what());
        }
    };
}

TlsState SqlMergeStore::tlsState(sql::Connection &c) const
{
    const bool pg = m_url.backend == sql::Backend::PostgreSQL;
    const sql::Rows rows = c.query(
        pg ? QStringLiteral("SELECT COALESCE((SELECT ssl FROM pg_stat_ssl "
                            "WHERE pid = pg_backend_pid()), false)")
           : QStringLiteral("SELECT COALESCE((SELECT VARIABLE_VALUE <> '' "
                            "FROM information_schema.SESSION_STATUS "
                            "WHERE VARIABLE_NAME = 'SSL_CIPHER'), 0)"));
    TlsState tls;
    tls.enabled = !rows.empty() && rows.boolean(0, 0);
    const QString mode = m_url.settings.sslMode;
    tls.verified = tls.enabled
                   && (pg ? mode.startsWith(QLatin1String("verify-"))
                          : mode.startsWith(QLatin1String("VERIFY_")));
    return tls;
}

Result<ServerInfo> SqlMergeStore::serverInfo()
{
    return run<ServerInfo>(Need::Connection, [this](sql::Connection &c) {
        ServerInfo info;
        info.backend = backendName(m_url.backend);
        info.serverVersion = c.serverVersion();
        info.database = m_url.settings.database;
        info.databaseUser = databaseUser();
        info.tls = tlsState(c);
        info.environment = readEnvironment(c);
        return info;
    });
}

Result<SchemaStatus> SqlMergeStore::schemaStatus()
{
    return run<SchemaStatus>(Need::Connection,
                             [](sql::Connection &c) { return SchemaManager(c).status(); });
}

Result<SchemaStatus> SqlMergeStore::installSchema(const Operator &by)
{
    auto status = schemaStatus();
    if (!status)
        return status;
    if (status->state == SchemaStatus::State::Older)
        return StoreError::make(StoreError::Kind::SchemaMismatch,
                                status->detail + QStringLiteral(" Use upgrade."));
    if (status->state != SchemaStatus::State::Empty)
        return status->state == SchemaStatus::State::Current
                   ? StoreError::make(StoreError::Kind::NothingToChange,
                                      QStringLiteral("The schema is already installed at "
                                                     "version %1; nothing to do.")
                                          .arg(status->installedVersion))
                   : StoreError::make(StoreError::Kind::SchemaMismatch, status->detail);
    return upgradeSchema(by);
}

Result<SchemaStatus> SqlMergeStore::upgradeSchema(const Operator &by,
                                                  const SchemaProgressFn &progress)
{
    auto status = schemaStatus();
    if (!status)
        return status;
    switch (status->state) {
    case SchemaStatus::State::Current:
        return status;
    case SchemaStatus::State::Newer:
    case SchemaStatus::State::Foreign:
        return StoreError::make(StoreError::Kind::SchemaMismatch, status->detail);
    case SchemaStatus::State::Empty:
    case SchemaStatus::State::Older:
        break;
    }
    const int from = status->installedVersion;
    return run<SchemaStatus>(Need::Connection, [&](sql::Connection &c) {
        // PostgreSQL runs the whole install in one transaction; MariaDB commits each DDL
        // statement, which is why status() insists on an empty database before starting.
        sql::inTransaction(c, [&] {
            SchemaManager(c).apply(by.osUser, progress);
            writeAudit(c, by, from == 0 ? QStringLiteral("install_schema")
                                        : QStringLiteral("upgrade_schema"),
                       QStringLiteral("schema"),
                       QJsonDocument(QJsonObject{{QStringLiteral("version"), from}})
                           .toJson(QJsonDocument::Compact),
                       QJsonDocument(QJsonObject{{QStringLiteral("version"),
                                                  SchemaManager::builtInVersion()}})
                           .toJson(QJsonDocument::Compact),
                       QString());
        });
        m_schemaChecked = false;
        return SchemaManager(c).status();
    });
}

} // namespace mc
