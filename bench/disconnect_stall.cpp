#include "disconnect_stall.h"

#include "audit_page.h"
#include "database.h"
#include "failure_table_model.h"
#include "failures_page.h"
#include "live_overview.h"
#include "main_window.h"
#include "store_session.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QSettings>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

#include <csignal>
#include <cstdio>

namespace {

// The server's process and its children (PostgreSQL's backends); MariaDB is one process.
QList<qint64> serverProcesses(qint64 server)
{
    QList<qint64> pids{server};
    const QStringList entries = QDir(QStringLiteral("/proc")).entryList(QDir::Dirs);
    for (const QString &entry : entries) {
        bool isPid = false;
        const qint64 pid = entry.toLongLong(&isPid);
        if (!isPid)
            continue;
        QFile stat(QStringLiteral("/proc/%1/stat").arg(pid));
        if (!stat.open(QIODevice::ReadOnly))
            continue;
        // "pid (name) state ppid …": the name may hold spaces, so read after the last ')'.
        const QByteArray line = stat.readAll();
        const QList<QByteArray> fields = line.mid(line.lastIndexOf(')') + 2).split(' ');
        if (fields.size() > 1 && fields[1].toLongLong() == server)
            pids << pid;
    }
    return pids;
}

// Freezes the processes for its lifetime; they resume however the bench ends.
class Freeze
{
public:
    explicit Freeze(QList<qint64> pids) : m_pids(std::move(pids)) { signal(SIGSTOP); }
    ~Freeze() { resume(); }
    void resume()
    {
        if (!m_frozen)
            return;
        signal(SIGCONT);
        m_frozen = false;
    }

private:
    void signal(int sig)
    {
        for (qint64 pid : m_pids)
            ::kill(pid_t(pid), sig);
    }
    QList<qint64> m_pids;
    bool m_frozen = true;
};

// The longest gap between the ticks of a 1 ms timer: how long the event loop did not run.
class StallWatch : public QObject
{
public:
    StallWatch()
    {
        m_timer.setTimerType(Qt::PreciseTimer);
        m_timer.setInterval(1);
        connect(&m_timer, &QTimer::timeout, this, &StallWatch::tick);
        m_clock.start();
        m_timer.start();
    }
    // Also called after the caller's own code, which ran on the GUI thread too.
    void tick()
    {
        const qint64 now = m_clock.nsecsElapsed();
        m_longestMs = std::max(m_longestMs, (now - m_last) / 1e6);
        m_last = now;
    }
    double longestMs() const { return m_longestMs; }

private:
    QTimer m_timer;
    QElapsedTimer m_clock;
    qint64 m_last = 0;
    double m_longestMs = 0;
};

} // namespace

int disconnectStall(const QString &url, qint64 serverPid, std::vector<Figure> &figures)
{
    if (serverPid <= 0 || !QFile::exists(QStringLiteral("/proc/%1").arg(serverPid))) {
        std::fprintf(stderr, "disconnect-stall: --server-pid names no running process\n");
        return 2;
    }
    QTemporaryDir settings;
    QSettings::setDefaultFormat(QSettings::IniFormat);
    QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, settings.path());

    mc::Database database;
    mc::LiveOverview live(database.polling());
    live.setIntervalMs(250);
    mc::widgets::MainWindow window(&database, &live);
    window.resize(1280, 800);
    window.show();
    window.connectTo(url);
    // Every view opened once and loaded, as an operator who looked around.
    for (int page = 4; page >= 0; --page) {
        window.showPage(mc::widgets::MainWindow::Page(page));
        QTest::qWait(300);
    }
    if (!QTest::qWaitFor([&] { return live.hasSnapshot(); }, 15'000)
        || !QTest::qWaitFor([&] { return window.failuresPage()->failureModel()->rowCount() > 0
                                         || !window.failuresPage()->failureModel()->isLoading(); },
                            15'000)) {
        std::fprintf(stderr, "disconnect-stall: the console did not load\n");
        return 1;
    }

    Freeze freeze(serverProcesses(serverPid));
    StallWatch watch;
    // Requests pile up on the frozen server: the overview's polls, a page refresh, the audit.
    window.failuresPage()->refresh();
    window.auditPage()->refresh();
    QTest::qWait(1500);
    QElapsedTimer closing;
    closing.start();
    database.close(); // File ▸ Disconnect
    const double closeMs = closing.nsecsElapsed() / 1e6;
    watch.tick();
    QTest::qWait(1000);
    freeze.resume();
    QTest::qWait(2000); // the queries on their way return and their threads end
    const bool closed = database.polling()->status().state
                        == mc::ConnectionStatus::State::Closed;

    figures.push_back({QStringLiteral("disconnect while the server is frozen"), closeMs,
                       QStringLiteral("ms"), 50});
    figures.push_back({QStringLiteral("longest GUI stall: freeze, disconnect, resume"),
                       watch.longestMs(), QStringLiteral("ms"), 50});
    if (!closed) {
        std::fprintf(stderr, "disconnect-stall: the console is not disconnected\n");
        return 1;
    }
    return 0;
}
