#pragma once

// A page whose content a later issue builds: says so plainly, with what it will hold.

#include <QWidget>

namespace mc::widgets {

class PlaceholderPage : public QWidget
{
    Q_OBJECT

public:
    PlaceholderPage(const QString &title, const QString &promise, QWidget *parent = nullptr);
};

} // namespace mc::widgets
