#pragma once

// For docs and checks: once the overview shows data (snapshot, throughput of the range, operator
// actions), waits for the charts to settle, saves the window as a PNG and quits.

#include <QObject>
#include <QTimer>

class QWidget;

namespace mc {
class LiveOverview;
class StoreSession;
}

class Screenshot : public QObject
{
    Q_OBJECT

public:
    Screenshot(QWidget *window, mc::StoreSession *session, mc::LiveOverview *live, QString file,
               int timeoutSeconds, QObject *parent = nullptr);

private:
    void check();
    void save(bool complete);

    QWidget *m_window;
    mc::LiveOverview *m_live;
    QString m_file;
    bool m_auditArrived = false;
    bool m_saving = false;
    QTimer m_timeout;
};
