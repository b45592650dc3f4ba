#pragma once

// Draws the queues table's staged edits: a staged value on a yellow ground in bold, and a row
// that moved on in the database underneath a staged edit with an amber marker on its name.
// Edits settings with a spin box bounded by what the store accepts.

#include <QStyledItemDelegate>

namespace mc::widgets {

class StagedCellDelegate : public QStyledItemDelegate
{
    Q_OBJECT

public:
    using QStyledItemDelegate::QStyledItemDelegate;

    static QColor stagedColor();
    static QColor changedColor();

    QWidget *createEditor(QWidget *parent, const QStyleOptionViewItem &option,
                          const QModelIndex &index) const override;
    void setEditorData(QWidget *editor, const QModelIndex &index) const override;
    void setModelData(QWidget *editor, QAbstractItemModel *model,
                      const QModelIndex &index) const override;

protected:
    void initStyleOption(QStyleOptionViewItem *option, const QModelIndex &index) const override;
};

} // namespace mc::widgets
