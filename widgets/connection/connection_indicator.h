#pragma once

// The status bar's account of the connection: server and version, database user, round-trip
// time and last refresh when connected; "disconnected — retrying in N s" and why, when not.

#include "connection_status.h"

#include <QWidget>

class QLabel;

namespace mc::widgets {

class ConnectionIndicator : public QWidget
{
    Q_OBJECT

public:
    explicit ConnectionIndicator(QWidget *parent = nullptr);

    void showStatus(const ConnectionStatus &status);
    QString text() const; // plain text, as shown

    static QString describe(const ConnectionStatus &status);
    static QColor stateColor(ConnectionStatus::State state);

private:
    QLabel *m_dot;
    QLabel *m_text;
};

} // namespace mc::widgets
