#include "progress_bar_delegate.h"

#include "model_progress_model.h"

#include <QApplication>
#include <QPainter>

namespace mc::widgets {

ProgressBarDelegate::ProgressBarDelegate(QObject *parent) : QStyledItemDelegate(parent) {}

void ProgressBarDelegate::paint(QPainter *painter, const QStyleOptionViewItem &option,
                                const QModelIndex &index) const
{
    const QVariant created = index.data(ModelProgressModel::ProgressRole);
    if (!created.isValid()) {
        QStyledItemDelegate::paint(painter, option, index);
        return;
    }
    // Background and selection as any cell, without the text.
    QStyleOptionViewItem cell = option;
    initStyleOption(&cell, index);
    cell.text.clear();
    const QWidget *widget = option.widget;
    QStyle *style = widget ? widget->style() : QApplication::style();
    style->drawControl(QStyle::CE_ItemViewItem, &cell, painter, widget);

    const QRectF bar = QRectF(option.rect).adjusted(4, 4, -4, -4);
    const double serialized =
        std::clamp(index.data(ModelProgressModel::SerializedFractionRole).toDouble(), 0.0, 1.0);
    const double done = std::clamp(created.toDouble(), 0.0, 1.0);
    const QColor accent = option.palette.color(QPalette::Highlight);
    QColor light = accent;
    light.setAlphaF(0.28);

    painter->save();
    painter->setRenderHint(QPainter::Antialiasing);
    painter->setPen(QPen(option.palette.color(QPalette::Mid), 1));
    painter->setBrush(option.palette.color(QPalette::Base));
    painter->drawRoundedRect(bar, 3, 3);
    painter->setPen(Qt::NoPen);
    painter->setBrush(light);
    painter->drawRoundedRect(QRectF(bar.topLeft(), QSizeF(bar.width() * serialized, bar.height())),
                             3, 3);
    painter->setBrush(accent);
    painter->drawRoundedRect(QRectF(bar.topLeft(), QSizeF(bar.width() * done, bar.height())), 3,
                             3);

    // The percentage, legible on both the filled and the empty part.
    const QString text = index.data(Qt::DisplayRole).toString();
    const QRectF filled(bar.topLeft(), QSizeF(bar.width() * done, bar.height()));
    painter->setPen(option.palette.color(QPalette::Text));
    painter->drawText(bar, Qt::AlignCenter, text);
    painter->setClipRect(filled);
    painter->setPen(option.palette.color(QPalette::HighlightedText));
    painter->drawText(bar, Qt::AlignCenter, text);
    painter->restore();
}

QSize ProgressBarDelegate::sizeHint(const QStyleOptionViewItem &option,
                                    const QModelIndex &index) const
{
    QSize size = QStyledItemDelegate::sizeHint(option, index);
    size.setWidth(std::max(size.width(), 140));
    return size;
}

} // namespace mc::widgets
