#pragma once

// The original payload of a failed record, as the serializer wrote it: size and what it is (valid
// JSON, invalid JSON with where and why, text, binary), and tabs Pretty (indented and coloured,
// or the text with the error marked), Tree, Raw (the exact text) and Hex. Search with
// next/previous and a match count; Copy. Payloads over a megabyte wait for Load, and then are
// formatted off the GUI thread: the window never freezes, and a newer payload discards an older
// one still being formatted.
//
// Embed it anywhere a payload is shown (the Failures detail pane, the Users dossier):
//   auto *viewer = new PayloadViewer(this);
//   viewer->setPayload(detail.payload, detail.contentType);

#include "payload_class.h"

#include <QByteArray>
#include <QWidget>

#include <atomic>
#include <memory>

class QLabel;
class QLineEdit;
class QProgressBar;
class QPushButton;
class QStackedWidget;
class QTabWidget;
class QToolButton;
class QTreeView;

namespace mc::payload {
struct FormattedPayload;
class JsonTreeModel;
} // namespace mc::payload

namespace mc::widgets {

class JsonTreeColors;
class PayloadTextView;

class PayloadViewer : public QWidget
{
    Q_OBJECT

public:
    enum class Tab { Pretty = 0, Tree = 1, Raw = 2, Hex = 3 };

    // Payloads larger than this wait for Load.
    static constexpr qsizetype kLoadThreshold = 1024 * 1024;

    explicit PayloadViewer(QWidget *parent = nullptr);
    ~PayloadViewer() override;

    void setPayload(const QByteArray &payload, const QString &contentType);
    void clear();

    QByteArray payload() const { return m_payload; }
    QString contentType() const { return m_contentType; }

    // True once the tabs show the current payload (false while it waits for Load or formats).
    bool isShown() const { return m_shown; }
    bool isBusy() const { return m_busy; }
    // What the payload is; meaningful once isShown().
    const payload::PayloadClass &classification() const { return m_class; }
    QString summary() const; // the header's words: "valid JSON", "invalid JSON at byte 3: …"

    Tab currentTab() const;
    void setCurrentTab(Tab tab);
    bool isTabAvailable(Tab tab) const;

public slots:
    // Formats a payload that waits for Load (what the Load button does).
    void load();
    // The payload as text when it is UTF-8, else its hex dump.
    void copyToClipboard();

signals:
    void payloadShown();
    void busyChanged(bool busy);

private:
    void buildHeader(QWidget *header);
    QWidget *buildSearchBar();
    void startFormatting();
    void display(const payload::FormattedPayload &formatted);
    void setBusy(bool busy);
    void resetViews();
    void updateHeader();
    void updateSearchBar();
    void searchCurrentView();
    PayloadTextView *currentTextView() const;
    PayloadTextView *textView(Tab tab) const;

    QByteArray m_payload;
    QString m_contentType;
    payload::PayloadClass m_class;
    bool m_shown = false;
    bool m_busy = false;
    bool m_hasPayload = false;
    quint64 m_generation = 0;
    std::shared_ptr<std::atomic_bool> m_cancel;
    QString m_rawText; // the exact text, for Copy (shares the Raw view's data)
    bool m_rawAvailable = false;

    QLabel *m_sizeLabel = nullptr;
    QLabel *m_classLabel = nullptr;
    QProgressBar *m_busyBar = nullptr;
    QPushButton *m_copyButton = nullptr;
    QLineEdit *m_search = nullptr;
    QToolButton *m_previous = nullptr;
    QToolButton *m_next = nullptr;
    QToolButton *m_matchCase = nullptr;
    QLabel *m_matchLabel = nullptr;
    QStackedWidget *m_stack = nullptr;
    QWidget *m_emptyPage = nullptr;
    QWidget *m_loadPage = nullptr;
    QLabel *m_loadText = nullptr;
    QPushButton *m_loadButton = nullptr;
    QTabWidget *m_tabs = nullptr;
    PayloadTextView *m_pretty = nullptr;
    QTreeView *m_tree = nullptr;
    payload::JsonTreeModel *m_treeModel = nullptr;
    JsonTreeColors *m_treeColors = nullptr;
    PayloadTextView *m_raw = nullptr;
    PayloadTextView *m_hex = nullptr;
    Tab m_searchedTab = Tab::Pretty;
};

} // namespace mc::widgets
