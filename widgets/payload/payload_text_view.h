#pragma once

// A read-only, monospace view of rows of text (payload::TextRows): draws only the rows on screen,
// so a text of tens of megabytes scrolls as freely as a short one. Colours the spans the rows
// carry (syntax, the error), marks search matches, lets the user select and copy.

#include "text_rows.h"

#include <QAbstractScrollArea>

#include <atomic>
#include <memory>
#include <vector>

class QTextLayout;
class QTimer;

namespace mc::widgets {

class PayloadTextView : public QAbstractScrollArea
{
    Q_OBJECT

public:
    static constexpr qsizetype kMatchLimit = 100'000;

    explicit PayloadTextView(QWidget *parent = nullptr);
    ~PayloadTextView() override;

    // Null shows the placeholder.
    void setRows(std::shared_ptr<const payload::TextRows> rows);
    const std::shared_ptr<const payload::TextRows> &rows() const { return m_rows; }
    void setPlaceholderText(const QString &text);

    // Search: every occurrence is marked; the current one stands out and is scrolled to.
    // Big texts are searched off the GUI thread (searching() meanwhile).
    void setSearch(const QString &needle, Qt::CaseSensitivity cs);
    void findNext();
    void findPrevious();
    qsizetype matchCount() const { return qsizetype(m_matches.size()); }
    bool matchesLimited() const { return matchCount() >= kMatchLimit; }
    qsizetype currentMatch() const { return m_current; } // -1 for none
    std::optional<payload::SearchMatch> currentMatchRange() const;
    bool searching() const { return m_searching; }

    void scrollToUnit(qsizetype unit, qsizetype length = 1);
    qsizetype firstVisibleRow() const;
    qsizetype visibleRowCount() const;

    QString selectedText() const;
    // Every row as drawn, joined by the line breaks between them.
    QString shownText() const;

public slots:
    void copy();
    void selectAll();

signals:
    void matchesChanged();

protected:
    void paintEvent(QPaintEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;
    void changeEvent(QEvent *event) override;
    void keyPressEvent(QKeyEvent *event) override;
    void mousePressEvent(QMouseEvent *event) override;
    void mouseMoveEvent(QMouseEvent *event) override;
    void mouseDoubleClickEvent(QMouseEvent *event) override;
    void contextMenuEvent(QContextMenuEvent *event) override;

private:
    void updateMetrics();
    void updateScrollBars();
    int gutterWidth() const;
    qreal textOriginX() const;
    std::unique_ptr<QTextLayout> layoutRow(qsizetype row) const;
    payload::RowPosition positionAt(const QPoint &point) const;
    bool hasSelection() const { return m_anchor != m_cursor; }
    void applyMatches(std::vector<payload::SearchMatch> matches);
    void goToMatch(qsizetype index);
    void ensureRowVisible(qsizetype row, qsizetype column, qsizetype length);
    // Long lines wrap at the view's width: rows are cut again when it changes.
    qsizetype desiredWrapColumn() const;
    void rewrapToWidth();
    void replaceRows(std::shared_ptr<const payload::TextRows> rows); // keeps the place

    std::shared_ptr<const payload::TextRows> m_rows;
    QString m_placeholder;
    int m_lineHeight = 1;
    qreal m_charWidth = 1;
    payload::RowPosition m_anchor;
    payload::RowPosition m_cursor;

    QString m_needle;
    Qt::CaseSensitivity m_caseSensitivity = Qt::CaseInsensitive;
    std::vector<payload::SearchMatch> m_matches;
    qsizetype m_current = -1;
    bool m_searching = false;
    quint64 m_searchGeneration = 0;
    std::shared_ptr<std::atomic_bool> m_searchCancel;
    QTimer *m_rewrapTimer = nullptr;
    quint64 m_rewrapGeneration = 0;
};

} // namespace mc::widgets
