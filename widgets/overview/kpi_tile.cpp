#include "kpi_tile.h"

#include <QLabel>
#include <QVBoxLayout>

namespace mc::widgets {

KpiTile::KpiTile(const QString &objectName, const QString &title, QWidget *parent)
    : QFrame(parent), m_title(new QLabel(title, this)), m_value(new QLabel(QStringLiteral("—"), this)),
      m_detail(new QLabel(this))
{
    setObjectName(objectName);
    setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Fixed);

    QFont titleFont = m_title->font();
    titleFont.setPointSizeF(titleFont.pointSizeF() * 0.85);
    m_title->setFont(titleFont);
    m_title->setForegroundRole(QPalette::PlaceholderText);
    QFont valueFont = m_value->font();
    valueFont.setPointSizeF(valueFont.pointSizeF() * 1.6);
    valueFont.setBold(true);
    m_value->setFont(valueFont);
    m_detail->setFont(titleFont);
    m_detail->setForegroundRole(QPalette::PlaceholderText);
    for (QLabel *label : {m_title, m_value, m_detail})
        label->setTextInteractionFlags(Qt::TextSelectableByMouse);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(10, 6, 10, 6);
    layout->setSpacing(1);
    layout->addWidget(m_title);
    layout->addWidget(m_value);
    layout->addWidget(m_detail);
    setAccent({});
}

void KpiTile::setValue(const QString &value, const QString &detail)
{
    m_value->setText(value);
    m_detail->setText(detail);
}

void KpiTile::setAccent(const QColor &color)
{
    // One look for every tile, with or without the stripe on the left.
    const QString stripe = color.isValid()
                               ? QStringLiteral("border-left: 4px solid %1;").arg(color.name())
                               : QString();
    setStyleSheet(QStringLiteral("mc--widgets--KpiTile { background: palette(base); border: 1px "
                                 "solid palette(mid); border-radius: 2px; %1 }")
                      .arg(stripe));
}

QString KpiTile::value() const
{
    return m_value->text();
}

QString KpiTile::detail() const
{
    return m_detail->text();
}

} // namespace mc::widgets
