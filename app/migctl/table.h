#pragma once

// An aligned text table for people: a header row, columns padded to their widest cell, numbers
// right-aligned. Cells are made terminal-safe (see cellText).

#include <QList>
#include <QString>
#include <QStringList>

namespace mc::cli {

class Table
{
public:
    explicit Table(QStringList headers);

    void alignRight(std::initializer_list<int> columns);
    void addRow(const QStringList &cells);
    bool isEmpty() const { return m_rows.isEmpty(); }

    QString render() const; // lines ending in '\n'; the last column is not padded

private:
    QStringList m_headers;
    QList<QStringList> m_rows;
    QList<bool> m_right;
};

} // namespace mc::cli
