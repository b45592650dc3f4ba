#include "scripted_store.h"

#include "schema_manager.h"
#include "sql/sql_connection.h"

namespace mc::test {

namespace {

sql::Rows rowOf(const QList<QByteArray> &values)
{
    sql::Rows rows(int(values.size()));
    for (const QByteArray &value : values)
        rows.append(value.constData(), value.size());
    return rows;
}

class ScriptedConnection : public sql::Connection
{
public:
    explicit ScriptedConnection(std::shared_ptr<int> columns) : m_columns(std::move(columns)) {}

    sql::Backend backend() const override { return sql::Backend::PostgreSQL; }
    sql::Rows query(const QString &sql, const QVariantList &) override
    {
        if (sql.contains(QLatin1String("pg_backend_pid()")))
            // The session: the server's id of the connection (statementCanceller), version, role.
            return rowOf({"4242", "scripted", "t"});
        if (sql.contains(QLatin1String("information_schema.tables")))
            return rowOf({"schema_version"});
        if (sql.contains(QLatin1String("MAX(version)")))
            return rowOf({QByteArray::number(SchemaManager(*this).knownVersion())});
        if (sql.contains(QLatin1String("FROM failed_records f"))) {
            // Column 1 the id, 2 and 20 times, 4 a user id, 5 a model id, 11 and 12 numbers; the
            // rest say which column they are.
            QList<QByteArray> values;
            for (int column = 1; column <= *m_columns; ++column)
                values << (QList<int>{1, 2, 4, 5, 11, 12, 20}.contains(column)
                               ? QByteArray::number(column)
                               : QByteArrayLiteral("column ") + QByteArray::number(column));
            return rowOf(values);
        }
        throw sql::DbError(sql::DbError::Kind::Syntax, "not scripted: " + sql.toStdString());
    }
    std::vector<sql::Rows> batch(const std::vector<sql::Statement> &statements) override
    {
        std::vector<sql::Rows> out;
        for (const sql::Statement &statement : statements)
            out.push_back(query(statement.sql, statement.params));
        return out;
    }
    std::vector<sql::Rows> commitWith(const std::vector<sql::Statement> &statements) override
    {
        return batch(statements);
    }
    qint64 exec(const QString &, const QVariantList &) override { return 0; }
    void execScript(const QString &) override {}
    void begin() override {}
    void commit() override {}
    void rollback() noexcept override {}
    bool inTransaction() const override { return false; }
    QString serverVersion() override { return QStringLiteral("scripted"); }
    bool isBroken() const override { return false; }

private:
    std::shared_ptr<int> m_columns;
};

} // namespace

ScriptedStore::ScriptedStore()
    : SqlMergeStore(ConnectionUrl::parse(QStringLiteral("postgresql://t@scripted.invalid/merge"))
                        .value())
{
}

std::unique_ptr<sql::Connection> ScriptedStore::openConnection(const sql::ConnectionSettings &)
{
    return std::make_unique<ScriptedConnection>(m_columns);
}

} // namespace mc::test
