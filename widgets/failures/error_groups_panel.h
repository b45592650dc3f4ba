#pragma once

// The error groups next to the failures table: one row per fingerprint (error class +
// normalised message) with its counts, first and last seen and the models it hits. Clicking a
// group asks the page to filter the table by it.

#include "failures.h"

#include <QWidget>

class QLabel;
class QSortFilterProxyModel;
class QTableView;

namespace mc {
class ErrorGroupModel;
}

namespace mc::widgets {

class ErrorGroupsPanel : public QWidget
{
    Q_OBJECT

public:
    explicit ErrorGroupsPanel(ErrorGroupModel *model, QWidget *parent = nullptr);

    QTableView *table() const { return m_table; }
    // Marks the group the table is filtered by (none: empty fingerprint).
    void showChosen(const QString &fingerprint);
    void setLoading(bool loading);

signals:
    void groupChosen(const mc::ErrorGroup &group);

private:
    void showTitle();

    ErrorGroupModel *m_model;
    QSortFilterProxyModel *m_proxy;
    QTableView *m_table;
    QLabel *m_title;
    QString m_chosen;
    bool m_loading = false;
};

} // namespace mc::widgets
