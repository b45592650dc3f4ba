#pragma once

// The Failures explorer: QA browses failed records, support retries the users behind them.
// A filter bar over a table that loads keyset pages as it scrolls (never the whole set), the
// error groups beside it (clicking one filters the table), the detail of the current row with its
// payload, and the actions: retry the users of the selected rows, mark records ignored or
// resolved and undo that, and hand-offs for "retry all matching" and export to the dialogs that
// do them. Errors show in a message bar above the table, never as modal boxes.
//
// Three connections of its own: table pages and details; counts, groups and the catalogue (a
// slow count never holds up scrolling); and the actions (a long retry never holds up browsing).

#include "failures.h"
#include "role_access.h"

#include <QWidget>

class QAction;
class QSplitter;
class QTableView;
class QToolBar;

namespace mc {
class ErrorGroupModel;
class FailureCount;
class FailureDetailLoader;
class FailureTableModel;
class FailuresService;
}

namespace mc::widgets {

class ErrorGroupsPanel;
class FailureActions;
class FailureDetailPane;
class FailureFilterBar;
class MessageBanner;
class PayloadViewer;

class FailuresPage : public QWidget
{
    Q_OBJECT

public:
    // Shows what the service's database holds; nothing while it is closed.
    explicit FailuresPage(FailuresService *service, QWidget *parent = nullptr);
    ~FailuresPage() override;

    FailuresService *service() const { return m_service; }

    FailureFilter filter() const;
    // Shows and applies this filter (other views jump here with it).
    void setFilter(const FailureFilter &filter);

    // Where the payload of the current row shows (the payload viewer).
    QWidget *payloadArea() const;
    PayloadViewer *payloadViewer() const;
    std::optional<FailureDetail> currentDetail() const;

    FailureFilterBar *filterBar() const { return m_filterBar; }
    QTableView *table() const { return m_table; }
    FailureTableModel *failureModel() const { return m_model; }
    FailureCount *failureCount() const { return m_count; }
    ErrorGroupModel *groupModel() const { return m_groups; }
    ErrorGroupsPanel *groupsPanel() const { return m_groupsPanel; }
    FailureDetailPane *detailPane() const { return m_detail; }
    MessageBanner *messageBar() const { return m_messages; }
    FailureActions *actions() const { return m_actions; }
    QToolBar *toolBar() const { return m_toolBar; }

    // What the login may do: Retry All Matching, export and the row actions its role may not
    // take are disabled, with why.
    void setAccess(const RoleAccess &access);

    QAction *retryUsersAction() const;
    QAction *markIgnoredAction() const;
    QAction *markResolvedAction() const;
    QAction *undoAction() const;
    QAction *retryAllAction() const { return m_retryAll; }
    QAction *exportAction() const { return m_export; }
    QAction *refreshAction() const { return m_refresh; }

    // The count text as shown in the filter bar ("1 234 failed records", "counting…").
    QString countText() const;

    QByteArray saveState() const;
    bool restoreState(const QByteArray &state);

public slots:
    void refresh(); // the same filter from the top, with new counts, groups and catalogue

signals:
    void userRequested(const mc::UserKey &user);
    void retryAllRequested(const mc::FailureFilter &filter);
    void exportRequested(const mc::FailureFilter &filter);
    void detailShown(const mc::FailureDetail &detail); // the current row's detail arrived

private:
    void createActions();
    QToolBar *createToolBar();
    void setUpTable();
    void applyFilter(const FailureFilter &filter);
    void loadCatalogue();
    void loadGroups();
    void showCount();
    void showGroupChoice();
    void showCurrent();
    void pageArrived(int firstRow, int rows);
    void showContextMenu(const QPoint &at);
    void writeDone();
    void showConnected();
    void setConnected(bool connected);

    FailuresService *m_service;
    FailureTableModel *m_model;
    FailureCount *m_count;
    FailureDetailLoader *m_loader;
    ErrorGroupModel *m_groups;
    FailureFilterBar *m_filterBar;
    MessageBanner *m_messages;
    QTableView *m_table;
    ErrorGroupsPanel *m_groupsPanel;
    FailureDetailPane *m_detail;
    FailureActions *m_actions;
    QSplitter *m_split;     // table and groups | detail
    QSplitter *m_leftSplit; // table over groups
    QToolBar *m_toolBar = nullptr;
    QAction *m_retryAll = nullptr;
    QAction *m_export = nullptr;
    QAction *m_refresh = nullptr;
    QAction *m_copyId = nullptr;
    QAction *m_openUser = nullptr;
    bool m_connected = false;
    RoleAccess m_access;
    std::optional<qint64> m_keepCurrent; // re-select this record when it comes back
};

} // namespace mc::widgets
