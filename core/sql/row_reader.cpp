#include "row_reader.h"

namespace mc::sql {

namespace {

[[noreturn]] void mismatch(const QString &what)
{
    throw DbError(DbError::Kind::Other,
                  QStringLiteral("The database's answer does not have the form this build reads "
                                 "(%1). Is the schema newer than this console?")
                      .arg(what)
                      .toStdString());
}

} // namespace

RowReader::RowReader(const Rows &rows, int row) : m_rows(rows), m_row(row)
{
    if (row < 0 || row >= rows.size())
        mismatch(QStringLiteral("row %1 of %2").arg(row + 1).arg(rows.size()));
}

int RowReader::next()
{
    if (m_column >= m_rows.columns())
        mismatch(QStringLiteral("column %1 asked for, %2 returned")
                     .arg(m_column + 1)
                     .arg(m_rows.columns()));
    return m_column++;
}

bool RowReader::nextIsNull() const
{
    return m_column < m_rows.columns() && m_rows.isNull(m_row, m_column);
}

QString RowReader::text()
{
    return m_rows.text(m_row, next());
}

QByteArray RowReader::bytes()
{
    return m_rows.bytes(m_row, next());
}

qint64 RowReader::number(int column) const
{
    if (m_rows.isNull(m_row, column))
        return 0;
    bool ok = false;
    const qint64 value = m_rows.view(m_row, column).toLongLong(&ok);
    if (!ok)
        mismatch(QStringLiteral("column %1 is not a whole number").arg(column + 1));
    return value;
}

qint64 RowReader::int64()
{
    return number(next());
}

int RowReader::int32()
{
    return int(int64());
}

std::optional<qint64> RowReader::optionalInt64()
{
    const int column = next();
    if (m_rows.isNull(m_row, column))
        return std::nullopt;
    return number(column);
}

bool RowReader::boolean()
{
    return m_rows.boolean(m_row, next());
}

void RowReader::skip(int columns)
{
    for (int i = 0; i < columns; ++i)
        next();
}

void RowReader::finish() const
{
    if (m_column != m_rows.columns())
        mismatch(QStringLiteral("%1 columns returned, %2 read")
                     .arg(m_rows.columns())
                     .arg(m_column));
}

} // namespace mc::sql
