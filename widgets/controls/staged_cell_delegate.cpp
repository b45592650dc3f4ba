#include "staged_cell_delegate.h"

#include "queue_settings_model.h"

#include <QLocale>
#include <QSpinBox>

namespace mc::widgets {

QColor StagedCellDelegate::stagedColor()
{
    return QColor(0xfff0b3);
}

QColor StagedCellDelegate::changedColor()
{
    return QColor(0xffc98a);
}

void StagedCellDelegate::initStyleOption(QStyleOptionViewItem *option,
                                         const QModelIndex &index) const
{
    QStyledItemDelegate::initStyleOption(option, index);
    const bool rowChanged = index.data(QueueSettingsModel::RowChangedRole).toBool();
    if (index.data(QueueSettingsModel::StagedRole).toBool()) {
        option->backgroundBrush = stagedColor();
        option->font.setBold(true);
        option->palette.setColor(QPalette::Text, QColor(0x3a2f00));
        const QVariant before = index.data(QueueSettingsModel::DatabaseValueRole);
        if (before.isValid())
            option->text = QStringLiteral("%1 → %2").arg(QLocale().toString(before.toInt()), option->text);
    }
    if (rowChanged && index.column() == QueueSettingsModel::Name) {
        option->backgroundBrush = changedColor();
        option->text = QStringLiteral("⚠ %1").arg(option->text);
        option->font.setBold(true);
    }
}

QWidget *StagedCellDelegate::createEditor(QWidget *parent, const QStyleOptionViewItem &,
                                          const QModelIndex &index) const
{
    auto *spin = new QSpinBox(parent);
    spin->setFrame(false);
    spin->setAlignment(Qt::AlignRight | Qt::AlignVCenter);
    spin->setRange(QueueSettingsModel::minimumOf(index.column()), 100'000'000);
    spin->setGroupSeparatorShown(false);
    return spin;
}

void StagedCellDelegate::setEditorData(QWidget *editor, const QModelIndex &index) const
{
    auto *spin = static_cast<QSpinBox *>(editor);
    spin->setValue(index.data(Qt::EditRole).toInt());
    spin->selectAll();
}

void StagedCellDelegate::setModelData(QWidget *editor, QAbstractItemModel *model,
                                      const QModelIndex &index) const
{
    auto *spin = static_cast<QSpinBox *>(editor);
    spin->interpretText();
    model->setData(index, spin->value(), Qt::EditRole);
}

} // namespace mc::widgets
