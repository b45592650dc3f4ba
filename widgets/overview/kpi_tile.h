#pragma once

// One figure on the overview: a title, a large value and a line of detail.

#include <QFrame>

class QLabel;

namespace mc::widgets {

class KpiTile : public QFrame
{
    Q_OBJECT

public:
    KpiTile(const QString &objectName, const QString &title, QWidget *parent = nullptr);

    void setValue(const QString &value, const QString &detail = {});
    void setAccent(const QColor &color); // the stripe on the left; invalid for none
    QString value() const;
    QString detail() const;

private:
    QLabel *m_title;
    QLabel *m_value;
    QLabel *m_detail;
};

} // namespace mc::widgets
