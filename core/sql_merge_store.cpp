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
        m_sessionSchema.reset();
        m_sessionEnvironment.reset();
        std::unique_ptr<sql::Connection> fresh = openConnection(m_url.settings);
        log()->info("connected to {}", m_url.redacted().toStdString());
        openSession(*fresh);
        m_connection = std::move(fresh);
    }
    return *m_connection;
}

void SqlMergeStore::openSession(sql::Connection &c)
{
    // Everything a session needs to know, in one batch. A read the session adds (the role's
    // capabilities, the environment) joins this batch rather than costing a round trip.
    const bool pg = c.backend() == sql::Backend::PostgreSQL;
    const std::vector<sql::Rows> answers = c.batch({
        // The login as the audit trigger stamps it (004_roles.sql): not the host part, and
        // not a role the session may have switched to.
        {pg ? QStringLiteral("SELECT pg_backend_pid(), current_setting('server_version'), "
                             "session_user")
            : QStringLiteral("SELECT CONNECTION_ID(), VERSION(), SUBSTRING_INDEX(USER(), '@', 1)")},
        {SchemaManager::tablesSql(c.backend())},
        {tlsSql(c.backend())},
    });
    const sql::Rows &session = answers.at(0);
    m_session->id = session.int64(0, 0); // the server's id of the connection, for cancelling
    m_serverVersion = session.text(0, 1);
    m_databaseUser = session.text(0, 2);
    QStringList tables;
    for (int r = 0; r < answers.at(1).size(); ++r)
        tables << answers.at(1).text(r, 0);
    m_tls = tlsState(answers.at(2));
    m_sessionSchema = SchemaManager(c).status(tables);
    // The environment, when the schema has it (version 5): the first serverInfo() shows it.
    m_sessionEnvironment.reset();
    if (tables.contains(QStringLiteral("environment")))
        m_sessionEnvironment = readEnvironment(c);
}

Result<Done> SqlMergeStore::connect()
{
    return run<Done>(Need::Connection, [](sql::Connection &) { return Done{}; });
}

QString SqlMergeStore::databaseUser()
{
    if (m_databaseUser.isEmpty()) {
        // The login as the audit log's trigger stamps it (004_roles.sql), so that what the
        // console shows as "db: …" and the entries it wrote agree.
        const sql::Rows rows = connection().query(
            m_url.backend == sql::Backend::PostgreSQL
                ? QStringLiteral("SELECT session_user")
                : QStringLiteral("SELECT SUBSTRING_INDEX(USER(), '@', 1)"));
        m_databaseUser = rows.empty() ? QString() : rows.text(0, 0);
    }
    return m_databaseUser;
}

void SqlMergeStore::writeAudit(sql::Connection &c, const Operator &by, const QString &action,
                               const QString &target, const QString &before, const QString &after,
                               const QString &reason)
{
    const sql::Statement insert = auditStatement(by, action, target, before, after, reason);
    c.exec(insert.sql, insert.params);
}

sql::Statement SqlMergeStore::auditStatement(const Operator &by, const QString &action,
                                             const QString &target, const QString &before,
                                             const QString &after, const QString &reason)
{
    if (by.osUser.size() > 255)
        throw StoreError::make(StoreError::Kind::InvalidInput,
                               QStringLiteral("The operator name is longer than 255 characters."));
    // Who (the login) and when (the server clock) are stamped by the server: no role may name
    // them (004_roles.sql).
    return {QStringLiteral("INSERT INTO audit_log (os_user, action, target, before_state, "
                           "after_state, reason) VALUES ($1, $2, $3, $4, $5, $6)"),
            {by.osUser, action, target, before, after, reason}};
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

QString SqlMergeStore::tlsSql(sql::Backend backend)
{
    return backend == sql::Backend::PostgreSQL
               ? QStringLiteral("SELECT COALESCE((SELECT ssl FROM pg_stat_ssl "
                                "WHERE pid = pg_backend_pid()), false)")
               : QStringLiteral("SELECT COALESCE((SELECT VARIABLE_VALUE <> '' "
                                "FROM information_schema.SESSION_STATUS "
                                "WHERE VARIABLE_NAME = 'SSL_CIPHER'), 0)");
}

TlsState SqlMergeStore::tlsState(const sql::Rows &rows) const
{
    const bool pg = m_url.backend == sql::Backend::PostgreSQL;
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
        info.serverVersion = m_serverVersion.isEmpty() ? c.serverVersion() : m_serverVersion;
        info.database = m_url.settings.database;
        info.databaseUser = databaseUser();
        info.tls = m_tls;
        if (m_sessionEnvironment) { // just connected: the session's set-up read it already
            info.environment = *m_sessionEnvironment;
            m_sessionEnvironment.reset();
        } else {
            info.environment = readEnvironment(c);
        }
        return info;
    });
}

Result<SchemaStatus> SqlMergeStore::schemaStatus()
{
    return run<SchemaStatus>(Need::Connection, [this](sql::Connection &c) {
        if (m_sessionSchema) { // just connected: the session's set-up read it already
            const SchemaStatus status = *m_sessionSchema;
            m_sessionSchema.reset();
            return status;
        }
        return SchemaManager(c).status();
    });
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
    auto upgraded = run<SchemaStatus>(Need::Connection, [&](sql::Connection &c) {
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
        m_sessionSchema.reset();
        return SchemaManager(c).status();
    });
    // MariaDB says only which privilege is missing; PostgreSQL's roles script says it all.
    if (!upgraded && upgraded.error().kind == StoreError::Kind::Permission
        && upgraded.error().message.contains(QLatin1String("CREATE USER")))
        return StoreError::make(StoreError::Kind::Permission,
                                QStringLiteral("The login %1 may not create the roles mc_qa, "
                                               "mc_support, mc_lead and mc_worker (%2). Ask a DBA "
                                               "to run the statements printed by `migctl schema "
                                               "roles --print-sql`, then install or upgrade again.")
                                    .arg(m_url.settings.user, upgraded.error().message));
    return upgraded;
}

} // namespace mc
