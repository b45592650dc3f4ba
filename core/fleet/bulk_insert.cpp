#include "bulk_insert.h"

#include "fleet_connection.h"

#include <bit>
#include <stdexcept>

namespace mc::fleet {

namespace {

qint64 sizeOf(const QVariant &value)
{
    switch (value.typeId()) {
    case QMetaType::QByteArray:
        return value.toByteArray().size();
    case QMetaType::QString:
        return value.toString().size() * 2;
    default:
        return 8;
    }
}

} // namespace

BulkInsert::BulkInsert(sql::Connection &connection, QString head, QString rowTemplate,
                       QString tail, int rowsPerStatement, qint64 maxBytes)
    : m_connection(connection), m_head(std::move(head)), m_tail(std::move(tail)),
      m_maxBytes(maxBytes)
{
    m_rowPieces = rowTemplate.split(QLatin1Char('?'));
    m_columns = int(m_rowPieces.size()) - 1;
    // PostgreSQL and MariaDB both take at most 65 535 parameters in one statement.
    m_rowsPerStatement = std::max(1, std::min(rowsPerStatement, 65'535 / std::max(1, m_columns)));
    m_params.reserve(qsizetype(m_rowsPerStatement) * m_columns);
}

void BulkInsert::add(const QVariantList &row)
{
    if (row.size() != m_columns)
        throw std::logic_error("BulkInsert: a row has the wrong number of values");
    qint64 bytes = 0;
    for (const QVariant &value : row)
        bytes += sizeOf(value);
    if (m_rows > 0 && m_bytes + bytes > m_maxBytes)
        closeStatement(m_deferred);
    m_params.append(row);
    m_bytes += bytes;
    if (++m_rows >= m_rowsPerStatement)
        closeStatement(m_deferred);
}

void BulkInsert::flush()
{
    flushFull();
    closeStatement(false);
}

void BulkInsert::flushFull()
{
    while (!m_waiting.isEmpty())
        execute(m_waiting.takeFirst());
}

void BulkInsert::closeStatement(bool defer)
{
    if (m_rows == 0)
        return;
    if (defer)
        m_waiting.append(m_params);
    else
        execute(m_params);
    m_rowsWritten += m_rows;
    m_params.clear();
    m_rows = 0;
    m_bytes = 0;
}

void BulkInsert::run(const QString &statement, const QVariantList &params)
{
    if (m_ownTransactions)
        inTransaction(m_connection, [&] { m_connection.exec(statement, params); });
    else
        m_connection.exec(statement, params);
}

void BulkInsert::execute(const QVariantList &params)
{
    const int rows = int(params.size() / m_columns);
    if (rows == m_rowsPerStatement) {
        run(statementFor(rows), params);
        return;
    }
    // A short statement goes as pieces of 2^k rows, so a connection prepares at most a dozen
    // different texts however the rows fall.
    qsizetype offset = 0;
    for (int left = rows; left > 0;) {
        const int piece = int(std::bit_floor(unsigned(left)));
        run(statementFor(piece), params.mid(offset, qsizetype(piece) * m_columns));
        offset += qsizetype(piece) * m_columns;
        left -= piece;
    }
}

const QString &BulkInsert::statementFor(int rows)
{
    auto it = m_statements.find(rows);
    if (it != m_statements.end())
        return *it;
    QString text = m_head;
    text.reserve(m_head.size() + rows * (m_rowPieces.join(QString()).size() + m_columns * 7 + 2));
    int parameter = 0;
    for (int r = 0; r < rows; ++r) {
        if (r > 0)
            text += QStringLiteral(", ");
        text += m_rowPieces.first();
        for (int c = 0; c < m_columns; ++c) {
            text += QLatin1Char('$') + QString::number(++parameter);
            text += m_rowPieces.at(c + 1);
        }
    }
    text += m_tail;
    return *m_statements.insert(rows, text);
}

} // namespace mc::fleet
