#pragma once

// The console as the tests drive it: its database handle, the live overview on its polling
// session and the main window, on one test database, refreshing every 250 ms.

#include "contract_fixture.h"
#include "database.h"
#include "live_overview.h"
#include "main_window.h"
#include "store_session.h"

#include <memory>

namespace mc::widgets {
class KpiStrip;
class OverviewChartsPanel;
class ThroughputChart;
}

namespace mc::test {

class ConsoleHarness
{
public:
    static constexpr int kIntervalMs = 250;

    ConsoleHarness();
    ~ConsoleHarness();

    void open(const QString &url);
    // Opens url and waits for the first snapshot and the first load of the range.
    bool openAndWait(const QString &url, int timeoutMs = 15'000);

    Database database;
    StoreSession &session{*database.polling()};
    LiveOverview live{&session};
    std::unique_ptr<widgets::MainWindow> window;

    widgets::KpiStrip *kpis() const;
    widgets::OverviewChartsPanel *charts() const;
    widgets::ThroughputChart *chart(const QString &name) const;
    QString tileValue(const QString &name) const;
    QString tileDetail(const QString &name) const;
};

// The server's clock, read through a store (the console's charts and KPIs use it).
EpochMs serverNow(MergeStore &store);


} // namespace mc::test
