#include "text_rows.h"

#include "payload_search.h"

#include <algorithm>

namespace mc::payload {

QString TextRows::allText() const
{
    const qsizetype rows = rowCount();
    if (rows == 0)
        return {};
    return copyText({0, 0}, {rows - 1, rowText(rows - 1).size()});
}

std::vector<RowSpan> TextRows::matchSpans(qsizetype row, const std::vector<SearchMatch> &matches,
                                          qsizetype current) const
{
    std::vector<RowSpan> out;
    const auto [first, last] = unitsOfRow(row);
    // Matches do not overlap, so their ends are sorted too.
    auto it = std::partition_point(matches.begin(), matches.end(), [first](const SearchMatch &m) {
        return m.start + m.length <= first;
    });
    for (; it != matches.end() && it->start < last; ++it) {
        const bool isCurrent = it - matches.begin() == current;
        unitSpans(row, it->start, it->length,
                  isCurrent ? SpanKind::CurrentMatch : SpanKind::Match, out);
    }
    return out;
}

std::shared_ptr<const TextRows> TextRows::rewrapped(qsizetype) const
{
    return nullptr;
}

WrappedText::WrappedText(QString text, std::vector<TextSpan> spans, qsizetype wrapColumn)
    : WrappedText(std::move(text),
                  std::make_shared<const std::vector<TextSpan>>(std::move(spans)), wrapColumn)
{
}

WrappedText::WrappedText(QString text, std::shared_ptr<const std::vector<TextSpan>> spans,
                         qsizetype wrapColumn)
    : m_text(std::move(text)), m_spans(std::move(spans)),
      m_wrapColumn(qMax<qsizetype>(wrapColumn, 8))
{
    index();
}

std::shared_ptr<const TextRows> WrappedText::rewrapped(qsizetype wrapColumn) const
{
    return std::make_shared<const WrappedText>(m_text, m_spans, wrapColumn);
}

void WrappedText::index()
{
    const qsizetype wrapColumn = m_wrapColumn;
    const qsizetype size = m_text.size();
    const QChar *data = m_text.constData();
    qsizetype lineStart = 0;
    m_rowStarts.reserve(size_t(size / 40 + 1));
    m_lineStarts.reserve(size_t(size / 40 + 1));
    for (;;) {
        m_lineStarts.push_back(lineStart);
        const QChar *newline = std::find(data + lineStart, data + size, u'\n');
        const qsizetype lineEnd = newline - data; // the '\n' or the end
        qsizetype rowStart = lineStart;
        do {
            m_rowStarts.push_back(rowStart);
            qsizetype rowEnd = lineEnd;
            if (lineEnd - rowStart > wrapColumn) {
                rowEnd = rowStart + wrapColumn;
                if (data[rowEnd - 1].isHighSurrogate() && data[rowEnd].isLowSurrogate())
                    --rowEnd; // never split a surrogate pair
            }
            m_maxRowLength = qMax(m_maxRowLength, rowEnd - rowStart);
            rowStart = rowEnd;
        } while (rowStart < lineEnd);
        if (lineEnd == size)
            break;
        lineStart = lineEnd + 1;
    }
    m_rowStarts.shrink_to_fit();
    m_lineStarts.shrink_to_fit();
}

qsizetype WrappedText::rowEnd(qsizetype row) const
{
    if (row + 1 < rowCount()) {
        const qsizetype next = rowStart(row + 1);
        return continuesPreviousRow(row + 1) ? next : next - 1;
    }
    return m_text.size();
}

bool WrappedText::continuesPreviousRow(qsizetype row) const
{
    if (row <= 0)
        return false;
    const qsizetype start = rowStart(row);
    return m_text.at(start - 1) != u'\n';
}

QString WrappedText::rowText(qsizetype row) const
{
    const qsizetype start = rowStart(row);
    return m_text.mid(start, rowEnd(row) - start);
}

qsizetype WrappedText::lineOfPosition(qsizetype position) const
{
    const auto it = std::upper_bound(m_lineStarts.begin(), m_lineStarts.end(), position);
    return qsizetype(it - m_lineStarts.begin()) - 1;
}

qsizetype WrappedText::rowOfPosition(qsizetype position) const
{
    const auto it = std::upper_bound(m_rowStarts.begin(), m_rowStarts.end(), position);
    return qMax<qsizetype>(0, qsizetype(it - m_rowStarts.begin()) - 1);
}

QString WrappedText::rowLabel(qsizetype row) const
{
    if (continuesPreviousRow(row))
        return QStringLiteral("↪");
    return QString::number(lineOfPosition(rowStart(row)) + 1);
}

qsizetype WrappedText::labelWidth() const
{
    return QString::number(lineCount()).size();
}

std::vector<RowSpan> WrappedText::rowSpans(qsizetype row) const
{
    std::vector<RowSpan> out;
    const qsizetype start = rowStart(row);
    const qsizetype end = rowEnd(row);
    const std::vector<TextSpan> &spans = *m_spans;
    auto it = std::partition_point(spans.begin(), spans.end(), [start](const TextSpan &s) {
        return s.start + s.length <= start;
    });
    for (; it != spans.end() && it->start < end; ++it) {
        const qsizetype from = qMax(it->start, start);
        const qsizetype to = qMin(it->start + it->length, end);
        if (to > from)
            out.push_back({from - start, to - from, it->kind});
    }
    return out;
}

std::vector<SearchMatch> WrappedText::findAll(const QString &needle, Qt::CaseSensitivity cs,
                                              qsizetype limit,
                                              const std::atomic_bool *cancel) const
{
    return findAllInText(m_text, needle, cs, limit, cancel);
}

void WrappedText::unitSpans(qsizetype row, qsizetype start, qsizetype length, SpanKind kind,
                            std::vector<RowSpan> &out) const
{
    const qsizetype rowFirst = rowStart(row);
    const qsizetype from = qMax(start, rowFirst);
    const qsizetype to = qMin(start + length, rowEnd(row));
    if (to > from)
        out.push_back({from - rowFirst, to - from, kind});
}

std::pair<qsizetype, qsizetype> WrappedText::unitsOfRow(qsizetype row) const
{
    return {rowStart(row), rowEnd(row)};
}

qsizetype WrappedText::positionOf(RowPosition position) const
{
    if (rowCount() == 0)
        return 0;
    const qsizetype row = qBound<qsizetype>(0, position.row, rowCount() - 1);
    const qsizetype start = rowStart(row);
    return start + qBound<qsizetype>(0, position.column, rowEnd(row) - start);
}

QString WrappedText::copyText(RowPosition from, RowPosition to) const
{
    if (to < from)
        std::swap(from, to);
    const qsizetype first = positionOf(from);
    return m_text.mid(first, positionOf(to) - first);
}

} // namespace mc::payload
