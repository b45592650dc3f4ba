#include "json_tree_colors.h"

#include "json_tree_model.h"
#include "payload_palette.h"

#include <QGuiApplication>

namespace mc::widgets {

using payload::JsonTreeModel;
using payload::JsonValueType;
using payload::SpanKind;

QVariant JsonTreeColors::data(const QModelIndex &index, int role) const
{
    if (role != Qt::ForegroundRole)
        return QIdentityProxyModel::data(index, role);
    const QPalette palette = QGuiApplication::palette();
    if (index.column() == JsonTreeModel::KeyColumn)
        return index.parent().isValid() ? spanColors(SpanKind::Key, palette).foreground : QVariant();
    if (index.column() == JsonTreeModel::TypeColumn)
        return spanColors(SpanKind::Punctuation, palette).foreground;
    switch (JsonValueType(index.data(JsonTreeModel::ValueTypeRole).toInt())) {
    case JsonValueType::String: return spanColors(SpanKind::String, palette).foreground;
    case JsonValueType::Number: return spanColors(SpanKind::Number, palette).foreground;
    case JsonValueType::Boolean:
    case JsonValueType::Null: return spanColors(SpanKind::Literal, palette).foreground;
    case JsonValueType::Object:
    case JsonValueType::Array: return spanColors(SpanKind::Punctuation, palette).foreground;
    }
    return {};
}

} // namespace mc::widgets
