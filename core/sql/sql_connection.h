#pragma once

// A thin, driver-neutral connection used by the store implementations. SQL is written once with
// PostgreSQL-style placeholders ($1, $2, … in any order, repeatable) and two portable tokens that
// each backend expands:
//   {ms:EXPR}  the timestamp EXPR as UTC epoch milliseconds (BIGINT)
//   {ts:$N}    the UTC epoch-milliseconds parameter N as a timestamp value
// Parameters are QVariants: null, bool, int/qlonglong, double, QString (text), QByteArray (bytes).
// Errors are thrown as DbError; the store turns them into StoreError values at its boundary.
// One connection belongs to one thread.

#include <QByteArray>
#include <QString>
#include <QVariant>

#include <memory>
#include <optional>
#include <stdexcept>
#include <vector>

namespace mc::sql {

enum class Backend { PostgreSQL, MariaDB };

class DbError : public std::runtime_error
{
public:
    enum class Kind {
        Connection,      // broken or unreachable; the connection is unusable
        Deadlock,        // deadlock or serialisation failure: the transaction may be retried
        UniqueViolation,
        Permission,
        Syntax,          // includes undefined tables and columns
        Other,
    };
    DbError(Kind kind, const std::string &message, std::string sqlState = {})
        : std::runtime_error(message), m_kind(kind), m_sqlState(std::move(sqlState))
    {
    }
    Kind kind() const { return m_kind; }
    const std::string &sqlState() const { return m_sqlState; }

private:
    Kind m_kind;
    std::string m_sqlState;
};

// A fully fetched result: rows × columns of nullable byte strings in the server's text form
// (bytea/BLOB columns already decoded to raw bytes), kept in one buffer: a page of 200 rows is
// one allocation, not thousands.
class Rows
{
public:
    Rows() = default;
    explicit Rows(int columns) : m_columns(columns) {}

    // Filling, row by row and column by column.
    void append(const char *data, qsizetype size)
    {
        m_cells.push_back({qint64(m_buffer.size()), qint64(size)});
        m_buffer.append(data, size);
    }
    void appendNull() { m_cells.push_back({0, -1}); }

    int size() const { return m_columns ? int(m_cells.size() / size_t(m_columns)) : 0; }
    int columns() const { return m_columns; }
    bool empty() const { return size() == 0; }

    bool isNull(int row, int column) const { return cell(row, column).size < 0; }
    QByteArrayView view(int row, int column) const
    {
        const Cell &c = cell(row, column);
        return c.size < 0 ? QByteArrayView() : QByteArrayView(m_buffer.constData() + c.offset, c.size);
    }
    QByteArray bytes(int row, int column) const { return view(row, column).toByteArray(); }
    // UTF-8 to QString keeping a leading U+FEFF, which QString::fromUtf8() would drop.
    QString text(int row, int column) const;
    qint64 int64(int row, int column) const { return view(row, column).toLongLong(); }
    int int32(int row, int column) const { return int(int64(row, column)); }
    double real(int row, int column) const { return view(row, column).toDouble(); }
    bool boolean(int row, int column) const; // accepts t/f, true/false, 1/0
    std::optional<qint64> optionalInt64(int row, int column) const;

private:
    struct Cell
    {
        qint64 offset;
        qint64 size; // -1: SQL NULL
    };
    const Cell &cell(int row, int column) const
    {
        return m_cells.at(size_t(row) * size_t(m_columns) + size_t(column));
    }

    int m_columns = 0;
    QByteArray m_buffer;
    std::vector<Cell> m_cells;
};

struct ConnectionSettings
{
    QString host = QStringLiteral("127.0.0.1");
    int port = 0;
    QString user;
    QString password;
    QString database;
    QString socket;          // MariaDB unix socket; empty for TCP
    // TLS. PostgreSQL: sslmode disable|allow|prefer|require|verify-ca|verify-full (libpq's
    // default, prefer, when empty). MariaDB: DISABLED|REQUIRED|VERIFY_CA|VERIFY_IDENTITY
    // (plain text when empty). The files are PEM paths: the CA, the client certificate and key.
    QString sslMode;
    QString sslRootCert;
    QString sslCert;
    QString sslKey;
    int connectTimeoutSeconds = 10;
    // A read-only session: the server refuses every write (PostgreSQL
    // default_transaction_read_only, MariaDB SET SESSION TRANSACTION READ ONLY).
    bool readOnly = false;
};

// One statement of a batch: SQL with $N placeholders and tokens, and its parameters.
struct Statement
{
    QString sql;
    QVariantList params = {};
};

class Connection
{
public:
    virtual ~Connection() = default;

    virtual Backend backend() const = 0;
    virtual Rows query(const QString &sql, const QVariantList &params = {}) = 0;
    // Returns the number of rows the statement changed.
    virtual qint64 exec(const QString &sql, const QVariantList &params = {}) = 0;
    // Runs the statements in order as one batch, in one network round trip, and returns each
    // statement's rows (no rows for one that returns none). A remote console pays a round trip
    // per query, so a refresh, a page or an action sends its queries this way (issue 18).
    // Parameters go in as literals the driver escapes for this connection (PostgreSQL
    // PQescapeStringConn, MariaDB mysql_real_escape_string), since neither protocol carries
    // parameters for several statements at once. The first failing statement throws DbError;
    // those after it do not run. Inside a transaction the batch is part of it.
    virtual std::vector<Rows> batch(const std::vector<Statement> &statements) = 0;
    // In a transaction: runs the statements and commits, all in one round trip. On an error
    // nothing is committed and the transaction stays open for rollback().
    virtual std::vector<Rows> commitWith(const std::vector<Statement> &statements) = 0;
    // Several statements separated by semicolons, no parameters (schema scripts).
    virtual void execScript(const QString &script) = 0;

    // Opens a transaction. The BEGIN travels with the first statement that follows (in the
    // same round trip when that is a batch).
    virtual void begin() = 0;
    virtual void commit() = 0;
    virtual void rollback() noexcept = 0;
    virtual bool inTransaction() const = 0;

    virtual QString serverVersion() = 0;
    virtual bool isBroken() const = 0;
};

std::unique_ptr<Connection> connectPostgres(const ConnectionSettings &settings);
std::unique_ptr<Connection> connectMariaDb(const ConnectionSettings &settings);

// Rewrites {ms:…} and {ts:$N} for the backend. Exposed for tests.
QString expandTokens(Backend backend, const QString &sql);
// Rewrites $N placeholders to '?' and returns which parameter each '?' takes (0-based).
// Quoted strings and identifiers are left alone.
QString positionalPlaceholders(const QString &sql, std::vector<int> *order);
// Replaces each $N placeholder with literals[N - 1] (already quoted by the caller), leaving
// quoted strings, identifiers and comments alone. Throws DbError when a literal is missing.
QString inlineParameters(Backend backend, const QString &sql, const std::vector<std::string> &literals);

} // namespace mc::sql
