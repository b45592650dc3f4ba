#pragma once

// Private to SqlMergeStore's translation units: how a store call runs against the connection.

#include "logging.h"

#include <spdlog/logger.h>
#include "schema_manager.h"
#include "sql_merge_store.h"
#include "sql/transaction.h"
#include "url_secret.h"

#include <QJsonDocument>
#include <QJsonObject>

namespace mc {

inline QString compactJson(const QJsonObject &object)
{
    return QString::fromUtf8(QJsonDocument(object).toJson(QJsonDocument::Compact));
}

// Operator changes carry a reason; it goes into the audit log.
inline void requireReason(const QString &reason)
{
    if (reason.trimmed().isEmpty())
        throw StoreError::make(StoreError::Kind::InvalidInput,
                               QStringLiteral("A reason is required; it goes into the audit log."));
    // PostgreSQL refuses a NUL in text and MariaDB stores it: refuse it on both, before writing.
    if (reason.contains(QChar(0)))
        throw StoreError::make(StoreError::Kind::InvalidInput,
                               QStringLiteral("The reason contains a NUL character, which the "
                                              "audit log cannot store; remove it."));
}

inline StoreError toStoreError(const sql::DbError &error)
{
    using K = sql::DbError::Kind;
    QString message = redactSecrets(QString::fromStdString(error.what()).trimmed());
    if (error.kind() == K::Connection && message.contains(QLatin1String("certificate"),
                                                          Qt::CaseInsensitive))
        message += QStringLiteral(" — the server's TLS certificate was not accepted: check that "
                                  "sslrootcert (PostgreSQL) or ssl-ca (MariaDB) names the CA "
                                  "that signed it, and that the host name matches it");
    const QString state = QString::fromStdString(error.sqlState());
    // Stopped by statementCanceller(): PostgreSQL's query_canceled, MariaDB's "interrupted".
    if (state == QLatin1String("57014") || state == QLatin1String("70100"))
        return StoreError::make(StoreError::Kind::Cancelled,
                                QStringLiteral("Stopped on request."), state);
    // A read-only session (read_only=true): the server itself refused the write.
    if (state == QLatin1String("25006"))
        return StoreError::make(StoreError::Kind::Permission,
                                QStringLiteral("This is a read-only session: the server refused "
                                               "the write. Nothing was changed; connect without "
                                               "read-only to make changes."),
                                state);
    switch (error.kind()) {
    case K::Connection:
        return StoreError::make(StoreError::Kind::Connection,
                                QStringLiteral("No connection to the merge database: %1")
                                    .arg(message),
                                state);
    case K::Permission:
        return StoreError::make(StoreError::Kind::Permission,
                                QStringLiteral("The database role may not do this: %1")
                                    .arg(message),
                                state);
    case K::Deadlock:
        return StoreError::make(StoreError::Kind::Database,
                                QStringLiteral("The database kept reporting a lock conflict; "
                                               "try again: %1")
                                    .arg(message),
                                state);
    default:
        return StoreError::make(StoreError::Kind::Database, message, state);
    }
}

template<typename T>
Result<T> SqlMergeStore::run(Need need, const std::function<T(sql::Connection &)> &body)
{
    try {
        sql::Connection &c = connection();
        if (need == Need::CurrentSchema && !m_schemaChecked) {
            const SchemaStatus status = m_sessionSchema ? *m_sessionSchema
                                                        : SchemaManager(c).status();
            m_sessionSchema.reset();
            if (status.state != SchemaStatus::State::Current) {
                QString message = status.detail;
                if (status.state == SchemaStatus::State::Empty)
                    message = QStringLiteral("The database has no merge schema yet; install it "
                                             "first (schema version %1).")
                                  .arg(status.knownVersion);
                return StoreError::make(StoreError::Kind::SchemaMismatch, message);
            }
            m_schemaChecked = true;
        }
        return body(c);
    } catch (const sql::DbError &error) {
        if (m_connection && m_connection->inTransaction())
            m_connection->rollback();
        log()->warn("database error: {}", error.what());
        return toStoreError(error);
    } catch (const StoreError &error) {
        if (m_connection && m_connection->inTransaction())
            m_connection->rollback();
        return error;
    } catch (const std::exception &error) {
        // Any other driver or decoding exception: an error the caller shows, never an abort.
        if (m_connection && m_connection->inTransaction())
            m_connection->rollback();
        log()->error("unexpected error from the merge database: {}", error.what());
        return StoreError::make(StoreError::Kind::Database,
                                QStringLiteral("Unexpected error from the merge database: %1")
                                    .arg(QString::fromUtf8(error.what())));
    }
}

} // namespace mc
