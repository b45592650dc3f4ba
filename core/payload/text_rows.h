#pragma once

// What the payload viewer's text pane draws: rows of text with coloured spans, a gutter label per
// row, and search over the source. A pane asks only for the rows it shows, so a text of tens of
// megabytes costs the GUI thread no more than a screenful. Safe to read from any thread.

#include "text_span.h"

#include <QString>

#include <atomic>
#include <memory>
#include <vector>

namespace mc::payload {

struct RowPosition
{
    qsizetype row = 0;
    qsizetype column = 0;

    friend auto operator<=>(const RowPosition &, const RowPosition &) = default;
};

class TextRows
{
public:
    virtual ~TextRows() = default;

    virtual qsizetype rowCount() const = 0;
    virtual QString rowText(qsizetype row) const = 0;
    // True when the row continues the previous one (a long line wrapped), so no line break lies
    // between them.
    virtual bool continuesPreviousRow(qsizetype row) const = 0;
    virtual QString rowLabel(qsizetype row) const = 0; // the gutter: a line number, or empty
    virtual qsizetype labelWidth() const = 0;          // characters the gutter needs
    virtual qsizetype maxRowLength() const = 0;
    virtual std::vector<RowSpan> rowSpans(qsizetype row) const = 0; // syntax and error

    // Search works in source units: text positions, or byte offsets for a hex dump.
    virtual std::vector<SearchMatch> findAll(const QString &needle, Qt::CaseSensitivity cs,
                                             qsizetype limit,
                                             const std::atomic_bool *cancel = nullptr) const = 0;
    virtual qsizetype rowOfUnit(qsizetype unit) const = 0;
    // The stretches of `row` that show source units [start, start + length).
    virtual void unitSpans(qsizetype row, qsizetype start, qsizetype length, SpanKind kind,
                           std::vector<RowSpan> &out) const = 0;
    // The source units row `row` shows: [first, last).
    virtual std::pair<qsizetype, qsizetype> unitsOfRow(qsizetype row) const = 0;

    // Rows cut at another column, for a view that wraps to its width; null when these rows do not
    // wrap (a hex dump). Costs a pass over the text: call it off the GUI thread for big texts.
    virtual qsizetype wrapColumn() const { return 0; }
    virtual std::shared_ptr<const TextRows> rewrapped(qsizetype wrapColumn) const;
    virtual qsizetype unitCount() const = 0;

    // The text between two positions, as the user would copy it.
    virtual QString copyText(RowPosition from, RowPosition to) const = 0;
    QString allText() const;

    // The spans of the matches on `row`; `current` (an index into `matches`) stands out.
    std::vector<RowSpan> matchSpans(qsizetype row, const std::vector<SearchMatch> &matches,
                                    qsizetype current) const;
};

// A text cut into rows at its line breaks, and long lines cut every `wrapColumn` characters.
class WrappedText final : public TextRows
{
public:
    static constexpr qsizetype kDefaultWrapColumn = 120;

    // `spans` sorted by start and not overlapping.
    explicit WrappedText(QString text, std::vector<TextSpan> spans = {},
                         qsizetype wrapColumn = kDefaultWrapColumn);
    WrappedText(QString text, std::shared_ptr<const std::vector<TextSpan>> spans,
                qsizetype wrapColumn);

    const QString &text() const { return m_text; }
    qsizetype lineCount() const { return qsizetype(m_lineStarts.size()); }
    qsizetype rowOfPosition(qsizetype position) const;

    qsizetype rowCount() const override { return qsizetype(m_rowStarts.size()); }
    QString rowText(qsizetype row) const override;
    bool continuesPreviousRow(qsizetype row) const override;
    QString rowLabel(qsizetype row) const override;
    qsizetype labelWidth() const override;
    qsizetype maxRowLength() const override { return m_maxRowLength; }
    std::vector<RowSpan> rowSpans(qsizetype row) const override;
    std::vector<SearchMatch> findAll(const QString &needle, Qt::CaseSensitivity cs,
                                     qsizetype limit,
                                     const std::atomic_bool *cancel = nullptr) const override;
    qsizetype rowOfUnit(qsizetype unit) const override { return rowOfPosition(unit); }
    void unitSpans(qsizetype row, qsizetype start, qsizetype length, SpanKind kind,
                   std::vector<RowSpan> &out) const override;
    std::pair<qsizetype, qsizetype> unitsOfRow(qsizetype row) const override;
    qsizetype wrapColumn() const override { return m_wrapColumn; }
    std::shared_ptr<const TextRows> rewrapped(qsizetype wrapColumn) const override;
    qsizetype unitCount() const override { return m_text.size(); }
    QString copyText(RowPosition from, RowPosition to) const override;

private:
    void index();
    qsizetype rowStart(qsizetype row) const { return m_rowStarts[size_t(row)]; }
    qsizetype rowEnd(qsizetype row) const; // without the line break
    qsizetype lineOfPosition(qsizetype position) const;
    qsizetype positionOf(RowPosition position) const;

    QString m_text;
    std::shared_ptr<const std::vector<TextSpan>> m_spans; // shared by rewrapped copies
    qsizetype m_wrapColumn = kDefaultWrapColumn;
    std::vector<qsizetype> m_rowStarts;
    std::vector<qsizetype> m_lineStarts;
    qsizetype m_maxRowLength = 0;
};

} // namespace mc::payload
