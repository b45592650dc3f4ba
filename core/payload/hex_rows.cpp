#include "hex_rows.h"

#include "payload_search.h"

namespace mc::payload {

namespace {

constexpr char kHexDigits[] = "0123456789abcdef";

} // namespace

HexRows::HexRows(QByteArray bytes) : m_bytes(std::move(bytes)) {}

qsizetype HexRows::rowCount() const
{
    return (m_bytes.size() + kBytesPerRow - 1) / kBytesPerRow;
}

QString HexRows::rowText(qsizetype row) const
{
    const qsizetype first = row * kBytesPerRow;
    const qsizetype count = qMin(kBytesPerRow, m_bytes.size() - first);
    QString line(maxRowLength(), u' ');
    QChar *out = line.data();
    for (int i = 0; i < 8; ++i)
        out[i] = QLatin1Char(kHexDigits[(quint64(first) >> (28 - 4 * i)) & 0xF]);
    for (qsizetype i = 0; i < count; ++i) {
        const auto byte = static_cast<uchar>(m_bytes[first + i]);
        out[hexColumn(i)] = QLatin1Char(kHexDigits[byte >> 4]);
        out[hexColumn(i) + 1] = QLatin1Char(kHexDigits[byte & 0xF]);
        out[kAsciiColumn + i] = byte >= 0x20 && byte < 0x7F ? QChar(byte) : QChar(u'.');
    }
    out[kAsciiColumn - 1] = u'|';
    line.truncate(kAsciiColumn + count);
    line += u'|';
    return line;
}

std::vector<RowSpan> HexRows::rowSpans(qsizetype row) const
{
    const qsizetype count = qMin(kBytesPerRow, m_bytes.size() - row * kBytesPerRow);
    return {{0, 8, SpanKind::Offset},
            {kAsciiColumn - 1, 1, SpanKind::Punctuation},
            {kAsciiColumn + count, 1, SpanKind::Punctuation}};
}

std::vector<SearchMatch> HexRows::findAll(const QString &needle, Qt::CaseSensitivity cs,
                                          qsizetype limit, const std::atomic_bool *cancel) const
{
    return findAllInBytes(m_bytes, needle.toUtf8(), cs, limit, cancel);
}

void HexRows::unitSpans(qsizetype row, qsizetype start, qsizetype length, SpanKind kind,
                        std::vector<RowSpan> &out) const
{
    const qsizetype rowFirst = row * kBytesPerRow;
    const qsizetype from = qMax(start, rowFirst) - rowFirst;
    const qsizetype to = qMin(start + length, qMin(rowFirst + kBytesPerRow, m_bytes.size()))
                         - rowFirst; // exclusive
    if (to <= from)
        return;
    out.push_back({hexColumn(from), hexColumn(to - 1) + 2 - hexColumn(from), kind});
    out.push_back({kAsciiColumn + from, to - from, kind});
}

std::pair<qsizetype, qsizetype> HexRows::unitsOfRow(qsizetype row) const
{
    const qsizetype first = row * kBytesPerRow;
    return {first, qMin(first + kBytesPerRow, m_bytes.size())};
}

QString HexRows::copyText(RowPosition from, RowPosition to) const
{
    if (to < from)
        std::swap(from, to);
    QString out;
    const qsizetype last = qMin(to.row, rowCount() - 1);
    for (qsizetype row = qMax<qsizetype>(0, from.row); row <= last; ++row) {
        const QString text = rowText(row);
        const qsizetype begin = row == from.row ? qBound<qsizetype>(0, from.column, text.size()) : 0;
        const qsizetype end = row == to.row ? qBound<qsizetype>(0, to.column, text.size())
                                            : text.size();
        if (row != from.row)
            out += u'\n';
        out += QStringView(text).sliced(begin, qMax<qsizetype>(0, end - begin));
    }
    return out;
}

QString hexDump(const QByteArray &bytes, const std::atomic_bool *cancel)
{
    const HexRows rows(bytes);
    QString out;
    out.reserve(rows.rowCount() * (rows.maxRowLength() + 1));
    for (qsizetype row = 0; row < rows.rowCount(); ++row) {
        if (cancel && (row & 0xFFF) == 0 && cancel->load(std::memory_order_relaxed))
            break;
        if (row > 0)
            out += u'\n';
        out += rows.rowText(row);
    }
    return out;
}

} // namespace mc::payload
