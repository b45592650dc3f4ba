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
    window = std::make_unique<widgets::MainWindow>(&database, &live);
    window->resize(1280, 800);
    window->show();
}

ConsoleHarness::~ConsoleHarness()
{
    window.reset();
    database.close();
}

void ConsoleHarness::open(const QString &url)
{
    database.open(url);
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

} // namespace mc::test
