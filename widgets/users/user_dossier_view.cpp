#include "user_dossier_view.h"

#include "id_mappings_model.h"
#include "model_progress_model.h"
#include "progress_bar_delegate.h"
#include "status_badge.h"
#include "time_text.h"
#include "user_failures_model.h"
#include "user_timeline_model.h"

#include <QDateTime>
#include <QFrame>
#include <QGridLayout>
#include <QHeaderView>
#include <QLabel>
#include <QSortFilterProxyModel>
#include <QTabWidget>
#include <QTableView>
#include <QVBoxLayout>

namespace mc::widgets {

namespace {

constexpr int kFailuresShown = 500; // userDossier() returns at most this many
constexpr int kMappingsShown = 1000;

QString timeOrDash(const std::optional<EpochMs> &at)
{
    return at ? localTimeText(*at) : QStringLiteral("—");
}

} // namespace

UserDossierView::UserDossierView(QWidget *parent)
    : QWidget(parent), m_status(new StatusBadge(this)), m_tabs(new QTabWidget(this)),
      m_timeline(new UserTimelineModel(this)), m_progress(new ModelProgressModel(this)),
      m_failures(new UserFailuresModel(this)), m_mappings(new IdMappingsModel(this))
{
    setObjectName(QStringLiteral("userDossier"));
    m_status->setObjectName(QStringLiteral("statusBadge"));
    m_tabs->setObjectName(QStringLiteral("dossierTabs"));
    m_tabs->setDocumentMode(true);

    m_tabs->addTab(createTimelineTab(), QString());

    m_progressTable = createTable(m_progress, QStringLiteral("progressTable"));
    m_progressTable->setItemDelegateForColumn(ModelProgressModel::Progress,
                                              new ProgressBarDelegate(this));
    m_progressTable->sortByColumn(ModelProgressModel::Order, Qt::AscendingOrder);
    m_progressTable->hideColumn(ModelProgressModel::Order);
    m_progressTable->hideColumn(ModelProgressModel::FailurePercent);
    m_progressTable->horizontalHeader()->setSectionResizeMode(ModelProgressModel::Progress,
                                                              QHeaderView::Stretch);
    m_progressTable->setColumnWidth(ModelProgressModel::ModelName, 150);
    for (int c = ModelProgressModel::RecordsTotal; c <= ModelProgressModel::Failed; ++c)
        m_progressTable->setColumnWidth(c, 100);
    m_tabs->addTab(m_progressTable, QString());

    m_failuresTable = createTable(m_failures, QStringLiteral("failuresTable"));
    m_failuresTable->horizontalHeader()->setSectionResizeMode(UserFailuresModel::Message,
                                                              QHeaderView::Stretch);
    m_failuresTable->setColumnWidth(UserFailuresModel::FailedAt, 150);
    m_failuresTable->setColumnWidth(UserFailuresModel::ModelName, 130);
    m_failuresTable->setColumnWidth(UserFailuresModel::RecordId, 150);
    m_failuresTable->setColumnWidth(UserFailuresModel::Phase, 70);
    m_failuresTable->setColumnWidth(UserFailuresModel::ErrorClass, 190);
    m_failuresTable->setToolTip(tr("Double-click or press Enter to open the record's payload"));
    connect(m_failuresTable, &QTableView::activated, this, [this](const QModelIndex &index) {
        emit failureRequested(index.data(UserFailuresModel::FailureIdRole).toLongLong());
    });
    m_tabs->addTab(m_failuresTable, QString());

    m_mappingsTable = createTable(m_mappings, QStringLiteral("mappingsTable"));
    m_mappingsTable->horizontalHeader()->setStretchLastSection(true);
    m_mappingsTable->setColumnWidth(IdMappingsModel::ModelName, 150);
    m_mappingsTable->setColumnWidth(IdMappingsModel::SourcePortal, 110);
    m_mappingsTable->setColumnWidth(IdMappingsModel::SourceId, 140);
    m_tabs->addTab(m_mappingsTable, QString());

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(8);
    layout->addWidget(createHeader());
    layout->addWidget(m_tabs, 1);
    clear();
}

QWidget *UserDossierView::createHeader()
{
    m_header = new QFrame(this);
    m_header->setObjectName(QStringLiteral("dossierHeader"));
    m_header->setStyleSheet(QStringLiteral("#dossierHeader { background: palette(base); border: "
                                           "1px solid palette(mid); border-radius: 3px; }"));
    auto *grid = new QGridLayout(m_header);
    grid->setContentsMargins(12, 8, 12, 8);
    grid->setHorizontalSpacing(28);
    grid->setVerticalSpacing(2);

    QLabel *user = addField(QStringLiteral("user"), tr("User"), 0, 0);
    QFont big = user->font();
    big.setPointSizeF(big.pointSizeF() * 1.35);
    big.setBold(true);
    user->setFont(big);
    auto *statusCaption = new QLabel(tr("Status"), m_header);
    statusCaption->setForegroundRole(QPalette::PlaceholderText);
    grid->addWidget(statusCaption, 0, 1);
    grid->addWidget(m_status, 1, 1, Qt::AlignLeft | Qt::AlignVCenter);
    addField(QStringLiteral("phase"), tr("Phase"), 0, 2);
    addField(QStringLiteral("attempts"), tr("Attempts"), 0, 3);
    addField(QStringLiteral("target"), tr("Target user id"), 0, 4);

    addField(QStringLiteral("requested"), tr("Requested"), 1, 0);
    addField(QStringLiteral("started"), tr("Started"), 1, 1);
    addField(QStringLiteral("finished"), tr("Finished"), 1, 2);
    addField(QStringLiteral("duration"), tr("Duration"), 1, 3);
    addField(QStringLiteral("updated"), tr("Last update"), 1, 4);

    QLabel *error = addField(QStringLiteral("lastError"), tr("Last error"), 2, 0);
    grid->removeWidget(error);
    grid->addWidget(error, 5, 0, 1, 6);
    error->setWordWrap(true);
    error->setMaximumHeight(error->fontMetrics().lineSpacing() * 3 + 4);
    error->setAlignment(Qt::AlignLeft | Qt::AlignTop);
    grid->setColumnStretch(5, 1);
    return m_header;
}

void UserDossierView::setActions(QWidget *actions)
{
    auto *grid = static_cast<QGridLayout *>(m_header->layout());
    actions->setParent(m_header);
    grid->addWidget(actions, 0, 6, 4, 1, Qt::AlignRight | Qt::AlignTop);
}

QLabel *UserDossierView::addField(const QString &name, const QString &label, int row, int column)
{
    auto *grid = static_cast<QGridLayout *>(m_header->layout());
    auto *caption = new QLabel(label, m_header);
    caption->setForegroundRole(QPalette::PlaceholderText);
    auto *value = new QLabel(m_header);
    value->setObjectName(name + QStringLiteral("Field"));
    value->setTextFormat(Qt::PlainText);
    value->setTextInteractionFlags(Qt::TextSelectableByMouse);
    grid->addWidget(caption, row * 2, column);
    grid->addWidget(value, row * 2 + 1, column);
    if (row > 0)
        grid->setRowMinimumHeight(row * 2, caption->sizeHint().height() + 8);
    m_fields.insert(name, value);
    return value;
}

QWidget *UserDossierView::createTimelineTab()
{
    auto *page = new QWidget(this);
    m_timelineTable = createTable(m_timeline, QStringLiteral("timelineTable"));
    m_timelineTable->setSortingEnabled(false); // a timeline reads in time order
    m_timelineTable->horizontalHeader()->setStretchLastSection(true);
    m_timelineTable->setColumnWidth(UserTimelineModel::When, 150);
    m_timelineTable->setColumnWidth(UserTimelineModel::Event, 220);
    m_timelineTable->setColumnWidth(UserTimelineModel::Who, 170);
    m_historyNote = new QLabel(page);
    m_historyNote->setObjectName(QStringLiteral("historyNote"));
    m_historyNote->setWordWrap(true);
    m_historyNote->setForegroundRole(QPalette::PlaceholderText);
    auto *layout = new QVBoxLayout(page);
    layout->setContentsMargins(0, 4, 0, 0);
    layout->addWidget(m_timelineTable, 1);
    layout->addWidget(m_historyNote);
    return page;
}

QTableView *UserDossierView::createTable(QAbstractItemModel *model, const QString &objectName)
{
    auto *proxy = new QSortFilterProxyModel(this);
    proxy->setSourceModel(model);
    proxy->setSortRole(Qt::UserRole); // every dossier model sorts by its raw values there
    auto *table = new QTableView(this);
    table->setObjectName(objectName);
    table->setModel(proxy);
    table->setSortingEnabled(true);
    // Rows come in the store's order (newest first, migration order, …) until a header is
    // clicked.
    table->horizontalHeader()->setSortIndicator(-1, Qt::AscendingOrder);
    table->setAlternatingRowColors(true);
    table->setSelectionBehavior(QAbstractItemView::SelectRows);
    table->setSelectionMode(QAbstractItemView::SingleSelection);
    table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    table->setWordWrap(false);
    table->verticalHeader()->hide();
    table->verticalHeader()->setDefaultSectionSize(fontMetrics().height() + 10);
    table->horizontalHeader()->setHighlightSections(false);
    return table;
}

QLabel *UserDossierView::field(const QString &name) const
{
    return m_fields.value(name);
}

void UserDossierView::showDossier(const UserDossier &dossier)
{
    const bool sameUser = m_dossier && m_dossier->migration.user == dossier.migration.user;
    m_dossier = dossier;
    if (!sameUser)
        m_retries.clear();
    const UserMigration &m = dossier.migration;
    m_header->setEnabled(true);
    m_fields[QStringLiteral("user")]->setText(m.user.toString());
    m_status->setStatus(m.status);
    m_fields[QStringLiteral("phase")]->setText(m.phase.isEmpty() ? QStringLiteral("—") : m.phase);
    m_fields[QStringLiteral("attempts")]->setText(QString::number(m.attempts));
    m_fields[QStringLiteral("target")]->setText(
        m.targetUserId ? QString::number(*m.targetUserId) : QStringLiteral("—"));
    showTimes(m);
    QLabel *error = m_fields[QStringLiteral("lastError")];
    error->setText(m.lastError.isEmpty() ? QStringLiteral("—") : m.lastError);
    error->setToolTip(m.lastError);
    error->setStyleSheet(m.lastError.isEmpty() || m.status != UserStatus::Failed
                             ? QString()
                             : QStringLiteral("QLabel { color: %1; }")
                                   .arg(StatusBadge::colorOf(UserStatus::Failed).name()));

    m_progress->setProgress(dossier.progress);
    m_failures->setFailures(dossier.failures);
    m_mappings->setMappings(dossier.mappings);
    updateTimeline();
    updateTabTitles();
}

void UserDossierView::showTimes(const UserMigration &m)
{
    auto setTime = [this](const QString &name, const std::optional<EpochMs> &at) {
        QLabel *label = m_fields[name];
        label->setText(timeOrDash(at));
        label->setToolTip(at ? utcTimeText(*at) : QString());
    };
    setTime(QStringLiteral("requested"), m.requestedAt);
    setTime(QStringLiteral("started"), m.startedAt);
    setTime(QStringLiteral("finished"), m.finishedAt);
    setTime(QStringLiteral("updated"), m.updatedAt);
    QString duration = QStringLiteral("—");
    if (m.startedAt && m.finishedAt && *m.finishedAt >= *m.startedAt)
        duration = durationText(*m.finishedAt - *m.startedAt);
    else if (m.startedAt && !m.finishedAt && m.status == UserStatus::InProgress)
        duration = tr("%1 so far")
                       .arg(durationText(std::max<qint64>(
                           0, QDateTime::currentMSecsSinceEpoch() - *m.startedAt)));
    m_fields[QStringLiteral("duration")]->setText(duration);
}

void UserDossierView::showHistory(const UserHistory &history)
{
    m_retries = history.entries;
    const int found = int(history.entries.size());
    QString note = found == 1 ? tr("1 retry recorded in the audit log")
                              : tr("%1 retries recorded in the audit log").arg(found);
    if (!history.complete)
        note += tr(" (searched the newest %1 retry entries; older ones were not searched)")
                    .arg(history.scanned);
    note += tr(". Requested, started and finished times are the latest run's.");
    m_historyNote->setText(note);
    updateTimeline();
    updateTabTitles();
}

void UserDossierView::showHistoryError(const QString &message)
{
    m_retries.clear();
    m_historyNote->setText(tr("The audit log could not be read: %1").arg(message));
    updateTimeline();
    updateTabTitles();
}

void UserDossierView::updateTimeline()
{
    m_timeline->setEvents(m_dossier
                              ? userTimeline(m_dossier->migration, m_dossier->failures, m_retries)
                              : QList<UserEvent>());
}

void UserDossierView::updateTabTitles()
{
    const qsizetype failures = m_failures->failures().size();
    const qsizetype mappings = m_mappings->mappings().size();
    m_tabs->setTabText(0, tr("Timeline (%1)").arg(m_timeline->rowCount()));
    m_tabs->setTabText(1, tr("Per-model progress (%1)").arg(m_progress->rowCount()));
    m_tabs->setTabText(2,
                       failures >= kFailuresShown ? tr("Failed records (newest %1)").arg(failures)
                                                  : tr("Failed records (%1)").arg(failures));
    m_tabs->setTabText(3, mappings >= kMappingsShown ? tr("Id mappings (first %1)").arg(mappings)
                                                     : tr("Id mappings (%1)").arg(mappings));
}

void UserDossierView::clear()
{
    m_dossier.reset();
    m_retries.clear();
    for (QLabel *label : std::as_const(m_fields)) {
        label->setText(QStringLiteral("—"));
        label->setToolTip({});
        label->setStyleSheet({});
    }
    m_status->clearStatus();
    m_header->setEnabled(false);
    m_progress->setProgress({});
    m_failures->setFailures({});
    m_mappings->setMappings({});
    m_historyNote->clear();
    updateTimeline();
    updateTabTitles();
}

} // namespace mc::widgets
