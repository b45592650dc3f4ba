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

// A WHERE clause grown one condition at a time: " WHERE a AND b", or empty.
class Where
{
public:
    explicit Where(QString initial = {}) : m_text(std::move(initial)) {}
    void add(const QString &condition)
    {
        m_text += m_text.isEmpty() ? QStringLiteral(" WHERE ") : QStringLiteral(" AND ");
        m_text += condition;
    }
    const QString &text() const { return m_text; }

private:
    QString m_text;
};

} // namespace mc
