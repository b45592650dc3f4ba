#include "error_groups_panel.h"

#include "error_group_model.h"

#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLocale>
#include <QSortFilterProxyModel>
#include <QTableView>
#include <QVBoxLayout>

namespace mc::widgets {

ErrorGroupsPanel::ErrorGroupsPanel(ErrorGroupModel *model, QWidget *parent)
    : QWidget(parent), m_model(model), m_proxy(new QSortFilterProxyModel(this)),
      m_table(new QTableView(this)), m_title(new QLabel(this))
{
    setObjectName(QStringLiteral("errorGroupsPanel"));
    m_proxy->setSourceModel(model);
    m_proxy->setSortRole(ErrorGroupModel::SortRole);
    m_table->setObjectName(QStringLiteral("errorGroupsTable"));
    m_table->setModel(m_proxy);
    m_table->setSortingEnabled(true);
    m_table->sortByColumn(ErrorGroupModel::Failures, Qt::DescendingOrder);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setAlternatingRowColors(true);
    m_table->setWordWrap(false);
    m_table->verticalHeader()->hide();
    m_table->verticalHeader()->setDefaultSectionSize(fontMetrics().height() + 8);
    m_table->horizontalHeader()->setHighlightSections(false);
    m_table->setColumnWidth(ErrorGroupModel::ErrorClass, 200);
    m_table->setColumnWidth(ErrorGroupModel::Pattern, 320);
    m_table->setColumnWidth(ErrorGroupModel::Failures, 80);
    m_table->setColumnWidth(ErrorGroupModel::Unresolved, 85);
    m_table->setColumnWidth(ErrorGroupModel::FirstSeen, 140);
    m_table->setColumnWidth(ErrorGroupModel::LastSeen, 140);
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->setToolTip(tr("Click a group to show only its failed records"));
    connect(m_table, &QTableView::clicked, this, [this](const QModelIndex &index) {
        const QModelIndex source = m_proxy->mapToSource(index);
        if (source.isValid())
            emit groupChosen(m_model->groupAt(source.row()));
    });
    connect(m_table, &QTableView::activated, m_table, &QTableView::clicked);
    connect(model, &QAbstractItemModel::modelReset, this, [this] {
        showChosen(m_chosen);
        showTitle();
    });

    QFont titleFont = m_title->font();
    titleFont.setBold(true);
    m_title->setFont(titleFont);
    m_title->setObjectName(QStringLiteral("errorGroupsTitle"));
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 4, 0, 0);
    layout->setSpacing(3);
    layout->addWidget(m_title);
    layout->addWidget(m_table, 1);
    showTitle();
}

void ErrorGroupsPanel::showChosen(const QString &fingerprint)
{
    m_chosen = fingerprint;
    showTitle();
    const int row = fingerprint.isEmpty() ? -1 : m_model->rowOfFingerprint(fingerprint);
    if (row < 0) {
        m_table->selectionModel()->clearSelection();
        return;
    }
    const QModelIndex index = m_proxy->mapFromSource(m_model->index(row, 0));
    m_table->selectionModel()->select(index, QItemSelectionModel::ClearAndSelect
                                                 | QItemSelectionModel::Rows);
    m_table->scrollTo(index);
}

void ErrorGroupsPanel::setLoading(bool loading)
{
    m_loading = loading;
    showTitle();
}

void ErrorGroupsPanel::showTitle()
{
    QString title = tr("Error groups (%1)").arg(QLocale().toString(m_model->rowCount()));
    if (m_model->rowCount() > 0 && m_chosen.isEmpty())
        title += tr(" — click one to show only its records");
    if (m_loading)
        title += tr(" — loading…");
    m_title->setText(title);
}

} // namespace mc::widgets
