// merge-sim: a reference fleet of migration workers that drives a real merge database, for
// demos, tests and benchmarks. `seed` fills a database; `run` works on it.

#include "build_info.h"
#include "logging.h"
#include "run_command.h"
#include "seed_command.h"
#include "sim_command_line.h"

#include <QCoreApplication>

#include <cstdio>

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("merge-sim"));

    QString error;
    const mc::sim::SimCommandLine line =
        mc::sim::SimCommandLine::parse(app.arguments().mid(1), &error);
    if (!error.isEmpty()) {
        std::fprintf(stderr, "merge-sim: %s\n\n%s", error.toUtf8().constData(),
                     mc::sim::SimCommandLine::usage().toUtf8().constData());
        return 2;
    }
    if (line.command == mc::sim::SimCommandLine::Command::Help) {
        std::fputs(mc::sim::SimCommandLine::usage().toUtf8().constData(), stdout);
        return 0;
    }
    if (line.command == mc::sim::SimCommandLine::Command::Version) {
        std::printf("merge-sim %s\n", mc::versionText());
        return 0;
    }
    mc::initLogging(QStringLiteral("merge-sim"), line.logLevel);
    return line.command == mc::sim::SimCommandLine::Command::Seed
               ? mc::sim::runSeedCommand(line)
               : mc::sim::runFleetCommand(line);
}
