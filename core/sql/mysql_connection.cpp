// MariaDB implementation of mc::sql::Connection on the legacy MySQL Connector/C++ 1.1 API.

#include "sql_connection.h"

#include <cppconn/connection.h>
#include <cppconn/datatype.h>
#include <cppconn/exception.h>
#include <cppconn/prepared_statement.h>
#include <cppconn/resultset.h>
#include <cppconn/resultset_metadata.h>
#include <cppconn/statement.h>
#include <mysql_connection.h>
#include <mysql_driver.h>

#include <QStringList>

#include <charconv>
#include <mutex>
#include <sstream>
#include <string>
#include <unordered_map>

namespace mc::sql {

namespace {

// The session's settings in one statement: one round trip.
const char *const kSessionSetup =
    "SET NAMES utf8mb4 COLLATE utf8mb4_bin, time_zone = '+00:00', autocommit = 1, "
    "SESSION sql_mode = 'STRICT_TRANS_TABLES,NO_ZERO_IN_DATE,NO_ZERO_DATE,"
    "ERROR_FOR_DIVISION_BY_ZERO,NO_ENGINE_SUBSTITUTION,PIPES_AS_CONCAT,ANSI_QUOTES'";

DbError::Kind kindFor(int code, const std::string &state)
{
    switch (code) {
    case 2002: // can't connect through socket
    case 2003: // can't connect to server
    case 2006: // server has gone away
    case 2013: // lost connection during query
    case 2055: // lost connection (system error)
    case 1927: // connection was killed
        return DbError::Kind::Connection;
    case 1213: // deadlock
    case 1205: // lock wait timeout
        return DbError::Kind::Deadlock;
    case 1062: // duplicate entry
        return DbError::Kind::UniqueViolation;
    case 1142: // command denied for table
    case 1143: // command denied for column
    case 1370: // command denied for routine
    case 1044: // access denied to database
    case 1045: // access denied for user
    case 1227: // needs a privilege
        return DbError::Kind::Permission;
    case 1064: // parse error
    case 1146: // no such table
    case 1054: // unknown column
        return DbError::Kind::Syntax;
    default:
        break;
    }
    if (state.compare(0, 2, "08") == 0)
        return DbError::Kind::Connection;
    return DbError::Kind::Other;
}

::// The connector prints DOUBLE columns with six significant digits: format them ourselves,
// shortest round-trip as PostgreSQL does.
QByteArray realText(long double value, bool singlePrecision)
{
    char buffer[64];
    const auto result = singlePrecision
        ? std::to_chars(buffer, buffer + sizeof buffer, float(value))
        : std::to_chars(buffer, buffer + sizeof buffer, double(value));
    return QByteArray(buffer, qsizetype(result.ptr - buffer));
}

::sql::SQLString utf8(const QString &text)
{
    return ::sql::SQLString(text.toStdString());
}

// Whether a script piece has nothing but whitespace and -- comment lines.
bool isBlankSql(const QString &piece)
{
    const QStringList lines = piece.split(u'\n');
    for (const QString &line : lines) {
        const QString trimmed = line.trimmed();
        if (!trimmed.isEmpty() && !trimmed.startsWith(QLatin1String("--")))
            return false;
    }
    return true;
}

// The driver singleton and the client library's first initialisation are not thread-safe.
std::mutex &driverMutex()
{
    static std::mutex mutex;
    return mutex;
}

::sql::Connection *openConnection(::sql::ConnectOptionsMap &options)
{
    static bool libraryInitialised = false;
    thread_local bool threadInitialised = false;

    ::sql::mysql::MySQL_Driver *driver = nullptr;
    std::unique_lock lock(driverMutex());
    driver = ::sql::mysql::get_mysql_driver_instance();
    if (!threadInitialised) {
        driver->threadInit();
        threadInitialised = true;
    }
    if (libraryInitialised) {
        lock.unlock();
        return driver->connect(options);
    }
    // The first connect initialises the client library: keep it under the lock.
    libraryInitialised = true;
    return driver->connect(options);
}

class MyConnection final : public Connection
{
public:
    explicit MyConnection(const ConnectionSettings &settings)
    {
        ::sql::ConnectOptionsMap options;
        const QString host = settings.host.isEmpty() ? QStringLiteral("127.0.0.1")
                                                     : settings.host;
        const int port = settings.port > 0 ? settings.port : 3306;
        if (!settings.socket.isEmpty()) {
            options["hostName"] = utf8(QStringLiteral("unix://") + settings.socket);
            options["socket"] = utf8(settings.socket);
        } else {
            const bool ipv6 = host.contains(u':') && !host.startsWith(u'[');
            options["hostName"] = utf8(QStringLiteral("tcp://%1:%2")
                                           .arg(ipv6 ? u'[' + host + u']' : host)
                                           .arg(port));
        }
        options["userName"] = utf8(settings.user);
        options["password"] = utf8(settings.password);
        if (!settings.database.isEmpty())
            options["schema"] = utf8(settings.database);
        options["OPT_CHARSET_NAME"] = ::sql::SQLString("utf8mb4");
        if (settings.connectTimeoutSeconds > 0)
            options["OPT_CONNECT_TIMEOUT"] = settings.connectTimeoutSeconds;
        options["OPT_RECONNECT"] = false;
        // UPDATE reports the rows it matched (as PostgreSQL does), not only those it changed.
        options["CLIENT_FOUND_ROWS"] = true;
        // Several statements in one text, several results back: batch() (one round trip).
        options["CLIENT_MULTI_STATEMENTS"] = true;
        // ssl-mode. With libmariadb, "sslEnforce" turns TLS on but still falls back to plain text
        // when the server has no TLS, so REQUIRED is checked after connecting; "sslVerify" checks
        // the certificate against ssl-ca (else the system store) and the host name. Connector/C
        // has no CA-only check: VERIFY_CA is as strict as VERIFY_IDENTITY here.
        const QString sslMode = settings.sslMode;
        const bool verify = sslMode == u"VERIFY_CA" || sslMode == u"VERIFY_IDENTITY";
        const bool require = verify || sslMode == u"REQUIRED";
        if (require) {
            options["sslEnforce"] = true;
            if (!settings.sslRootCert.isEmpty())
                options["sslCA"] = utf8(settings.sslRootCert);
            if (!settings.sslCert.isEmpty())
                options["sslCert"] = utf8(settings.sslCert);
            if (!settings.sslKey.isEmpty())
                options["sslKey"] = utf8(settings.sslKey);
        }
        if (verify)
            options["sslVerify"] = true;

        m_conn.reset(openConnection(options));
        std::unique_ptr<::sql::Statement> statement(m_conn->createStatement());
        // A read-only session (read_only=true): the server refuses its writes. The setting
        // travels with the session's other settings, before the first statement.
        if (settings.readOnly)
            m_sessionSetupSql += ", SESSION tx_read_only = 1";
        if (require) {
            setUpSession();
            std::unique_ptr<::sql::ResultSet> rs(
                statement->executeQuery("SHOW SESSION STATUS LIKE 'Ssl_cipher'"));
            if (!rs->next() || rs->getString(2).length() == 0) {
                throw DbError(DbError::Kind::Connection,
                              "TLS is required (ssl-mode=" + sslMode.toStdString()
                                  + ") but the server does not support it");
            }
        }
    }

    ~MyConnection() override
    {
        // Statements must go before their connection.
        m_statements.clear();
        if (m_conn) {
            try {
                m_conn->close();
            } catch (...) {
            }
        }
    }

    Backend backend() const override { return Backend::MariaDB; }

    Rows query(const QString &sql, const QVariantList &params) override
    {
        setUpSession();
        openPendingBegin();
        Rows rows;
        withStatement(sql, params, [&](::sql::PreparedStatement &statement) {
            std::unique_ptr<::sql::ResultSet> rs(statement.executeQuery());
            rows = readRows(*rs);
        });
        return rows;
    }

    qint64 exec(const QString &sql, const QVariantList &params) override
    {
        setUpSession();
        openPendingBegin();
        qint64 count = 0;
        withStatement(sql, params, [&](::sql::PreparedStatement &statement) {
            count = statement.executeUpdate();
        });
        return count;
    }

    std::vector<Rows> batch(const std::vector<Statement> &statements) override
    {
        return runBatch(statements, false);
    }

    std::vector<Rows> commitWith(const std::vector<Statement> &statements) override
    {
        if (!m_inTransaction)
            throw DbError(DbError::Kind::Other, "no transaction is open");
        refuseFailedCommit();
        std::vector<Rows> out = runBatch(statements, true);
        m_inTransaction = false;
        return out;
    }

    std::vector<Rows> runBatch(const std::vector<Statement> &statements, bool commit)
    {
        std::vector<Rows> out;
        if (statements.empty() && !commit)
            return out;
        // The session's settings and a transaction's START TRANSACTION ride along with the
        // batch, its COMMIT too when asked: no round trips of their own.
        std::string text;
        int skip = 0; // results of those leading statements
        if (!m_sessionSetUp) {
            text += m_sessionSetupSql + ";\n";
            ++skip;
        }
        if (m_inTransaction && m_beginPending) {
            text += "START TRANSACTION;\n";
            ++skip;
        }
        for (const Statement &statement : statements) {
            std::vector<std::string> literals;
            literals.reserve(size_t(statement.params.size()));
            for (const QVariant &param : statement.params)
                literals.push_back(literal(param));
            text += inlineParameters(Backend::MariaDB,
                                     expandTokens(Backend::MariaDB, statement.sql), literals)
                        .toStdString();
            text += ";\n";
        }
        if (commit)
            text += "COMMIT;\n";
        m_sessionSetUp = true;
        m_beginPending = false;
        guarded([&] {
            std::unique_ptr<::sql::Statement> statement(m_conn->createStatement());
            bool hasRows = statement->execute(text);
            for (int i = 0; i < skip; ++i)
                hasRows = statement->getMoreResults();
            for (size_t i = 0; i < statements.size(); ++i) {
                if (hasRows) {
                    std::unique_ptr<::sql::ResultSet> rs(statement->getResultSet());
                    out.push_back(readRows(*rs));
                } else {
                    out.emplace_back();
                }
                if (i + 1 < statements.size() || commit)
                    hasRows = statement->getMoreResults();
            }
            // Nothing may stay unread, or the connection is out of sync for the next call.
            while (statement->getMoreResults())
                std::unique_ptr<::sql::ResultSet>(statement->getResultSet());
        });
        return out;
    }

    void execScript(const QString &script) override
    {
        // Statements are separated by lines holding only "--@@" (trigger bodies contain ';').
        QStringList pieces;
        QString current;
        const QStringList lines = script.split(u'\n');
        for (const QString &line : lines) {
            if (line.trimmed() == u"--@@") {
                pieces.append(current);
                current.clear();
            } else {
                current += line;
                current += u'\n';
            }
        }
        pieces.append(current);

        setUpSession();
        openPendingBegin();
        guarded([&] {
            std::unique_ptr<::sql::Statement> statement(m_conn->createStatement());
            for (const QString &piece : std::as_const(pieces)) {
                if (isBlankSql(piece))
                    continue;
                if (statement->execute(utf8(piece))) // a result set: read and drop it
                    std::unique_ptr<::sql::ResultSet>(statement->getResultSet());
            }
        });
    }

    void begin() override
    {
        if (m_inTransaction)
            throw DbError(DbError::Kind::Other, "a transaction is already open");
        setUpSession();
        // Plain statements: the connector ignores errors of mysql_commit()/mysql_rollback().
        // START TRANSACTION goes with the first statement (in the same round trip when that
        // is a batch).
        m_inTransaction = true;
        m_beginPending = true;
        m_txFailed = false;
    }

    void commit() override
    {
        if (!m_inTransaction)
            throw DbError(DbError::Kind::Other, "no transaction is open");
        refuseFailedCommit();
        if (m_beginPending) { // nothing was sent: nothing to commit
            m_beginPending = false;
            m_inTransaction = false;
            return;
        }
        try {
            guarded([&] { runStatement("COMMIT"); });
        } catch (...) {
            rollback();
            throw;
        }
        m_inTransaction = false;
    }

    void rollback() noexcept override
    {
        if (!m_inTransaction)
            return;
        m_inTransaction = false;
        m_txFailed = false;
        const bool nothingSent = m_beginPending;
        m_beginPending = false;
        if (m_broken || nothingSent)
            return;
        try {
            runStatement("ROLLBACK");
        } catch (const ::sql::SQLException &e) {
            if (kindFor(e.getErrorCode(), e.getSQLState()) == DbError::Kind::Connection)
                markBroken();
        } catch (...) {
        }
    }

    bool inTransaction() const override { return m_inTransaction; }

    QString serverVersion() override
    {
        const Rows rows = query(QStringLiteral("SELECT VERSION()"), {});
        return rows.empty() ? QString() : rows.text(0, 0);
    }

    bool isBroken() const override { return m_broken; }

private:
    // The session's settings (time zone, character set, sql_mode) before the first statement:
    // by themselves here, or with the first batch (batch()).
    void setUpSession()
    {
        if (m_sessionSetUp)
            return;
        guarded([&] { runStatement(m_sessionSetupSql.c_str()); });
        m_sessionSetUp = true;
    }

    // Same contract as PostgreSQL: a failed statement dooms the whole transaction.
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
        if (!m_inTransaction || !m_beginPending)
            return;
        m_beginPending = false;
        guarded([&] { runStatement("START TRANSACTION"); });
    }

    static Rows readRows(::sql::ResultSet &rs)
    {
        ::sql::ResultSetMetaData *meta = rs.getMetaData(); // owned by the result set
        const int columns = int(meta->getColumnCount());
        std::vector<int> types(static_cast<size_t>(columns));
        for (int c = 1; c <= columns; ++c)
            types[size_t(c - 1)] = meta->getColumnType(uint32_t(c));
        Rows rows(columns);
        while (rs.next()) {
            for (int c = 1; c <= columns; ++c) {
                const auto index = uint32_t(c);
                if (rs.isNull(index)) {
                    rows.appendNull();
                    continue;
                }
                const int type = types[size_t(c - 1)];
                if (type == ::sql::DataType::DOUBLE || type == ::sql::DataType::REAL) {
                    const long double real = rs.getDouble(index);
                    const QByteArray text = realText(real, type == ::sql::DataType::REAL);
                    rows.append(text.constData(), text.size());
                    continue;
                }
                const ::sql::SQLString value = rs.getString(index);
                const std::string &bytes = value.asStdString();
                if (rs.wasNull())
                    rows.appendNull();
                else
                    rows.append(bytes.data(), qsizetype(bytes.size()));
            }
        }
        return rows;
    }

    // A parameter as a literal: text escaped for the connection's character set.
    std::string literal(const QVariant &value)
    {
        if (!value.isValid() || value.isNull())
            return "NULL";
        switch (value.typeId()) {
        case QMetaType::Bool:
            return value.toBool() ? "TRUE" : "FALSE";
        case QMetaType::Int:
        case QMetaType::Long:
        case QMetaType::LongLong:
        case QMetaType::Short:
        case QMetaType::Char:
        case QMetaType::SChar: {
            const qlonglong number = value.toLongLong();
            const std::string digits = std::to_string(number);
            return number < 0 ? "(" + digits + ")" : digits;
        }
        case QMetaType::UInt:
        case QMetaType::ULong:
        case QMetaType::ULongLong:
        case QMetaType::UShort:
        case QMetaType::UChar:
            return std::to_string(value.toULongLong());
        case QMetaType::Double:
        case QMetaType::Float:
            return "(" + QByteArray::number(value.toDouble(), 'g', 17).toStdString() + ")";
        case QMetaType::QByteArray: {
            const QByteArray bytes = value.toByteArray();
            return "X'" + bytes.toHex().toStdString() + "'";
        }
        case QMetaType::QString:
        default: {
            auto *connection = dynamic_cast<::sql::mysql::MySQL_Connection *>(m_conn.get());
            if (!connection)
                throw DbError(DbError::Kind::Other, "cannot escape text for this connection");
            return "'" + connection->escapeString(utf8(value.toString())).asStdString() + "'";
        }
        }
    }

    struct Prepared
    {
        std::unique_ptr<::sql::PreparedStatement> statement;
        std::vector<int> order; // parameter index for each '?'
    };

    template<typename F>
    void withStatement(const QString &sql, const QVariantList &params, F &&run)
    {
        guarded([&] {
            Prepared &prepared = statementFor(sql);
            ::sql::PreparedStatement &statement = *prepared.statement;
            // Blob streams must outlive the execution; the driver keeps only pointers.
            std::vector<std::unique_ptr<std::istringstream>> blobs;
            struct Clear
            {
                ::sql::PreparedStatement &statement;
                ~Clear()
                {
                    try {
                        statement.clearParameters();
                    } catch (...) {
                    }
                }
            } clear{statement};

            statement.clearParameters();
            for (size_t i = 0; i < prepared.order.size(); ++i) {
                const int index = prepared.order[i];
                if (index >= params.size()) {
                    throw DbError(DbError::Kind::Other,
                                  "missing value for parameter $" + std::to_string(index + 1));
                }
                bind(statement, unsigned(i + 1), params.at(index), blobs);
            }
            run(statement);
        });
    }

    static void bind(::sql::PreparedStatement &statement, unsigned position, const QVariant &value,
                     std::vector<std::unique_ptr<std::istringstream>> &blobs)
    {
        if (!value.isValid() || value.isNull()) {
            statement.setNull(position, ::sql::DataType::VARCHAR);
            return;
        }
        switch (value.typeId()) {
        case QMetaType::Bool:
            statement.setBoolean(position, value.toBool());
            break;
        case QMetaType::Int:
        case QMetaType::Long:
        case QMetaType::LongLong:
        case QMetaType::Short:
        case QMetaType::Char:
        case QMetaType::SChar:
            statement.setInt64(position, value.toLongLong());
            break;
        case QMetaType::UInt:
        case QMetaType::ULong:
        case QMetaType::ULongLong:
        case QMetaType::UShort:
        case QMetaType::UChar:
            statement.setUInt64(position, value.toULongLong());
            break;
        case QMetaType::Double:
        case QMetaType::Float:
            statement.setDouble(position, value.toDouble());
            break;
        case QMetaType::QByteArray: {
            const QByteArray bytes = value.toByteArray();
            blobs.push_back(std::make_unique<std::istringstream>(
                std::string(bytes.constData(), size_t(bytes.size()))));
            statement.setBlob(position, blobs.back().get());
            break;
        }
        case QMetaType::QString:
        default:
            statement.setString(position, utf8(value.toString()));
            break;
        }
    }

    Prepared &statementFor(const QString &sql)
    {
        const std::string key = sql.toStdString();
        auto it = m_statements.find(key);
        if (it != m_statements.end())
            return it->second;
        Prepared prepared;
        const QString text = positionalPlaceholders(expandTokens(Backend::MariaDB, sql),
                                                    &prepared.order);
        prepared.statement.reset(m_conn->prepareStatement(utf8(text)));
        return m_statements.emplace(key, std::move(prepared)).first->second;
    }

    void runStatement(const char *text)
    {
        std::unique_ptr<::sql::Statement> statement(m_conn->createStatement());
        statement->execute(text);
    }

    void markBroken()
    {
        m_broken = true;
        m_statements.clear();
    }

    // Runs `f`, translating connector exceptions into DbError.
    template<typename F>
    void guarded(F &&f)
    {
        if (m_broken)
            throw DbError(DbError::Kind::Connection, "the MariaDB connection is broken");
        try {
            f();
        } catch (const DbError &) {
            if (m_inTransaction)
                m_txFailed = true;
            throw;
        } catch (const ::sql::SQLException &e) {
            if (m_inTransaction)
                m_txFailed = true;
            const std::string state = e.getSQLState();
            const DbError::Kind kind = kindFor(e.getErrorCode(), state);
            if (kind == DbError::Kind::Connection)
                markBroken();
            throw DbError(kind, e.what(), state);
        } catch (const std::exception &e) {
            if (m_inTransaction)
                m_txFailed = true;
            throw DbError(DbError::Kind::Other, e.what());
        }
    }

    std::unique_ptr<::sql::Connection> m_conn;
    std::unordered_map<std::string, Prepared> m_statements;
    bool m_inTransaction = false;
    bool m_txFailed = false;
    bool m_broken = false;
    bool m_sessionSetUp = false;
    std::string m_sessionSetupSql = kSessionSetup;
    bool m_beginPending = false; // begin() called, START TRANSACTION not sent yet
};

} // namespace

std::unique_ptr<Connection> connectMariaDb(const ConnectionSettings &settings)
{
    const std::string where = settings.socket.isEmpty()
        ? "MariaDB " + settings.host.toStdString() + ':'
            + std::to_string(settings.port > 0 ? settings.port : 3306)
        : "MariaDB " + settings.socket.toStdString();
    try {
        return std::make_unique<MyConnection>(settings);
    } catch (const ::sql::SQLException &e) {
        throw DbError(DbError::Kind::Connection, where + ": " + e.what(), e.getSQLState());
    } catch (const std::exception &e) {
        throw DbError(DbError::Kind::Connection, where + ": " + e.what());
    }
}

} // namespace mc::sql
