#pragma once

// Draws a progress cell as a bar: the created share solid, the serialised share lighter behind
// it, the percentage on top. Reads ModelProgressModel's ProgressRole and SerializedFractionRole.

#include <QStyledItemDelegate>

namespace mc::widgets {

class ProgressBarDelegate : public QStyledItemDelegate
{
    Q_OBJECT

public:
    explicit ProgressBarDelegate(QObject *parent = nullptr);

    void paint(QPainter *painter, const QStyleOptionViewItem &option,
               const QModelIndex &index) const override;
    QSize sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const override;
};

} // namespace mc::widgets
