#pragma once

// A hex dump of a payload, 16 bytes a row, made row by row when asked for:
//
//   00000000  48 65 6c 6c 6f 2c 20 77  6f 72 6c 64 0a 00 ff 7f  |Hello, world....|
//
// (the layout of `hexdump -C`), so a payload of any size costs only the rows on screen.

#include "text_rows.h"

#include <QByteArray>

namespace mc::payload {

class HexRows final : public TextRows
{
public:
    static constexpr qsizetype kBytesPerRow = 16;
    static constexpr qsizetype kAsciiColumn = 61;

    explicit HexRows(QByteArray bytes);

    const QByteArray &bytes() const { return m_bytes; }

    qsizetype rowCount() const override;
    QString rowText(qsizetype row) const override;
    bool continuesPreviousRow(qsizetype) const override { return false; }
    QString rowLabel(qsizetype) const override { return {}; }
    qsizetype labelWidth() const override { return 0; }
    qsizetype maxRowLength() const override { return kAsciiColumn + kBytesPerRow + 1; }
    std::vector<RowSpan> rowSpans(qsizetype row) const override;
    std::vector<SearchMatch> findAll(const QString &needle, Qt::CaseSensitivity cs,
                                     qsizetype limit,
                                     const std::atomic_bool *cancel = nullptr) const override;
    qsizetype rowOfUnit(qsizetype unit) const override { return unit / kBytesPerRow; }
    void unitSpans(qsizetype row, qsizetype start, qsizetype length, SpanKind kind,
                   std::vector<RowSpan> &out) const override;
    std::pair<qsizetype, qsizetype> unitsOfRow(qsizetype row) const override;
    qsizetype unitCount() const override { return m_bytes.size(); }
    QString copyText(RowPosition from, RowPosition to) const override;

    // The column of byte `index` (0–15) of a row in the hex part.
    static qsizetype hexColumn(qsizetype index) { return 10 + index * 3 + (index >= 8 ? 1 : 0); }

private:
    QByteArray m_bytes;
};

// The whole dump, rows joined by '\n' (for copying). A set `cancel` returns early with a part.
QString hexDump(const QByteArray &bytes, const std::atomic_bool *cancel = nullptr);

} // namespace mc::payload
