#pragma once

// The JSON tree with the text pane's colours: keys, and values by their type.

#include <QIdentityProxyModel>

namespace mc::widgets {

class JsonTreeColors : public QIdentityProxyModel
{
    Q_OBJECT

public:
    using QIdentityProxyModel::QIdentityProxyModel;

    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
};

} // namespace mc::widgets
