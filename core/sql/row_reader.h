#pragma once

// Reads one row of a result column after column, in the order of the select list, so decoding
// names no column number: a reader for a select list is written beside it and reads it in the
// same order (failureRow() reads the failure columns, failure() reads on where it stopped).
// Reading past the last column, leaving columns unread (finish()), or a value of the wrong form
// (text where a number belongs) throws a DbError the store returns as a StoreError: a select list
// and its reader that drifted apart give an error, never a wrong value or an abort.

#include "sql_connection.h"

namespace mc::sql {

class RowReader
{
public:
    RowReader(const Rows &rows, int row);

    bool nextIsNull() const;
    QString text();
    QByteArray bytes();
    qint64 int64(); // NULL reads as 0
    int int32();
    std::optional<qint64> optionalInt64();
    bool boolean();
    void skip(int columns = 1);
    // Every column was read.
    void finish() const;

private:
    int next();
    qint64 number(int column) const;

    const Rows &m_rows;
    int m_row;
    int m_column = 0;
};

} // namespace mc::sql
