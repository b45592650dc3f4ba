#include "table.h"

#include "text_format.h"

namespace mc::cli {

Table::Table(QStringList headers) : m_headers(std::move(headers)), m_right(m_headers.size(), false)
{
}

void Table::alignRight(std::initializer_list<int> columns)
{
    for (int column : columns)
        if (column >= 0 && column < m_right.size())
            m_right[column] = true;
}

void Table::addRow(const QStringList &cells)
{
    QStringList row;
    for (qsizetype c = 0; c < m_headers.size(); ++c)
        row << cellText(cells.value(c));
    m_rows << row;
}

QString Table::render() const
{
    QList<int> widths(m_headers.size(), 0);
    auto measure = [&](const QStringList &row) {
        for (qsizetype c = 0; c < row.size(); ++c)
            widths[c] = std::max(widths[c], displayWidth(row[c]));
    };
    measure(m_headers);
    for (const QStringList &row : m_rows)
        measure(row);

    QString text;
    auto writeRow = [&](const QStringList &row) {
        QString line;
        for (qsizetype c = 0; c < row.size(); ++c) {
            const QString padding(widths[c] - displayWidth(row[c]), QLatin1Char(' '));
            const bool last = c + 1 == row.size();
            if (c > 0)
                line += QStringLiteral("  ");
            if (m_right[c])
                line += padding + row[c];
            else
                line += last ? row[c] : row[c] + padding;
        }
        if (row.last().isEmpty()) // no trailing padding before an empty last cell
            while (line.endsWith(QLatin1Char(' ')))
                line.chop(1);
        text += line + QLatin1Char('\n');
    };
    writeRow(m_headers);
    for (const QStringList &row : m_rows)
        writeRow(row);
    if (m_rows.isEmpty())
        text += QStringLiteral("(none)\n");
    return text;
}

} // namespace mc::cli
