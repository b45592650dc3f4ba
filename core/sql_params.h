#pragma once

// Building parameterised SQL: values go to the parameter list, only "$N" goes into the text.

#include <QString>
#include <QVariant>

#include <vector>

namespace mc {

inline QString bind(QVariantList &params, const QVariant &value)
{
    params.append(value);
    return QLatin1Char('$') + QString::number(params.size());
}

// "$a, $b, …" for each value.
template<typename Container>
QString bindList(QVariantList &params, const Container &values)
{
    QString list;
    for (const auto &value : values) {
        if (!list.isEmpty())
            list += QStringLiteral(", ");
        list += bind(params, QVariant::fromValue(value));
    }
    return list;
}

} // namespace mc
