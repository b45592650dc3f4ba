// PostgreSQL implementation of mc::sql::Connection on libpqxx 6.x.

#include "sql_connection.h"

#include <QHash>

#include <pqxx/pqxx>

#include <string>
#include <unordered_map>

namespace mc::sql {

namespace {

constexpr pqxx::oid kByteaOid = 17;

// libpq connection-string value: single-quoted, with ' and \ backslash-escaped.
std::string quoteConnValue(const QString &value)
{
    std::string out = "'";
    for (const char c : value.toStdString()) {
        if (c == '\'' || c == '\\')
            out += '\\';
        out += c;
    }
    out += '\'';
    return out;
}

std::string connectionString(const ConnectionSettings &s)
{
    std::string conn;
    const auto add = [&conn](const char *key, const QString &value) {
        if (value.isEmpty())
            return;
        if (!conn.empty())
            conn += ' ';
        conn += key;
        conn += '=';
        conn += quoteConnValue(value);
    };
    add("host", s.host);
    if (s.port > 0)
        add("port", QString::number(s.port));
    add("user", s.user);
    add("password", s.password);
    add("dbname", s.database);
    if (s.connectTimeoutSeconds > 0)
        add("connect_timeout", QString::number(s.connectTimeoutSeconds));
    add("sslmode", s.sslMode);
    add("sslrootcert", s.sslRootCert);
    add("sslcert", s.sslCert);
    add("sslkey", s.sslKey);
    add("application_name", QStringLiteral("migration-console"));
    // The session's time zone travels in the startup packet: no round trip of its own; so does
    // a read-only session's setting (read_only=true), which makes the server refuse its writes.
    add("options", s.readOnly ? QStringLiteral("-c TimeZone=UTC -c default_transaction_read_only=on")
                              : QStringLiteral("-c TimeZone=UTC"));
    return conn;
}

// The server's message without the severity prefix and without DETAIL/HINT/query lines.
std::string serverMessage(const char *what)
{
    std::string message(what ? what : "");
    const auto newline = message.find('\n');
    if (newline != std::string::npos)
        message.resize(newline);
    for (const char *prefix : {"ERROR:", "FATAL:", "PANIC:"}) {
        const std::string p(prefix);
        if (message.compare(0, p.size(), p) == 0) {
            message.erase(0, p.size());
            message.erase(0, message.find_first_not_of(' '));
            break;
        }
    }
    while (!message.empty() && (message.back() == ' ' || message.back() == '\r'))
        message.pop_back();
    return message.empty() ? std::string("unknown PostgreSQL error") : message;
}

DbError::Kind kindForSqlState(const std::string &state)
{
    if (state == "40P01" || state == "40001")
        return DbError::Kind::Deadlock;
    if (state == "23505")
        return DbError::Kind::UniqueViolation;
    if (state == "42501")
        return DbError::Kind::Permission;
    if (state.compare(0, 2, "42") == 0)
        return DbError::Kind::Syntax;
    if (state.compare(0, 2, "08") == 0)
        return DbError::Kind::Connection;
    return DbError::Kind::Other;
}

// Bytes as bytea hex input: \x followed by lowercase hex digits.
std::string byteaHex(const QByteArray &bytes)
{
    static const char digits[] = "0123456789abcdef";
    std::string out;
    out.reserve(2 + size_t(bytes.size()) * 2);
    out += "\\x";
    for (const char c : bytes) {
        const auto b = static_cast<unsigned char>(c);
        out += digits[b >> 4];
        out += digits[b & 0x0f];
    }
    return out;
}

// A parameter in text form; nullopt is SQL NULL.
std::optional<std::string> parameterText(const QVariant &value)
{
    if (!value.isValid() || value.isNull())
        return std::nullopt;
    switch (value.typeId()) {
    case QMetaType::Bool:
        return std::string(value.toBool() ? "true" : "false");
    case QMetaType::Int:
    case QMetaType::Long:
    case QMetaType::LongLong:
    case QMetaType::Short:
    case QMetaType::Char:
    case QMetaType::SChar:
        return QByteArray::number(value.toLongLong()).toStdString();
    case QMetaType::UInt:
    case QMetaType::ULong:
    case QMetaType::ULongLong:
    case QMetaType::UShort:
    case QMetaType::UChar:
        return QByteArray::number(value.toULongLong()).toStdString();
    case QMetaType::Double:
    case QMetaType::Float:
        return QByteArray::number(value.toDouble(), 'g', 17).toStdString();
    case QMetaType::QByteArray:
        return byteaHex(value.toByteArray());
    case QMetaType::QString:
    default: {
        const QString text = value.toString();
        // Parameters travel as C strings; PostgreSQL text cannot hold NUL anyway.
        if (text.contains(QChar(0)))
            throw DbError(DbError::Kind::Other, "text parameter contains a NUL character");
        return text.toStdString();
    }
    }
}

class PgConnection final : public Connection
{
public:
    explicit PgConnection(const ConnectionSettings &settings)
        : m_conn(std::make_unique<pqxx::connection>(connectionString(settings)))
    {
        // Notices (e.g. "table does not exist, skipping") would otherwise go to stderr.
        m_quiet = std::make_unique<pqxx::quiet_errorhandler>(*m_conn);
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
        // A silent reconnect would lose the session time zone and our prepared statements
        // would be in an unknown state: a broken connection stays broken.
        m_conn->inhibit_reactivation(true);
#pragma GCC diagnostic pop
    }

    ~PgConnection() override
    {
        m_tx.reset();
        m_quiet.reset();
    }

    Backend backend() const override { return Backend::PostgreSQL; }

    Rows query(const QString &sql, const QVariantList &params) override
    {
        return toRows(run(sql, params));
    }

    std::vector<Rows> batch(const std::vector<Statement> &statements) override
    {
        return runBatch(statements, false);
    }

    std::vector<Rows> commitWith(const std::vector<Statement> &statements) override
    {
        if (!m_tx)
            throw DbError(DbError::Kind::Other, "no transaction is open");
        refuseFailedCommit();
        std::vector<Rows> out = runBatch(statements, true);
        m_tx.reset();
        return out;
    }

    std::vector<Rows> runBatch(const std::vector<Statement> &statements, bool commit)
    {
        std::vector<Rows> out;
        if (statements.empty() && !commit)
            return out;
        std::vector<std::string> texts;
        texts.reserve(statements.size());
        for (const Statement &statement : statements) {
            std::vector<std::string> literals;
            literals.reserve(size_t(statement.params.size()));
            for (const QVariant &param : statement.params)
                literals.push_back(literal(param));
            texts.push_back(inlineParameters(Backend::PostgreSQL,
                                             expandTokens(Backend::PostgreSQL, statement.sql),
                                             literals)
                                .toStdString());
        }
        // A transaction's BEGIN and COMMIT travel with the batch (see begin()).
        const bool withBegin = m_tx && m_beginPending;
        m_beginPending = false;
        guarded([&] {
            // libpqxx sends the retained queries as one multi-statement text: one round trip.
            const auto inPipeline = [&](pqxx::transaction_base &tx) {
                pqxx::pipeline pipeline(tx);
                pipeline.retain(int(texts.size()) + 3);
                std::vector<pqxx::pipeline::query_id> ids;
                ids.reserve(texts.size());
                pqxx::pipeline::query_id begun = 0;
                pqxx::pipeline::query_id committed = 0;
                if (withBegin)
                    begun = pipeline.insert("BEGIN");
                for (const std::string &text : texts)
                    ids.push_back(pipeline.insert(text));
                if (commit)
                    committed = pipeline.insert("COMMIT");
                pipeline.complete();
                if (withBegin)
                    pipeline.retrieve(begun);
                for (const auto id : ids)
                    out.push_back(toRows(pipeline.retrieve(id)));
                if (commit)
                    pipeline.retrieve(committed);
            };
            if (m_tx) {
                inPipeline(*m_tx);
            } else {
                pqxx::nontransaction tx(*m_conn);
                inPipeline(tx);
                tx.commit();
            }
        });
        return out;
    }

    qint64 exec(const QString &sql, const QVariantList &params) override
    {
        return qint64(run(sql, params).affected_rows());
    }

    void execScript(const QString &script) override
    {
        const std::string text = script.toStdString();
        guarded([&] {
            if (m_tx) {
                openPendingBegin();
                m_tx->exec(text);
            } else {
                pqxx::nontransaction tx(*m_conn);
                tx.exec(text);
                tx.commit();
            }
        });
    }

    // A transaction is opened by text on a nontransaction: its BEGIN goes with the first
    // statement (in the same round trip when that is a batch), its COMMIT with commitWith().
    void begin() override
    {
        if (m_tx)
            throw DbError(DbError::Kind::Other, "a transaction is already open");
        guarded([&] { m_tx = std::make_unique<pqxx::nontransaction>(*m_conn); });
        m_beginPending = true;
        m_txFailed = false;
    }

    void commit() override
    {
        if (!m_tx)
            throw DbError(DbError::Kind::Other, "no transaction is open");
        refuseFailedCommit();
        const bool nothingSent = m_beginPending;
        m_beginPending = false;
        try {
            if (!nothingSent)
                guarded([&] { m_tx->exec("COMMIT"); });
        } catch (...) {
            m_tx.reset();
            throw;
        }
        m_tx.reset();
    }

    void rollback() noexcept override
    {
        if (!m_tx)
            return;
        const bool nothingSent = m_beginPending;
        m_beginPending = false;
        m_txFailed = false;
        try {
            m_tx.reset();
            if (!nothingSent && m_conn->is_open()) {
                pqxx::nontransaction tx(*m_conn);
                tx.exec("ROLLBACK");
            }
        } catch (...) {
        }
        if (!m_conn->is_open())
            markBroken();
    }

    bool inTransaction() const override { return bool(m_tx); }

    QString serverVersion() override
    {
        const Rows rows = query(QStringLiteral("SHOW server_version"), {});
        return rows.empty() ? QString() : rows.text(0, 0);
    }

    bool isBroken() const override { return m_broken; }

private:
    static Rows toRows(const pqxx::result &result)
    {
        const int columns = int(result.columns());
        std::vector<bool> bytea(size_t(columns), false);
        for (int c = 0; c < columns; ++c)
            bytea[size_t(c)] = result.column_type(c) == kByteaOid;

        Rows rows(columns);
        for (const auto &row : result) {
            for (int c = 0; c < columns; ++c) {
                const pqxx::field field = row[c];
                if (field.is_null()) {
                    rows.appendNull();
                } else if (bytea[size_t(c)]) {
                    const pqxx::binarystring bin(field);
                    rows.append(reinterpret_cast<const char *>(bin.data()), qsizetype(bin.size()));
                } else {
                    rows.append(field.c_str(), qsizetype(field.size()));
                }
            }
        }
        return rows;
    }

    // A parameter as an untyped quoted literal: the server infers its type from where it
    // stands, as it does for an untyped parameter.
    std::string literal(const QVariant &value)
    {
        const std::optional<std::string> text = parameterText(value);
        return text ? m_conn->quote(*text) : std::string("NULL");
    }

    pqxx::result run(const QString &sql, const QVariantList &params)
    {
        // The expanded text of each distinct SQL string is kept: expanding is a scan of the
        // whole text, which matters for large multi-row statements run many times.
        auto expanded = m_expanded.constFind(sql);
        if (expanded == m_expanded.constEnd())
            expanded = m_expanded.insert(sql, expandTokens(Backend::PostgreSQL, sql).toStdString());
        const std::string &text = *expanded;

        std::vector<std::optional<std::string>> values;
        values.reserve(size_t(params.size()));
        for (const QVariant &param : params)
            values.push_back(parameterText(param));
        std::vector<const char *> pointers;
        pointers.reserve(values.size());
        for (const auto &value : values)
            pointers.push_back(value ? value->c_str() : nullptr);

        pqxx::result result;
        guarded([&] {
            const std::string &name = statementName(text);
            const auto dynamic = pqxx::prepare::make_dynamic_params(pointers);
            if (m_tx) {
                openPendingBegin();
                result = m_tx->exec_prepared(name, dynamic);
            } else {
                pqxx::nontransaction tx(*m_conn);
                result = tx.exec_prepared(name, dynamic);
                tx.commit();
            }
        });
        return result;
    }

    // PostgreSQL would turn the COMMIT of a failed transaction into a silent ROLLBACK.
    void refuseFailedCommit()
    {
        if (!m_txFailed)
            return;
        rollback();
        throw DbError(DbError::Kind::Other,
                      "commit after a failed statement: the transaction was rolled back");
    }

    void openPendingBegin()
    {
        if (!m_beginPending)
            return;
        m_beginPending = false;
        m_tx->exec("BEGIN");
    }

    const std::string &statementName(const std::string &text)
    {
        auto it = m_statements.find(text);
        if (it == m_statements.end()) {
            std::string name = "mc" + std::to_string(++m_statementCounter);
            m_conn->prepare(name, text);
            it = m_statements.emplace(text, std::move(name)).first;
        }
        return it->second;
    }

    void markBroken()
    {
        m_broken = true;
        m_statements.clear();
    }

    QHash<QString, std::string> m_expanded;

    // Runs `f`, translating libpqxx exceptions into DbError.
    template<typename F>
    void guarded(F &&f)
    {
        if (m_broken)
            throw DbError(DbError::Kind::Connection, "the PostgreSQL connection is broken");
        try {
            f();
        } catch (...) {
            if (m_tx)
                m_txFailed = true;
            translateCurrentException();
        }
    }

    [[noreturn]] void translateCurrentException()
    {
        DbError::Kind kind = DbError::Kind::Other;
        std::string message;
        std::string state;
        try {
            throw;
        } catch (const pqxx::broken_connection &e) {
            // libpqxx also throws this for SQLSTATE class 08 errors on a healthy connection
            // (e.g. 08P01 when the parameter count does not match the statement).
            kind = m_conn->is_open() ? DbError::Kind::Other : DbError::Kind::Connection;
            message = serverMessage(e.what());
            state = m_conn->is_open() ? "" : "08006";
        } catch (const pqxx::in_doubt_error &e) {
            kind = DbError::Kind::Connection;
            message = serverMessage(e.what());
        } catch (const pqxx::deadlock_detected &e) {
            kind = DbError::Kind::Deadlock;
            message = serverMessage(e.what());
            state = "40P01";
        } catch (const pqxx::serialization_failure &e) {
            kind = DbError::Kind::Deadlock;
            message = serverMessage(e.what());
            state = "40001";
        } catch (const pqxx::sql_error &e) {
            // libpqxx 6 leaves sqlstate() empty for some of its typed exceptions
            // (insufficient_privilege, for one), so the type decides where it can.
            state = e.sqlstate();
            message = serverMessage(e.what());
            if (state.empty()) {
                if (dynamic_cast<const pqxx::unique_violation *>(&e))
                    state = "23505";
                else if (dynamic_cast<const pqxx::insufficient_privilege *>(&e))
                    state = "42501";
                else if (dynamic_cast<const pqxx::undefined_table *>(&e))
                    state = "42P01";
                else if (dynamic_cast<const pqxx::undefined_column *>(&e))
                    state = "42703";
                else if (dynamic_cast<const pqxx::syntax_error *>(&e))
                    state = "42601";
            }
            kind = kindForSqlState(state);
        } catch (const DbError &) {
            throw;
        } catch (const std::exception &e) {
            message = serverMessage(e.what());
        } catch (...) {
            message = "unknown PostgreSQL error";
        }
        if (kind == DbError::Kind::Connection || !m_conn->is_open()) {
            kind = DbError::Kind::Connection;
            message = "lost the connection to the PostgreSQL server: " + message;
            markBroken();
        }
        throw DbError(kind, message, state);
    }

    std::unique_ptr<pqxx::connection> m_conn;
    std::unique_ptr<pqxx::quiet_errorhandler> m_quiet;
    std::unique_ptr<pqxx::nontransaction> m_tx; // in a transaction: BEGIN sent by text
    bool m_beginPending = false;                // begin() called, BEGIN not sent yet
    std::unordered_map<std::string, std::string> m_statements;
    int m_statementCounter = 0;
    bool m_txFailed = false;
    bool m_broken = false;
};

} // namespace

std::unique_ptr<Connection> connectPostgres(const ConnectionSettings &settings)
{
    const std::string where = "PostgreSQL " + settings.host.toStdString() + ':'
        + (settings.port > 0 ? std::to_string(settings.port) : std::string("5432"));
    try {
        return std::make_unique<PgConnection>(settings);
    } catch (const DbError &e) {
        throw DbError(DbError::Kind::Connection, where + ": " + e.what(), e.sqlState());
    } catch (const pqxx::sql_error &e) {
        throw DbError(DbError::Kind::Connection, where + ": " + serverMessage(e.what()),
                      e.sqlstate());
    } catch (const std::exception &e) {
        throw DbError(DbError::Kind::Connection, where + ": " + serverMessage(e.what()));
    }
}

} // namespace mc::sql
