#pragma once

// Multi-row INSERT statements, filled row by row. Every full statement has the same text, so
// each connection prepares it once; a shorter rest goes as pieces of 2^k rows. A row template
// names its values with '?' in column order, e.g. "(?, ?, {ts:?})"; they become $N placeholders.

#include "sql/sql_connection.h"

#include <QHash>

namespace mc::fleet {

class BulkInsert
{
public:
    // head: "INSERT INTO t (a, b, c) VALUES ", tail: e.g. " ON CONFLICT DO NOTHING".
    // A statement holds at most rowsPerStatement rows and (roughly) maxBytes of values.
    BulkInsert(sql::Connection &connection, QString head, QString rowTemplate, QString tail,
               int rowsPerStatement, qint64 maxBytes = 8 * 1024 * 1024);
    ~BulkInsert() = default;
    BulkInsert(const BulkInsert &) = delete;
    BulkInsert &operator=(const BulkInsert &) = delete;

    void add(const QVariantList &row); // writes a statement when it is full (unless deferred)
    void flush();                      // writes what is left
    void flushFull();                  // writes the deferred statements, keeps the open one

    // Deferred: full statements wait for flush(), so the caller decides when rows reach the
    // server (parents before children).
    void setDeferred(bool deferred) { m_deferred = deferred; }
    // Each statement in a transaction of its own, retried on a deadlock: bulk loaders on
    // several connections then hold the counter rows the triggers update only for a moment.
    void setTransactionPerStatement(bool own) { m_ownTransactions = own; }

    qint64 rowsWritten() const { return m_rowsWritten; } // including deferred ones
    int columns() const { return m_columns; }

private:
    const QString &statementFor(int rows);
    void closeStatement(bool defer);
    void execute(const QVariantList &params);
    void run(const QString &statement, const QVariantList &params);

    sql::Connection &m_connection;
    QString m_head;
    QStringList m_rowPieces; // the template split at '?'
    QString m_tail;
    int m_columns = 0;
    int m_rowsPerStatement = 0;
    qint64 m_maxBytes = 0;

    QVariantList m_params;
    int m_rows = 0;
    qint64 m_bytes = 0;
    qint64 m_rowsWritten = 0;
    QHash<int, QString> m_statements;
    bool m_deferred = false;
    bool m_ownTransactions = false;
    QList<QVariantList> m_waiting; // deferred full statements' parameters
};

} // namespace mc::fleet
