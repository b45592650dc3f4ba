#include "console_harness.h"

#include "kpi_strip.h"
#include "kpi_tile.h"
#include "overview_charts_panel.h"
#include "overview_page.h"
#include "throughput_chart.h"

#include <QSignalSpy>
#include <QTest>

namespace mc::test {

ConsoleHarness::ConsoleHarness()
{
    live.setIntervalMs(kIntervalMs);
    window = std::make_unique<widgets::MainWindow>(&session, &live);
    window->resize(1280, 800);
    window->show();
}

ConsoleHarness::~ConsoleHarness()
{
    window.reset();
    session.close();
}

void ConsoleHarness::open(const QString &url)
{
    session.open(url);
}

bool ConsoleHarness::openAndWait(const QString &url, int timeoutMs)
{
    open(url);
    return QTest::qWaitFor([this] { return live.hasSnapshot() && live.throughput().isLoaded(); },
                           timeoutMs);
}

widgets::KpiStrip *ConsoleHarness::kpis() const
{
    return window->overviewPage()->kpis();
}

widgets::OverviewChartsPanel *ConsoleHarness::charts() const
{
    return window->overviewPage()->charts();
}

widgets::ThroughputChart *ConsoleHarness::chart(const QString &name) const
{
    return charts()->chart(name);
}

QString ConsoleHarness::tileValue(const QString &name) const
{
    return kpis()->tile(name)->value();
}

QString ConsoleHarness::tileDetail(const QString &name) const
{
    return kpis()->tile(name)->detail();
}

EpochMs serverNow(MergeStore &store)
{
    auto overview = store.overview({});
    if (!overview)
        qFatal("overview failed: %s", qPrintable(overview.error().message));
    return overview->takenAt;
}

int killOtherConnections(FleetWriter &admin, const QString &backend)
{
    sql::Connection &c = admin.connection();
    if (backend == QLatin1String("postgresql")) {
        const sql::Rows killed = c.query(QStringLiteral(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE "
            "datname = current_database() AND pid <> pg_backend_pid()"));
        return killed.size();
    }
    const sql::Rows others = c.query(QStringLiteral(
        "SELECT id FROM information_schema.processlist WHERE db = DATABASE() AND "
        "id <> CONNECTION_ID()"));
    for (int r = 0; r < others.size(); ++r)
        c.execScript(QStringLiteral("KILL CONNECTION %1").arg(others.int64(r, 0)));
    return others.size();
}

} // namespace mc::test
