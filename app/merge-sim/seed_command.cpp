#include "seed_command.h"

#include "connection_url.h"
#include "fleet/seeder.h"
#include "logging.h"
#include "schema_gate.h"
#include "seed_progress_line.h"

#include <QElapsedTimer>

#include <spdlog/logger.h>

#include <cstdio>

namespace mc::sim {

int runSeedCommand(const SimCommandLine &line)
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
    if (const QString problem = ensureCurrentSchema(line.databaseUrl, true); !problem.isEmpty()) {
        log()->error("{}: {}", url->redacted().toStdString(), problem.toStdString());
        return 1;
    }
    QElapsedTimer clock;
    clock.start();
    try {
        fleet::SeedReport report;
        {
            SeedProgressLine progress;
            report = fleet::Seeder(*url, line.seed).run(
                [&progress](const fleet::SeedProgress &p) { progress.show(p); });
        }
        const double seconds = double(clock.elapsed()) / 1000.0;
        const QString summary =
            QStringLiteral("seeded %1 users (nil %2, pending %3, in_progress %4, completed %5, "
                           "failed %6), %7 progress rows, %8 failed records, %9 id mappings, "
                           "%10 jobs, %11 throughput samples in %12 s")
                .arg(report.users)
                .arg(report.usersByStatus.value(UserStatus::Nil))
                .arg(report.usersByStatus.value(UserStatus::Pending))
                .arg(report.usersByStatus.value(UserStatus::InProgress))
                .arg(report.usersByStatus.value(UserStatus::Completed))
                .arg(report.usersByStatus.value(UserStatus::Failed))
                .arg(report.progressRows)
                .arg(report.failedRecords)
                .arg(report.mappings)
                .arg(report.jobs)
                .arg(report.samples)
                .arg(seconds, 0, 'f', 1);
        std::printf("%s\n", summary.toUtf8().constData());
        std::fflush(stdout);
        return 0;
    } catch (const fleet::SeedRefused &refused) {
        log()->error("{}: {}", url->redacted().toStdString(), refused.what());
    } catch (const sql::DbError &error) {
        log()->error("{}: {}", url->redacted().toStdString(), error.what());
    }
    return 1;
}

} // namespace mc::sim
