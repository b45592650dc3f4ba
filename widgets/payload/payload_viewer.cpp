#include "payload_viewer.h"

#include "formatted_payload.h"
#include "json_tree_colors.h"
#include "json_tree_model.h"
#include "payload_text_view.h"
#include "utf8_text.h"

#include <QApplication>
#include <QClipboard>
#include <QFontDatabase>
#include <QFutureWatcher>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QProgressBar>
#include <QPushButton>
#include <QShortcut>
#include <QStackedWidget>
#include <QStyle>
#include <QTabWidget>
#include <QToolButton>
#include <QTreeView>
#include <QVBoxLayout>
#include <QtConcurrent>

namespace mc::widgets {

using payload::FormattedPayload;
using payload::PayloadKind;

namespace {

// Payloads up to this size are formatted at once, on the GUI thread: a few milliseconds.
constexpr qsizetype kSyncFormatLimit = 256 * 1024;

QString sizeText(qsizetype bytes)
{
    const QLocale locale;
    if (bytes < 1024)
        return bytes == 1 ? QStringLiteral("1 byte") : QStringLiteral("%1 bytes").arg(bytes);
    return QStringLiteral("%1 (%2 bytes)")
        .arg(locale.formattedDataSize(bytes, 1), locale.toString(bytes));
}

// The payload as text when it reads as text, else as a hex dump.
QString clipboardText(const QByteArray &bytes, const std::atomic_bool *cancel)
{
    if (payload::firstInvalidUtf8(bytes) < 0 && !bytes.contains('\0'))
        return payload::decodeUtf8(bytes);
    return payload::hexDump(bytes, cancel);
}

} // namespace

PayloadViewer::PayloadViewer(QWidget *parent) : QWidget(parent)
{
    auto *header = new QWidget(this);
    buildHeader(header);

    m_tabs = new QTabWidget(this);
    m_tabs->setObjectName(QStringLiteral("payloadTabs"));
    m_tabs->setDocumentMode(true);
    m_pretty = new PayloadTextView(m_tabs);
    m_pretty->setObjectName(QStringLiteral("prettyView"));
    m_tree = new QTreeView(m_tabs);
    m_tree->setObjectName(QStringLiteral("treeView"));
    m_tree->setUniformRowHeights(true);
    m_tree->setAlternatingRowColors(true);
    m_tree->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_tree->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_tree->header()->setStretchLastSection(true);
    m_treeColors = new JsonTreeColors(this);
    m_raw = new PayloadTextView(m_tabs);
    m_raw->setObjectName(QStringLiteral("rawView"));
    m_hex = new PayloadTextView(m_tabs);
    m_hex->setObjectName(QStringLiteral("hexView"));
    m_tabs->addTab(m_pretty, tr("Pretty"));
    m_tabs->addTab(m_tree, tr("Tree"));
    m_tabs->addTab(m_raw, tr("Raw"));
    m_tabs->addTab(m_hex, tr("Hex"));
    connect(m_tabs, &QTabWidget::currentChanged, this, [this] {
        searchCurrentView();
        updateSearchBar();
    });

    m_emptyPage = new QLabel(tr("No payload"), this);
    static_cast<QLabel *>(m_emptyPage)->setAlignment(Qt::AlignCenter);
    m_emptyPage->setForegroundRole(QPalette::PlaceholderText);

    m_loadPage = new QWidget(this);
    m_loadText = new QLabel(m_loadPage);
    m_loadText->setAlignment(Qt::AlignCenter);
    m_loadText->setWordWrap(true);
    m_loadButton = new QPushButton(tr("Load"), m_loadPage);
    m_loadButton->setObjectName(QStringLiteral("loadPayload"));
    connect(m_loadButton, &QPushButton::clicked, this, &PayloadViewer::load);
    auto *loadLayout = new QVBoxLayout(m_loadPage);
    loadLayout->addStretch();
    loadLayout->addWidget(m_loadText);
    loadLayout->addWidget(m_loadButton, 0, Qt::AlignHCenter);
    loadLayout->addStretch();

    m_stack = new QStackedWidget(this);
    m_stack->addWidget(m_emptyPage);
    m_stack->addWidget(m_loadPage);
    m_stack->addWidget(m_tabs);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(4);
    layout->addWidget(header);
    layout->addWidget(buildSearchBar());
    layout->addWidget(m_stack, 1);

    for (PayloadTextView *view : {m_pretty, m_raw, m_hex})
        connect(view, &PayloadTextView::matchesChanged, this, &PayloadViewer::updateSearchBar);
    clear();
}

PayloadViewer::~PayloadViewer()
{
    if (m_cancel)
        m_cancel->store(true);
}

void PayloadViewer::buildHeader(QWidget *header)
{
    m_sizeLabel = new QLabel(header);
    m_sizeLabel->setObjectName(QStringLiteral("payloadSize"));
    m_sizeLabel->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_classLabel = new QLabel(header);
    m_classLabel->setObjectName(QStringLiteral("payloadClass"));
    m_classLabel->setTextInteractionFlags(Qt::TextSelectableByMouse);
    // A long reason must not widen the pane: it is cut, and whole in the tooltip.
    m_classLabel->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    m_busyBar = new QProgressBar(header);
    m_busyBar->setObjectName(QStringLiteral("payloadBusy"));
    m_busyBar->setRange(0, 0);
    m_busyBar->setTextVisible(false);
    m_busyBar->setMaximumWidth(90);
    m_busyBar->setMaximumHeight(m_sizeLabel->sizeHint().height());
    m_busyBar->setToolTip(tr("Formatting the payload…"));
    m_busyBar->hide();
    m_copyButton = new QPushButton(tr("Copy"), header);
    m_copyButton->setObjectName(QStringLiteral("copyPayload"));
    m_copyButton->setToolTip(tr("Copy the whole payload: its text, or its hex dump when it is "
                                "not text"));
    connect(m_copyButton, &QPushButton::clicked, this, &PayloadViewer::copyToClipboard);

    auto *layout = new QHBoxLayout(header);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_sizeLabel);
    layout->addWidget(m_classLabel, 1);
    layout->addWidget(m_busyBar);
    layout->addWidget(m_copyButton);
}

QWidget *PayloadViewer::buildSearchBar()
{
    auto *bar = new QWidget(this);
    m_search = new QLineEdit(bar);
    m_search->setObjectName(QStringLiteral("payloadSearch"));
    m_search->setPlaceholderText(tr("Find in payload"));
    m_search->setClearButtonEnabled(true);
    m_search->setToolTip(tr("Enter: next match, Shift+Enter: previous match"));
    m_previous = new QToolButton(bar);
    m_previous->setObjectName(QStringLiteral("findPrevious"));
    m_previous->setArrowType(Qt::UpArrow);
    m_previous->setToolTip(tr("Previous match (Shift+Enter)"));
    m_next = new QToolButton(bar);
    m_next->setObjectName(QStringLiteral("findNext"));
    m_next->setArrowType(Qt::DownArrow);
    m_next->setToolTip(tr("Next match (Enter)"));
    m_matchCase = new QToolButton(bar);
    m_matchCase->setObjectName(QStringLiteral("matchCase"));
    m_matchCase->setText(QStringLiteral("Aa"));
    m_matchCase->setCheckable(true);
    m_matchCase->setToolTip(tr("Match case"));
    m_matchLabel = new QLabel(bar);
    m_matchLabel->setObjectName(QStringLiteral("matchCount"));
    m_matchLabel->setMinimumWidth(m_matchLabel->fontMetrics().horizontalAdvance(
        QStringLiteral("100000+ matches")));

    connect(m_search, &QLineEdit::textChanged, this, &PayloadViewer::searchCurrentView);
    connect(m_matchCase, &QToolButton::toggled, this, &PayloadViewer::searchCurrentView);
    connect(m_search, &QLineEdit::returnPressed, this, [this] {
        if (PayloadTextView *view = currentTextView()) {
            if (QApplication::keyboardModifiers() & Qt::ShiftModifier)
                view->findPrevious();
            else
                view->findNext();
        }
    });
    connect(m_next, &QToolButton::clicked, this, [this] {
        if (PayloadTextView *view = currentTextView())
            view->findNext();
    });
    connect(m_previous, &QToolButton::clicked, this, [this] {
        if (PayloadTextView *view = currentTextView())
            view->findPrevious();
    });
    auto *find = new QShortcut(QKeySequence::Find, this, [this] {
        m_search->setFocus();
        m_search->selectAll();
    });
    find->setContext(Qt::WidgetWithChildrenShortcut);

    auto *layout = new QHBoxLayout(bar);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(2);
    layout->addWidget(m_search, 1);
    layout->addWidget(m_previous);
    layout->addWidget(m_next);
    layout->addWidget(m_matchCase);
    layout->addSpacing(6);
    layout->addWidget(m_matchLabel);
    return bar;
}

void PayloadViewer::setPayload(const QByteArray &payload, const QString &contentType)
{
    resetViews();
    m_payload = payload;
    m_contentType = contentType;
    m_hasPayload = true;
    updateHeader();
    if (payload.size() > kLoadThreshold) {
        m_loadText->setText(tr("This payload is %1.\nLarge payloads are shown when you ask: "
                               "formatting runs in the background.")
                                .arg(sizeText(payload.size())));
        m_loadButton->setEnabled(true);
        m_stack->setCurrentWidget(m_loadPage);
    } else if (payload.size() <= kSyncFormatLimit) {
        display(payload::formatPayload(m_payload, m_contentType));
    } else {
        startFormatting();
    }
}

void PayloadViewer::clear()
{
    resetViews();
    m_payload.clear();
    m_contentType.clear();
    m_hasPayload = false;
    m_stack->setCurrentWidget(m_emptyPage);
    updateHeader();
}

void PayloadViewer::resetViews()
{
    // Whatever is still being formatted belongs to the old payload: stop it, drop its result.
    ++m_generation;
    if (m_cancel)
        m_cancel->store(true);
    m_cancel = std::make_shared<std::atomic_bool>(false);
    setBusy(false);
    m_shown = false;
    m_class = {};
    m_rawText.clear();
    m_rawAvailable = false;
    for (PayloadTextView *view : {m_pretty, m_raw, m_hex})
        view->setRows(nullptr);
    m_tree->setModel(nullptr);
    m_treeColors->setSourceModel(nullptr);
    delete m_treeModel;
    m_treeModel = nullptr;
    updateSearchBar();
}

void PayloadViewer::load()
{
    if (!m_hasPayload || m_shown || m_busy)
        return;
    startFormatting();
}

void PayloadViewer::startFormatting()
{
    setBusy(true);
    updateHeader();
    m_loadButton->setEnabled(false);
    m_loadText->setText(tr("Formatting %1…").arg(sizeText(m_payload.size())));
    m_stack->setCurrentWidget(m_loadPage);
    const quint64 generation = m_generation;
    auto *watcher = new QFutureWatcher<FormattedPayload>(this);
    connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher, generation] {
        watcher->deleteLater();
        if (generation != m_generation)
            return; // an older payload's: discarded
        display(watcher->result());
    });
    watcher->setFuture(QtConcurrent::run(
        [payload = m_payload, contentType = m_contentType, cancel = m_cancel] {
            return payload::formatPayload(payload, contentType, cancel.get());
        }));
}

void PayloadViewer::display(const FormattedPayload &formatted)
{
    m_class = formatted.classification;
    m_pretty->setRows(formatted.pretty);
    m_raw->setRows(formatted.raw);
    m_hex->setRows(formatted.hex);
    m_rawAvailable = formatted.raw != nullptr;
    if (formatted.raw)
        m_rawText = formatted.raw->text();
    if (formatted.tree) {
        m_treeModel = new payload::JsonTreeModel(formatted.tree, this);
        m_treeColors->setSourceModel(m_treeModel);
        m_tree->setModel(m_treeColors);
        QHeaderView *header = m_tree->header();
        header->resizeSection(payload::JsonTreeModel::KeyColumn, 220);
        header->resizeSection(payload::JsonTreeModel::TypeColumn, 80);
        m_tree->expand(m_treeColors->index(0, 0));
    }

    const bool pretty = formatted.pretty != nullptr;
    m_tabs->setTabEnabled(int(Tab::Pretty), pretty);
    m_tabs->setTabToolTip(int(Tab::Pretty), pretty ? QString() : tr("Not JSON"));
    m_tabs->setTabEnabled(int(Tab::Tree), formatted.tree != nullptr);
    m_tabs->setTabToolTip(int(Tab::Tree),
                          formatted.tree ? QString() : tr("The tree needs valid JSON"));
    m_tabs->setTabEnabled(int(Tab::Raw), m_rawAvailable);
    m_tabs->setTabToolTip(int(Tab::Raw), m_rawAvailable ? QString() : tr("Not UTF-8 text"));
    m_tabs->setTabEnabled(int(Tab::Hex), true);

    Tab tab = Tab::Hex;
    switch (m_class.kind) {
    case PayloadKind::ValidJson: tab = Tab::Pretty; break;
    case PayloadKind::InvalidJson: tab = m_class.isTextual() ? Tab::Pretty : Tab::Hex; break;
    case PayloadKind::Text: tab = Tab::Raw; break;
    case PayloadKind::Binary: tab = Tab::Hex; break;
    }
    m_tabs->setCurrentIndex(int(tab));
    if (formatted.prettyErrorPosition >= 0)
        m_pretty->scrollToUnit(formatted.prettyErrorPosition);
    if (m_class.kind == PayloadKind::InvalidJson && !m_class.isTextual())
        m_hex->scrollToUnit(m_class.jsonError.byteOffset);

    m_shown = true;
    setBusy(false);
    m_stack->setCurrentWidget(m_tabs);
    updateHeader();
    searchCurrentView();
    emit payloadShown();
}

void PayloadViewer::setBusy(bool busy)
{
    if (m_busy == busy)
        return;
    m_busy = busy;
    m_busyBar->setVisible(busy);
    emit busyChanged(busy);
}

QString PayloadViewer::summary() const
{
    return m_shown ? m_class.summary() : QString();
}

void PayloadViewer::updateHeader()
{
    m_copyButton->setEnabled(m_hasPayload);
    if (!m_hasPayload) {
        m_sizeLabel->clear();
        m_classLabel->setText(tr("No payload"));
        m_classLabel->setToolTip({});
        m_classLabel->setStyleSheet({});
        return;
    }
    const QString type = m_contentType.isEmpty() ? tr("no content type") : m_contentType;
    m_sizeLabel->setText(QStringLiteral("<b>%1</b> · %2")
                             .arg(sizeText(m_payload.size()), type.toHtmlEscaped()));
    if (!m_shown) {
        m_classLabel->setText(m_busy ? tr("· formatting…") : tr("· not formatted yet"));
        m_classLabel->setToolTip({});
        m_classLabel->setStyleSheet({});
        return;
    }
    const QString summary = m_class.summary();
    m_classLabel->setText(QStringLiteral("· ") + summary);
    m_classLabel->setToolTip(summary);
    QString color;
    switch (m_class.kind) {
    case PayloadKind::ValidJson: color = QStringLiteral("#188038"); break;
    case PayloadKind::InvalidJson: color = QStringLiteral("#c5221f"); break;
    case PayloadKind::Binary: color = QStringLiteral("#b06000"); break;
    case PayloadKind::Text: break;
    }
    m_classLabel->setStyleSheet(color.isEmpty() ? QString()
                                                : QStringLiteral("color: %1; font-weight: bold;")
                                                      .arg(color));
}

PayloadViewer::Tab PayloadViewer::currentTab() const
{
    return Tab(m_tabs->currentIndex());
}

void PayloadViewer::setCurrentTab(Tab tab)
{
    if (isTabAvailable(tab))
        m_tabs->setCurrentIndex(int(tab));
}

bool PayloadViewer::isTabAvailable(Tab tab) const
{
    return m_shown && m_tabs->isTabEnabled(int(tab));
}

PayloadTextView *PayloadViewer::textView(Tab tab) const
{
    switch (tab) {
    case Tab::Pretty: return m_pretty;
    case Tab::Raw: return m_raw;
    case Tab::Hex: return m_hex;
    case Tab::Tree: break;
    }
    return nullptr;
}

PayloadTextView *PayloadViewer::currentTextView() const
{
    return m_shown ? textView(currentTab()) : nullptr;
}

void PayloadViewer::searchCurrentView()
{
    // Only the tab in front is searched; the one searched before lets go of its matches.
    if (PayloadTextView *previous = textView(m_searchedTab); previous
        && previous != currentTextView())
        previous->setSearch({}, Qt::CaseInsensitive);
    m_searchedTab = currentTab();
    if (PayloadTextView *view = currentTextView())
        view->setSearch(m_search->text(),
                        m_matchCase->isChecked() ? Qt::CaseSensitive : Qt::CaseInsensitive);
    updateSearchBar();
}

void PayloadViewer::updateSearchBar()
{
    PayloadTextView *view = currentTextView();
    const bool searchable = view != nullptr;
    m_search->setEnabled(searchable || !m_shown);
    m_search->setToolTip(m_shown && !searchable ? tr("Search the Pretty, Raw or Hex tab")
                                                : tr("Enter: next match, Shift+Enter: previous"));
    const qsizetype count = view ? view->matchCount() : 0;
    m_previous->setEnabled(count > 0);
    m_next->setEnabled(count > 0);
    if (!view || m_search->text().isEmpty()) {
        m_matchLabel->clear();
        return;
    }
    if (view->searching()) {
        m_matchLabel->setText(tr("searching…"));
        return;
    }
    if (count == 0) {
        m_matchLabel->setText(tr("no matches"));
        return;
    }
    const QString total = view->matchesLimited() ? QStringLiteral("%1+").arg(count)
                                                 : QString::number(count);
    m_matchLabel->setText(tr("%1 of %2").arg(view->currentMatch() + 1).arg(total));
}

void PayloadViewer::copyToClipboard()
{
    if (!m_hasPayload)
        return;
    if (m_rawAvailable && m_class.isTextual()) {
        QApplication::clipboard()->setText(m_rawText);
        return;
    }
    if (m_payload.size() <= kSyncFormatLimit) {
        QApplication::clipboard()->setText(clipboardText(m_payload, nullptr));
        return;
    }
    // A big hex dump is made off the GUI thread.
    const quint64 generation = m_generation;
    auto *watcher = new QFutureWatcher<QString>(this);
    connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher, generation] {
        watcher->deleteLater();
        if (generation == m_generation)
            QApplication::clipboard()->setText(watcher->result());
    });
    watcher->setFuture(QtConcurrent::run([payload = m_payload, cancel = m_cancel] {
        return clipboardText(payload, cancel.get());
    }));
}

} // namespace mc::widgets
