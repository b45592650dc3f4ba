#include "payload_text_view.h"

#include "payload_palette.h"
#include "payload_search.h"

#include <QApplication>
#include <QClipboard>
#include <QContextMenuEvent>
#include <QFontDatabase>
#include <QFutureWatcher>
#include <QMenu>
#include <QPainter>
#include <QScrollBar>
#include <QTextLayout>
#include <QTimer>
#include <QtConcurrent>

namespace mc::widgets {

using payload::RowPosition;
using payload::RowSpan;
using payload::SearchMatch;
using payload::SpanKind;

namespace {

// Texts with more rows than this are searched off the GUI thread.
constexpr qsizetype kSyncSearchRows = 20'000;
// Texts up to this many characters are cut into rows again on the GUI thread (a few ms).
constexpr qsizetype kSyncRewrapUnits = 1'000'000;

QTextCharFormat formatFor(SpanKind kind, const QPalette &palette)
{
    const SpanColors colors = spanColors(kind, palette);
    QTextCharFormat format;
    if (colors.foreground.isValid())
        format.setForeground(colors.foreground);
    if (colors.background.isValid())
        format.setBackground(colors.background);
    if (colors.bold)
        format.setFontWeight(QFont::Bold);
    return format;
}

// What a row's character looks like on screen: controls, line separators and a byte order mark
// as visible pictures (one character for one, so columns stay put). Returns whether any was
// replaced.
bool showControls(QString &text, std::vector<RowSpan> &spans)
{
    bool replaced = false;
    QChar *data = text.data();
    for (qsizetype i = 0; i < text.size(); ++i) {
        const char16_t c = data[i].unicode();
        char16_t picture = 0;
        if (c < 0x20 && c != u'\t')
            picture = char16_t(0x2400 + c);
        else if (c == 0x7F)
            picture = 0x2421;
        else if (c == 0x85)
            picture = 0x2424;
        else if (c == 0x2028)
            picture = 0x21B5;
        else if (c == 0x2029)
            picture = 0x00B6;
        else if (c == 0xFEFF)
            picture = 0x00B7; // a byte order mark, invisible otherwise
        if (picture) {
            data[i] = QChar(picture);
            spans.push_back({i, 1, SpanKind::Control});
            replaced = true;
        }
    }
    return replaced;
}

} // namespace

PayloadTextView::PayloadTextView(QWidget *parent) : QAbstractScrollArea(parent)
{
    setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    setFocusPolicy(Qt::StrongFocus);
    viewport()->setCursor(Qt::IBeamCursor);
    viewport()->setBackgroundRole(QPalette::Base);
    viewport()->setAutoFillBackground(true);
    m_rewrapTimer = new QTimer(this);
    m_rewrapTimer->setSingleShot(true);
    m_rewrapTimer->setInterval(60);
    connect(m_rewrapTimer, &QTimer::timeout, this, &PayloadTextView::rewrapToWidth);
    updateMetrics();
    connect(verticalScrollBar(), &QScrollBar::valueChanged, viewport(),
            qOverload<>(&QWidget::update));
    connect(horizontalScrollBar(), &QScrollBar::valueChanged, viewport(),
            qOverload<>(&QWidget::update));
}

PayloadTextView::~PayloadTextView()
{
    if (m_searchCancel)
        m_searchCancel->store(true);
}

void PayloadTextView::setRows(std::shared_ptr<const payload::TextRows> rows)
{
    m_rows = std::move(rows);
    ++m_rewrapGeneration;
    m_anchor = m_cursor = {};
    verticalScrollBar()->setValue(0);
    horizontalScrollBar()->setValue(0);
    updateScrollBars();
    if (m_rows && m_rows->unitCount() <= kSyncRewrapUnits)
        rewrapToWidth();
    else
        m_rewrapTimer->start();
    setSearch(m_needle, m_caseSensitivity);
    viewport()->update();
}

qsizetype PayloadTextView::desiredWrapColumn() const
{
    const int width = viewport()->width() - gutterWidth() - 20;
    return qBound(qsizetype(40), qsizetype(width / m_charWidth), qsizetype(4000));
}

void PayloadTextView::rewrapToWidth()
{
    if (!m_rows || m_rows->wrapColumn() == 0 || m_rows->wrapColumn() == desiredWrapColumn())
        return;
    const qsizetype column = desiredWrapColumn();
    const quint64 generation = ++m_rewrapGeneration;
    if (m_rows->unitCount() <= kSyncRewrapUnits) {
        replaceRows(m_rows->rewrapped(column));
        return;
    }
    using Rows = std::shared_ptr<const payload::TextRows>;
    auto *watcher = new QFutureWatcher<Rows>(this);
    connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher, generation] {
        watcher->deleteLater();
        if (generation == m_rewrapGeneration) // else other rows or another width meanwhile
            replaceRows(watcher->result());
    });
    watcher->setFuture(QtConcurrent::run([rows = m_rows, column] { return rows->rewrapped(column); }));
}

void PayloadTextView::replaceRows(std::shared_ptr<const payload::TextRows> rows)
{
    if (!m_rows || !rows)
        return;
    auto toUnit = [this](RowPosition p) {
        const qsizetype row = qBound<qsizetype>(0, p.row, m_rows->rowCount() - 1);
        return m_rows->unitsOfRow(row).first + p.column;
    };
    const qsizetype top = toUnit({firstVisibleRow(), 0});
    const qsizetype anchor = toUnit(m_anchor);
    const qsizetype cursor = toUnit(m_cursor);
    m_rows = std::move(rows);
    auto fromUnit = [this](qsizetype unit) {
        const qsizetype row = m_rows->rowOfUnit(unit);
        return RowPosition{row, unit - m_rows->unitsOfRow(row).first};
    };
    m_anchor = fromUnit(anchor);
    m_cursor = fromUnit(cursor);
    updateScrollBars();
    verticalScrollBar()->setValue(int(m_rows->rowOfUnit(top)));
    viewport()->update();
}

void PayloadTextView::setPlaceholderText(const QString &text)
{
    m_placeholder = text;
    viewport()->update();
}

void PayloadTextView::setSearch(const QString &needle, Qt::CaseSensitivity cs)
{
    m_needle = needle;
    m_caseSensitivity = cs;
    if (m_searchCancel)
        m_searchCancel->store(true);
    const quint64 generation = ++m_searchGeneration;
    if (!m_rows || needle.isEmpty()) {
        m_searching = false;
        applyMatches({});
        return;
    }
    if (m_rows->rowCount() <= kSyncSearchRows) {
        m_searching = false;
        applyMatches(m_rows->findAll(needle, cs, kMatchLimit));
        return;
    }
    m_searching = true;
    m_matches.clear();
    m_current = -1;
    emit matchesChanged();
    auto cancel = std::make_shared<std::atomic_bool>(false);
    m_searchCancel = cancel;
    auto *watcher = new QFutureWatcher<std::vector<SearchMatch>>(this);
    connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher, generation] {
        watcher->deleteLater();
        if (generation != m_searchGeneration)
            return; // a newer search or other rows meanwhile
        m_searching = false;
        applyMatches(watcher->result());
    });
    watcher->setFuture(QtConcurrent::run([rows = m_rows, needle, cs, cancel] {
        return rows->findAll(needle, cs, kMatchLimit, cancel.get());
    }));
}

void PayloadTextView::applyMatches(std::vector<SearchMatch> matches)
{
    m_matches = std::move(matches);
    m_current = -1;
    if (!m_matches.empty()) {
        // The first match on screen or below it, as an editor searches from where one is.
        const qsizetype top = firstVisibleRow();
        const auto it = std::find_if(m_matches.begin(), m_matches.end(), [&](const SearchMatch &m) {
            return m_rows->rowOfUnit(m.start) >= top;
        });
        goToMatch(it == m_matches.end() ? 0 : qsizetype(it - m_matches.begin()));
    }
    viewport()->update();
    emit matchesChanged();
}

void PayloadTextView::findNext()
{
    goToMatch(payload::stepMatch(matchCount(), m_current, true));
}

void PayloadTextView::findPrevious()
{
    goToMatch(payload::stepMatch(matchCount(), m_current, false));
}

void PayloadTextView::goToMatch(qsizetype index)
{
    if (index < 0 || index >= matchCount())
        return;
    m_current = index;
    const SearchMatch &match = m_matches[size_t(index)];
    scrollToUnit(match.start, match.length);
    viewport()->update();
    emit matchesChanged();
}

std::optional<SearchMatch> PayloadTextView::currentMatchRange() const
{
    if (m_current < 0 || m_current >= matchCount())
        return std::nullopt;
    return m_matches[size_t(m_current)];
}

void PayloadTextView::scrollToUnit(qsizetype unit, qsizetype length)
{
    if (!m_rows || m_rows->rowCount() == 0)
        return;
    const qsizetype row = qBound<qsizetype>(0, m_rows->rowOfUnit(unit), m_rows->rowCount() - 1);
    std::vector<RowSpan> spans;
    m_rows->unitSpans(row, unit, qMax<qsizetype>(1, length), SpanKind::Match, spans);
    const RowSpan where = spans.empty() ? RowSpan{} : spans.back();
    ensureRowVisible(row, where.column, where.length);
}

void PayloadTextView::ensureRowVisible(qsizetype row, qsizetype column, qsizetype length)
{
    const qsizetype first = firstVisibleRow();
    const qsizetype visible = qMax<qsizetype>(1, visibleRowCount() - 1);
    if (row < first || row >= first + visible)
        verticalScrollBar()->setValue(int(qMax<qsizetype>(0, row - visible / 3)));
    const int textWidth = viewport()->width() - gutterWidth() - 12;
    const int left = int(column * m_charWidth);
    const int right = int((column + length) * m_charWidth);
    QScrollBar *h = horizontalScrollBar();
    if (left < h->value() || right > h->value() + textWidth)
        h->setValue(qMax(0, left - textWidth / 3));
}

qsizetype PayloadTextView::firstVisibleRow() const
{
    return verticalScrollBar()->value();
}

qsizetype PayloadTextView::visibleRowCount() const
{
    return qMax(1, viewport()->height() / m_lineHeight);
}

QString PayloadTextView::selectedText() const
{
    if (!m_rows || !hasSelection())
        return {};
    return m_rows->copyText(qMin(m_anchor, m_cursor), qMax(m_anchor, m_cursor));
}

QString PayloadTextView::shownText() const
{
    QString out;
    if (!m_rows)
        return out;
    for (qsizetype row = 0; row < m_rows->rowCount(); ++row) {
        if (row > 0 && !m_rows->continuesPreviousRow(row))
            out += u'\n';
        out += m_rows->rowText(row);
    }
    return out;
}

void PayloadTextView::copy()
{
    const QString text = selectedText();
    if (!text.isEmpty())
        QApplication::clipboard()->setText(text);
}

void PayloadTextView::selectAll()
{
    if (!m_rows || m_rows->rowCount() == 0)
        return;
    const qsizetype last = m_rows->rowCount() - 1;
    m_anchor = {0, 0};
    m_cursor = {last, m_rows->rowText(last).size()};
    viewport()->update();
}

void PayloadTextView::updateMetrics()
{
    const QFontMetricsF metrics(font());
    m_lineHeight = qMax(1, qCeil(metrics.lineSpacing()));
    m_charWidth = qMax<qreal>(1, metrics.horizontalAdvance(u'0'));
    updateScrollBars();
}

int PayloadTextView::gutterWidth() const
{
    if (!m_rows || m_rows->labelWidth() == 0)
        return 0;
    return int((m_rows->labelWidth() + 1) * m_charWidth) + 8;
}

qreal PayloadTextView::textOriginX() const
{
    return gutterWidth() + 6 - horizontalScrollBar()->value();
}

void PayloadTextView::updateScrollBars()
{
    const qsizetype rows = m_rows ? m_rows->rowCount() : 0;
    const qsizetype visible = visibleRowCount();
    QScrollBar *v = verticalScrollBar();
    v->setRange(0, int(qBound<qsizetype>(0, rows - visible + 1, qsizetype(INT_MAX))));
    v->setPageStep(int(visible));
    v->setSingleStep(1);
    const qsizetype contentWidth =
        m_rows ? qsizetype((m_rows->maxRowLength() + 2) * m_charWidth) + gutterWidth() + 6 : 0;
    QScrollBar *h = horizontalScrollBar();
    h->setRange(0, int(qBound<qsizetype>(0, contentWidth - viewport()->width(), qsizetype(INT_MAX))));
    h->setPageStep(viewport()->width());
    h->setSingleStep(int(m_charWidth * 4));
}

std::unique_ptr<QTextLayout> PayloadTextView::layoutRow(qsizetype row) const
{
    QString text = m_rows->rowText(row);
    std::vector<RowSpan> spans = m_rows->rowSpans(row);
    showControls(text, spans);
    const std::vector<RowSpan> matches = m_rows->matchSpans(row, m_matches, m_current);
    spans.insert(spans.end(), matches.begin(), matches.end());

    auto layout = std::make_unique<QTextLayout>(text, font());
    QTextOption option;
    option.setWrapMode(QTextOption::NoWrap);
    option.setTabStopDistance(m_charWidth * 4);
    layout->setTextOption(option);
    QList<QTextLayout::FormatRange> formats;
    formats.reserve(qsizetype(spans.size()) + 1);
    for (const RowSpan &span : spans)
        formats.append({int(span.column), int(span.length), formatFor(span.kind, palette())});
    if (hasSelection()) {
        const RowPosition from = qMin(m_anchor, m_cursor);
        const RowPosition to = qMax(m_anchor, m_cursor);
        if (row >= from.row && row <= to.row) {
            const qsizetype begin = row == from.row ? from.column : 0;
            const qsizetype end = row == to.row ? to.column : text.size() + 1;
            QTextCharFormat selected;
            selected.setBackground(palette().brush(QPalette::Highlight));
            selected.setForeground(palette().brush(QPalette::HighlightedText));
            formats.append({int(begin), int(end - begin), selected});
        }
    }
    layout->setFormats(formats);
    layout->beginLayout();
    QTextLine line = layout->createLine();
    if (line.isValid())
        line.setLineWidth(1e7);
    layout->endLayout();
    return layout;
}

void PayloadTextView::paintEvent(QPaintEvent *)
{
    QPainter painter(viewport());
    const QRect area = viewport()->rect();
    if (!m_rows) {
        painter.setPen(palette().color(QPalette::PlaceholderText));
        painter.drawText(area.adjusted(12, 12, -12, -12), Qt::AlignCenter | Qt::TextWordWrap,
                         m_placeholder);
        return;
    }
    const int gutter = gutterWidth();
    const qsizetype first = firstVisibleRow();
    const qsizetype last = qMin(m_rows->rowCount(), first + visibleRowCount() + 1);
    const qreal originX = textOriginX();
    const int ascentPad = 0;

    painter.save();
    painter.setClipRect(area.adjusted(gutter, 0, 0, 0));
    for (qsizetype row = first; row < last; ++row) {
        const int y = int(row - first) * m_lineHeight + ascentPad;
        layoutRow(row)->draw(&painter, QPointF(originX, y));
    }
    painter.restore();

    if (gutter > 0) {
        const QRect gutterRect(0, 0, gutter, area.height());
        painter.fillRect(gutterRect, palette().color(QPalette::AlternateBase));
        painter.setPen(palette().color(QPalette::Mid));
        painter.drawLine(gutter - 1, 0, gutter - 1, area.height());
        painter.setPen(palette().color(QPalette::PlaceholderText));
        painter.setFont(font());
        for (qsizetype row = first; row < last; ++row) {
            const QRect cell(0, int(row - first) * m_lineHeight, gutter - 6, m_lineHeight);
            painter.drawText(cell, Qt::AlignRight | Qt::AlignVCenter, m_rows->rowLabel(row));
        }
    }
}

void PayloadTextView::resizeEvent(QResizeEvent *event)
{
    QAbstractScrollArea::resizeEvent(event);
    updateScrollBars();
    if (m_rows && m_rows->wrapColumn() > 0 && m_rows->wrapColumn() != desiredWrapColumn())
        m_rewrapTimer->start();
}

void PayloadTextView::changeEvent(QEvent *event)
{
    QAbstractScrollArea::changeEvent(event);
    if (event->type() == QEvent::FontChange)
        updateMetrics();
}

void PayloadTextView::keyPressEvent(QKeyEvent *event)
{
    if (event->matches(QKeySequence::Copy)) {
        copy();
        return;
    }
    if (event->matches(QKeySequence::SelectAll)) {
        selectAll();
        return;
    }
    if (event->matches(QKeySequence::MoveToStartOfDocument)) {
        verticalScrollBar()->setValue(0);
        return;
    }
    if (event->matches(QKeySequence::MoveToEndOfDocument)) {
        verticalScrollBar()->setValue(verticalScrollBar()->maximum());
        return;
    }
    QAbstractScrollArea::keyPressEvent(event);
}

RowPosition PayloadTextView::positionAt(const QPoint &point) const
{
    if (!m_rows || m_rows->rowCount() == 0)
        return {};
    const qsizetype row = qBound<qsizetype>(0, firstVisibleRow() + point.y() / m_lineHeight,
                                            m_rows->rowCount() - 1);
    const auto layout = layoutRow(row);
    const QTextLine line = layout->lineAt(0);
    const qsizetype column = line.isValid() ? line.xToCursor(point.x() - textOriginX()) : 0;
    return {row, column};
}

void PayloadTextView::mousePressEvent(QMouseEvent *event)
{
    if (event->button() != Qt::LeftButton || !m_rows) {
        QAbstractScrollArea::mousePressEvent(event);
        return;
    }
    m_cursor = positionAt(event->position().toPoint());
    if (!(event->modifiers() & Qt::ShiftModifier))
        m_anchor = m_cursor;
    viewport()->update();
}

void PayloadTextView::mouseMoveEvent(QMouseEvent *event)
{
    if (!(event->buttons() & Qt::LeftButton) || !m_rows)
        return;
    const QPoint point = event->position().toPoint();
    if (point.y() < 0)
        verticalScrollBar()->setValue(verticalScrollBar()->value() - 1);
    else if (point.y() > viewport()->height())
        verticalScrollBar()->setValue(verticalScrollBar()->value() + 1);
    m_cursor = positionAt(point);
    viewport()->update();
}

void PayloadTextView::mouseDoubleClickEvent(QMouseEvent *event)
{
    if (event->button() != Qt::LeftButton || !m_rows)
        return;
    // The whole row: a value, a key or a hex line is what one usually wants.
    const RowPosition at = positionAt(event->position().toPoint());
    m_anchor = {at.row, 0};
    m_cursor = {at.row, m_rows->rowText(at.row).size()};
    viewport()->update();
}

void PayloadTextView::contextMenuEvent(QContextMenuEvent *event)
{
    QMenu menu(this);
    QAction *copyAction = menu.addAction(tr("Copy"), this, &PayloadTextView::copy);
    copyAction->setShortcut(QKeySequence::Copy);
    copyAction->setEnabled(hasSelection());
    QAction *all = menu.addAction(tr("Select All"), this, &PayloadTextView::selectAll);
    all->setShortcut(QKeySequence::SelectAll);
    all->setEnabled(m_rows != nullptr);
    menu.exec(event->globalPos());
}

} // namespace mc::widgets
