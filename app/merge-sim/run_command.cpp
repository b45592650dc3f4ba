#include "run_command.h"

#include "connection_url.h"
#include "fleet/fleet.h"
#include "fleet/fleet_connection.h"
#include "fleet/fleet_settings.h"
#include "logging.h"
#include "schema_gate.h"
#include "signal_waiter.h"

#include <QElapsedTimer>

#include <spdlog/logger.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>

namespace mc::sim {

namespace {

constexpr qint64 kReportEveryMs = 5000;

QString describe(const fleet::FleetStats &s)
{
    return QStringLiteral("claims %1, jobs done %2, failed attempts %3, users started %4, "
                          "completed %5, failed %6, requested %7, admitted %8, leases reclaimed "
                          "%9, claims given back %10, database errors %11")
        .arg(s.claims)
        .arg(s.jobsDone)
        .arg(s.attemptsFailed)
        .arg(s.usersStarted)
        .arg(s.usersCompleted)
        .arg(s.usersFailed)
        .arg(s.usersRequested)
        .arg(s.usersAdmitted)
        .arg(s.leasesReclaimed)
        .arg(s.claimsReleased)
        .arg(s.databaseErrors);
}

// Whether the database has queues to work on; empty when it has, else why not.
QString checkQueues(const ConnectionUrl &url)
{
    try {
        auto connection = fleet::openFleetConnection(url);
        if (fleet::FleetSettings(*connection).queues().isEmpty())
            return QStringLiteral("the database has no queues: run `merge-sim seed` first");
        return QString();
    } catch (const sql::DbError &error) {
        return QString::fromUtf8(error.what());
    }
}

} // namespace

int runFleetCommand(const SimCommandLine &line)
{
    auto url = ConnectionUrl::parse(line.databaseUrl);
    if (!url) {
        log()->error("{}", url.error().message.toStdString());
        return 1;
    }
    if (const QString refused = productionRefusal(line.databaseUrl); !refused.isEmpty()) {
        log()->error("{}: {}", url->redacted().toStdString(), refused.toStdString());
        return 2;
    }
    QString problem = ensureCurrentSchema(line.databaseUrl, false);
    if (problem.isEmpty())
        problem = checkQueues(*url);
    if (!problem.isEmpty()) {
        log()->error("{}: {}", url->redacted().toStdString(), problem.toStdString());
        return 1;
    }

    fleet::Fleet fleet(*url, line.fleet);
    // Before any fleet thread exists, so every thread inherits the blocked signals.
    std::atomic_int signalsSeen{0};
    SignalWaiter stopOnSignal([&fleet, &signalsSeen](int signal) {
        if (++signalsSeen > 1) { // a second signal: the clean stop is stuck, give up now
            log()->warn("signal {} again: quitting without a clean stop", signal);
            log()->flush();
            std::_Exit(130);
        }
        log()->info("signal {}: stopping after the current transactions", signal);
        fleet.requestStop();
    });
    log()->info("fleet of {} workers on {} (speed {}, influx {}/s, failure rate {})",
                line.fleet.workers, url->redacted().toStdString(), line.fleet.speed,
                line.fleet.influxPerSecond, line.fleet.failureRate);
    const auto window = [](const fleet::RunWindow &w) {
        return w.forMs > 0 ? fmt::format("from {} s for {} s", double(w.afterMs) / 1000.0,
                                         double(w.forMs) / 1000.0)
                           : fmt::format("from {} s to the end", double(w.afterMs) / 1000.0);
    };
    if (line.fleet.spike.afterMs >= 0)
        log()->info("failure spike {}: user runs of {} fail with rate {}",
                    window(line.fleet.spike),
                    line.fleet.spikePortal.isEmpty() ? std::string("every portal")
                                                     : "portal " + line.fleet.spikePortal.toStdString(),
                    line.fleet.spikeRate);
    if (line.fleet.stall.afterMs >= 0)
        log()->info("stall {}: workers claim no jobs", window(line.fleet.stall));
    fleet.start();

    QElapsedTimer clock;
    clock.start();
    const qint64 durationMs = qint64(line.durationSeconds * 1000.0);
    qint64 reportedAt = 0;
    while (!fleet.stopSignal().requested()) {
        qint64 wait = kReportEveryMs - (clock.elapsed() - reportedAt);
        if (durationMs > 0)
            wait = std::min(wait, durationMs - clock.elapsed());
        if (fleet.stopSignal().waitFor(std::max<qint64>(wait, 0)))
            break;
        if (durationMs > 0 && clock.elapsed() >= durationMs)
            break;
        if (clock.elapsed() - reportedAt >= kReportEveryMs) {
            reportedAt = clock.elapsed();
            log()->info("{}", describe(fleet.stats()).toStdString());
        }
    }
    fleet.stop();
    const fleet::FleetStats stats = fleet.stats();
    std::printf("ran %.1f s: %s\n", double(clock.elapsed()) / 1000.0,
                describe(stats).toUtf8().constData());
    std::fflush(stdout);
    return 0;
}

} // namespace mc::sim
