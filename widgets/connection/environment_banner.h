#pragma once

// A strip across the top of every view saying which environment the merge database says it is
// (name and class) in the class's colour, and whether the session is read-only. Hidden when not
// connected; a database never labelled says so in grey.

#include "connection_status.h"

#include <QLabel>

namespace mc::widgets {

class EnvironmentBanner : public QLabel
{
    Q_OBJECT

public:
    explicit EnvironmentBanner(QWidget *parent = nullptr);

    void showStatus(const ConnectionStatus &status, bool readOnly);
};

} // namespace mc::widgets
