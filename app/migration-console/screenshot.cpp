#include "screenshot.h"

#include "live_overview.h"
#include "store_session.h"

#include <QCoreApplication>
#include <QPixmap>
#include <QWidget>

#include <cstdio>

namespace {

constexpr int kSettleMs = 800; // the charts coalesce their redraws on a short timer

} // namespace

Screenshot::Screenshot(QWidget *window, mc::StoreSession *session, mc::LiveOverview *live,
                       QString file, int timeoutSeconds, QObject *parent)
    : QObject(parent), m_window(window), m_live(live), m_file(std::move(file))
{
    connect(session, &mc::StoreSession::auditArrived, this, [this] {
        m_auditArrived = true;
        check();
    });
    connect(live, &mc::LiveOverview::snapshotChanged, this, &Screenshot::check);
    connect(live, &mc::LiveOverview::throughputChanged, this, &Screenshot::check);
    m_timeout.setSingleShot(true);
    connect(&m_timeout, &QTimer::timeout, this, [this] { save(false); });
    m_timeout.start(timeoutSeconds * 1000);
}

void Screenshot::check()
{
    if (m_live->hasSnapshot() && m_live->throughput().isLoaded() && m_auditArrived && !m_saving) {
        m_saving = true;
        QTimer::singleShot(kSettleMs, this, [this] { save(true); });
    }
}

void Screenshot::save(bool complete)
{
    m_timeout.stop();
    const bool saved = m_window->grab().save(m_file, "PNG");
    std::fprintf(stderr, "screenshot: %s %s%s\n", saved ? "saved" : "could not save",
                 qPrintable(m_file), complete ? "" : " (timed out before the data arrived)");
    QCoreApplication::exit(saved && complete ? 0 : 1);
}
