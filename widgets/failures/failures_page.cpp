#include "failures_page.h"

#include "role_gate.h"

#include "error_group_model.h"
#include "error_groups_panel.h"
#include "failure_actions.h"
#include "failure_count.h"
#include "failure_detail_loader.h"
#include "failure_detail_pane.h"
#include "failure_filter_bar.h"
#include "failure_table_model.h"
#include "message_banner.h"
#include "failures_service.h"

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QDataStream>
#include <QHeaderView>
#include <QIODevice>
#include <QLabel>
#include <QLocale>
#include <QPlainTextEdit>
#include <QMenu>
#include <QSet>
#include <QSplitter>
#include <QTableView>
#include <QToolBar>
#include <QVBoxLayout>

#include <algorithm>

namespace mc::widgets {

namespace {

constexpr quint32 kStateMagic = 0x4d434650; // "MCFP"

QString groupWords(const ErrorGroup &group)
{
    return group.messagePattern.isEmpty()
               ? group.errorClass
               : QStringLiteral("%1: %2").arg(group.errorClass, group.messagePattern);
}

} // namespace

FailuresPage::FailuresPage(FailuresService *service, QWidget *parent)
    : QWidget(parent), m_service(service), m_model(new FailureTableModel(service->runner(), this)),
      // A count may take long on a big table: on the bulk connection, it never holds up a page.
      m_count(new FailureCount(service->bulkRunner(), this)),
      m_loader(new FailureDetailLoader(service->runner(), this)),
      m_groups(new ErrorGroupModel(this)),
      m_filterBar(new FailureFilterBar(this)), m_messages(new MessageBanner(this)),
      m_table(new QTableView(this)), m_groupsPanel(new ErrorGroupsPanel(m_groups, this)),
      m_detail(new FailureDetailPane(this)),
      m_actions(new FailureActions(service, m_model, m_table, m_messages, this)),
      m_split(new QSplitter(Qt::Horizontal, this)), m_leftSplit(new QSplitter(Qt::Vertical, this))
{
    setObjectName(QStringLiteral("failuresPage"));
    createActions();
    setUpTable();

    m_leftSplit->setObjectName(QStringLiteral("failuresLeftSplitter"));
    m_leftSplit->addWidget(m_table);
    m_leftSplit->addWidget(m_groupsPanel);
    m_leftSplit->setStretchFactor(0, 3);
    m_leftSplit->setStretchFactor(1, 1);
    m_leftSplit->setChildrenCollapsible(false);
    m_split->setObjectName(QStringLiteral("failuresSplitter"));
    m_split->addWidget(m_leftSplit);
    m_split->addWidget(m_detail);
    m_split->setStretchFactor(0, 3);
    m_split->setStretchFactor(1, 2);
    m_split->setSizes({1100, 520}); // scaled to the page's width as it is laid out
    m_split->setChildrenCollapsible(false);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(8, 6, 8, 6);
    layout->setSpacing(5);
    layout->addWidget(m_filterBar);
    layout->addWidget(createToolBar());
    layout->addWidget(m_messages);
    layout->addWidget(m_split, 1);

    connect(m_filterBar, &FailureFilterBar::filterChanged, this, &FailuresPage::applyFilter);
    connect(m_filterBar, &FailureFilterBar::stopRequested, this, [this] {
        m_count->stop();
        if (m_model->isLoading() && filter().searchScans())
            m_model->cancelLoading(); // the scan of a short term
    });
    connect(m_model, &FailureTableModel::pageLoaded, this, &FailuresPage::pageArrived);
    connect(m_model, &QAbstractItemModel::modelReset, this, &FailuresPage::showCount);
    connect(m_model, &FailureTableModel::loadFailed, this, [this](const StoreError &error) {
        if (error.kind == StoreError::Kind::Cancelled)
            m_messages->showInfo(tr("Stopped: the table shows the rows found before. (Refresh "
                                    "searches again.)"));
        else
            m_messages->showError(tr("Could not load failed records: %1 (Refresh tries again.)")
                                      .arg(error.message));
    });
    connect(m_count, &FailureCount::changed, this, &FailuresPage::showCount);
    connect(m_model, &FailureTableModel::loadingChanged, this, &FailuresPage::showCount);
    connect(m_loader, &FailureDetailLoader::loaded, this, [this](const FailureDetail &detail) {
        m_detail->showDetail(detail);
        emit detailShown(detail);
    });
    connect(m_loader, &FailureDetailLoader::failed, this,
            [this](qint64 id, const StoreError &error) {
                m_detail->showNothing(tr("Could not load failed record %1.").arg(id));
                m_messages->showError(tr("Could not load failed record %1: %2")
                                          .arg(id)
                                          .arg(error.message));
            });
    connect(m_detail, &FailureDetailPane::userRequested, this, &FailuresPage::userRequested);
    connect(m_groupsPanel, &ErrorGroupsPanel::groupChosen, this, [this](const ErrorGroup &group) {
        FailureFilter next = filter();
        next.fingerprint = group.fingerprint;
        setFilter(next);
    });
    connect(m_actions, &FailureActions::changed, this, &FailuresPage::writeDone);
    connect(service, &FeatureService::connectionChanged, this, &FailuresPage::setConnected);
    if (service->isConnected())
        setConnected(true);
    else
        showConnected();
}

FailuresPage::~FailuresPage() = default;

void FailuresPage::createActions()
{
    m_retryAll = new QAction(tr("Retry All &Matching…"), this);
    m_retryAll->setObjectName(QStringLiteral("retryAllAction"));
    m_retryAll->setToolTip(tr("Retry every user with a failed record the current filter "
                              "selects, not only the rows loaded"));
    connect(m_retryAll, &QAction::triggered, this, [this] { emit retryAllRequested(filter()); });
    m_export = new QAction(tr("&Export…"), this);
    m_export->setObjectName(QStringLiteral("exportAction"));
    m_export->setToolTip(tr("Export every failed record the current filter selects"));
    connect(m_export, &QAction::triggered, this, [this] { emit exportRequested(filter()); });
    m_refresh = new QAction(tr("Re&fresh"), this);
    m_refresh->setObjectName(QStringLiteral("refreshAction"));
    m_refresh->setShortcut(QKeySequence::Refresh);
    m_refresh->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    m_refresh->setToolTip(tr("Load the table, counts and groups again (F5)"));
    connect(m_refresh, &QAction::triggered, this, &FailuresPage::refresh);
    addAction(m_refresh);
    m_copyId = new QAction(tr("&Copy Record Id"), this);
    connect(m_copyId, &QAction::triggered, this, [this] {
        const QModelIndex current = m_table->currentIndex();
        if (current.isValid())
            QApplication::clipboard()->setText(
                QString::number(m_model->failureAt(current.row()).id));
    });
    m_openUser = new QAction(tr("&Open User"), this);
    connect(m_openUser, &QAction::triggered, this, [this] {
        const QModelIndex current = m_table->currentIndex();
        if (current.isValid())
            emit userRequested(m_model->failureAt(current.row()).user);
    });
}

QToolBar *FailuresPage::createToolBar()
{
    m_toolBar = new QToolBar(this);
    m_toolBar->setObjectName(QStringLiteral("failuresToolBar"));
    m_toolBar->setToolButtonStyle(Qt::ToolButtonTextOnly);
    m_toolBar->addAction(retryUsersAction());
    m_toolBar->addAction(markIgnoredAction());
    m_toolBar->addAction(markResolvedAction());
    m_toolBar->addAction(undoAction());
    m_toolBar->addSeparator();
    m_toolBar->addAction(m_retryAll);
    m_toolBar->addAction(m_export);
    m_toolBar->addSeparator();
    m_toolBar->addAction(m_refresh);
    return m_toolBar;
}

void FailuresPage::setUpTable()
{
    m_table->setObjectName(QStringLiteral("failuresTable"));
    m_table->setModel(m_model);
    m_table->setSortingEnabled(false); // the keyset order: newest first
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setAlternatingRowColors(true);
    m_table->setWordWrap(false);
    m_table->setContextMenuPolicy(Qt::CustomContextMenu);
    m_table->verticalHeader()->hide();
    m_table->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    m_table->verticalHeader()->setDefaultSectionSize(fontMetrics().height() + 8);
    m_table->horizontalHeader()->setHighlightSections(false);
    const int widths[FailureTableModel::ColumnCount] = {135, 44, 66, 84, 100, 175, 240, 56, 74};
    for (int c = 0; c < FailureTableModel::ColumnCount; ++c)
        m_table->setColumnWidth(c, widths[c]);
    // The message takes what is left, so the resolution stays in sight.
    m_table->horizontalHeader()->setStretchLastSection(false);
    m_table->horizontalHeader()->setSectionResizeMode(FailureTableModel::Message,
                                                      QHeaderView::Stretch);
    connect(m_table, &QWidget::customContextMenuRequested, this, &FailuresPage::showContextMenu);
    connect(m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            &FailuresPage::showCurrent);
    connect(m_table->selectionModel(), &QItemSelectionModel::selectionChanged, m_actions,
            &FailureActions::updateEnabled);
    connect(m_model, &QAbstractItemModel::modelReset, m_actions, &FailureActions::updateEnabled);
}

QAction *FailuresPage::retryUsersAction() const
{
    return m_actions->retryUsersAction();
}

QAction *FailuresPage::markIgnoredAction() const
{
    return m_actions->markIgnoredAction();
}

QAction *FailuresPage::markResolvedAction() const
{
    return m_actions->markResolvedAction();
}

QAction *FailuresPage::undoAction() const
{
    return m_actions->undoAction();
}

QWidget *FailuresPage::payloadArea() const
{
    return m_detail->payloadArea();
}

PayloadViewer *FailuresPage::payloadViewer() const
{
    return m_detail->payloadViewer();
}

std::optional<FailureDetail> FailuresPage::currentDetail() const
{
    return m_detail->detail();
}

void FailuresPage::setConnected(bool connected)
{
    m_connected = connected;
    m_keepCurrent.reset();
    m_messages->dismiss();
    m_loader->clear();
    m_actions->setConnected(connected);
    if (!m_connected) {
        m_model->clear();
        m_count->clear();
        m_groups->setGroups({});
        showConnected();
        return;
    }
    showConnected();
    applyFilter(filter());
    loadCatalogue();
    loadGroups();
}

void FailuresPage::setAccess(const RoleAccess &access)
{
    m_access = access;
    m_actions->setAccess(access);
    showConnected();
}

void FailuresPage::showConnected()
{
    gate(m_retryAll, m_connected, m_access, RoleAction::RetryAllMatching);
    gate(m_export, m_connected, m_access, RoleAction::Export);
    m_refresh->setEnabled(m_connected);
    if (!m_connected)
        m_detail->showNothing(tr("Not connected to a merge database."));
    showCount();
}

FailureFilter FailuresPage::filter() const
{
    return m_filterBar->filter();
}

void FailuresPage::setFilter(const FailureFilter &next)
{
    m_filterBar->setFilter(next);
    applyFilter(next);
}

void FailuresPage::applyFilter(const FailureFilter &next)
{
    showGroupChoice();
    m_loader->clear();
    m_keepCurrent.reset();
    if (!m_connected)
        return;
    m_model->setFilter(next);
    m_count->setFilter(next);
    m_detail->showNothing(tr("Select a failed record to see its message, backtrace and payload."));
}

void FailuresPage::refresh()
{
    if (!m_connected)
        return;
    const QModelIndex current = m_table->currentIndex();
    const std::optional<qint64> keep = current.isValid()
                                           ? std::optional(m_model->failureAt(current.row()).id)
                                           : std::nullopt;
    m_messages->dismiss();
    m_loader->clear();
    m_model->reload();
    m_keepCurrent = keep;
    m_count->recount();
    loadCatalogue();
    loadGroups();
}

void FailuresPage::writeDone()
{
    m_count->recount();
    loadGroups();
    const QModelIndex current = m_table->currentIndex();
    if (current.isValid())
        m_loader->load(m_model->failureAt(current.row()).id);
}

void FailuresPage::loadCatalogue()
{
    m_service->readCatalogue(
        this,
        [this](const Result<OverviewSnapshot> &snapshot) {
            if (!snapshot.ok()) {
                m_messages->showError(tr("Could not load the models and portals: %1")
                                          .arg(snapshot.error().message));
                return;
            }
            QList<QPair<int, QString>> models;
            for (const ModelProgress &model : snapshot->models)
                models.append({model.modelId, model.model});
            m_filterBar->setModels(models);
            QStringList portals;
            for (const RolloutFlag &flag : snapshot->rollout)
                if (!portals.contains(flag.portal))
                    portals << flag.portal;
            std::sort(portals.begin(), portals.end());
            m_filterBar->setPortals(portals);
        });
}

void FailuresPage::loadGroups()
{
    m_groupsPanel->setLoading(true);
    m_service->readErrorGroups(
        this,
        [this](const Result<QList<ErrorGroup>> &groups) {
            m_groupsPanel->setLoading(false);
            if (!groups.ok()) {
                m_messages->showError(tr("Could not load the error groups: %1")
                                          .arg(groups.error().message));
                return;
            }
            m_groups->setGroups(*groups);
            QStringList classes;
            for (const ErrorGroup &group : *groups)
                classes << group.errorClass;
            classes.removeDuplicates();
            std::sort(classes.begin(), classes.end());
            m_filterBar->setErrorClasses(classes);
            showGroupChoice();
        });
}

void FailuresPage::showGroupChoice()
{
    const QString fingerprint = filter().fingerprint;
    m_groupsPanel->showChosen(fingerprint);
    if (fingerprint.isEmpty())
        return;
    if (const auto group = m_groups->group(fingerprint))
        m_filterBar->setGroupDescription(groupWords(*group));
}

QString FailuresPage::countText() const
{
    if (!m_connected)
        return tr("not connected");
    const QString count = m_count->text(m_model->rowCount(), m_model->isComplete());
    // A term without three letters or digits in a row cannot use the search index.
    const bool waiting = m_model->isLoading() || m_count->state() == FailureCount::State::Counting;
    if (filter().searchScans() && waiting && !m_model->isComplete())
        return m_model->rowCount() > 0 ? tr("short term: scanning… (%1+ so far)")
                                             .arg(QLocale().toString(m_model->rowCount()))
                                       : tr("short term: scanning…");
    return count;
}

void FailuresPage::showCount()
{
    m_filterBar->setCountText(countText());
    const bool slowCount = m_count->state() == FailureCount::State::Counting && m_count->isSlow();
    const bool scanning = m_model->isLoading() && filter().searchScans();
    m_filterBar->setStoppable(m_connected && (slowCount || scanning));
    m_filterBar->countLabel()->setToolTip(
        tr("%1 loaded into the table").arg(QLocale().toString(m_model->rowCount())));
}

void FailuresPage::pageArrived(int firstRow, int rows)
{
    Q_UNUSED(rows)
    showCount();
    if (!m_keepCurrent)
        return;
    const int row = m_model->rowOfId(*m_keepCurrent);
    if (row >= 0) {
        m_table->setCurrentIndex(m_model->index(row, 0));
        m_table->selectRow(row);
        m_keepCurrent.reset();
    } else if (firstRow > 0 || m_model->isComplete()) {
        m_keepCurrent.reset(); // not on the first page any more: not worth scrolling for
    }
}

void FailuresPage::showCurrent()
{
    const QModelIndex current = m_table->currentIndex();
    if (!current.isValid()) {
        m_loader->clear();
        if (m_connected)
            m_detail->showNothing(
                tr("Select a failed record to see its message, backtrace and payload."));
        return;
    }
    const FailureRow &row = m_model->failureAt(current.row());
    if (m_loader->currentId() == row.id)
        return;
    m_detail->showLoading(row);
    m_loader->load(row.id);
}

void FailuresPage::showContextMenu(const QPoint &at)
{
    if (!m_table->indexAt(at).isValid())
        return;
    auto *menu = new QMenu(this);
    menu->setAttribute(Qt::WA_DeleteOnClose);
    menu->addAction(retryUsersAction());
    menu->addSeparator();
    menu->addAction(markIgnoredAction());
    menu->addAction(markResolvedAction());
    menu->addAction(undoAction());
    menu->addSeparator();
    menu->addAction(m_openUser);
    menu->addAction(m_copyId);
    menu->popup(m_table->viewport()->mapToGlobal(at));
}

QByteArray FailuresPage::saveState() const
{
    QByteArray state;
    QDataStream out(&state, QIODevice::WriteOnly);
    out << kStateMagic << m_split->saveState() << m_leftSplit->saveState()
        << m_table->horizontalHeader()->saveState();
    return state;
}

bool FailuresPage::restoreState(const QByteArray &state)
{
    QDataStream in(state);
    quint32 magic = 0;
    QByteArray split, leftSplit, header;
    in >> magic >> split >> leftSplit >> header;
    if (in.status() != QDataStream::Ok || magic != kStateMagic)
        return false;
    return m_split->restoreState(split) && m_leftSplit->restoreState(leftSplit)
           && m_table->horizontalHeader()->restoreState(header);
}

} // namespace mc::widgets
