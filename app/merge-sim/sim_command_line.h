#pragma once

// merge-sim's command line: a global --db and --log-level, then `seed` or `run` with their
// options. Parsing only; the commands do the work.

#include "fleet/fleet_options.h"
#include "fleet/seed_options.h"

#include <QStringList>

namespace mc::sim {

struct SimCommandLine
{
    enum class Command { Help, Version, Seed, Run };
    Command command = Command::Help;
    QString databaseUrl;       // --db, or MERGE_SIM_DB
    std::optional<QString> logLevel;
    fleet::SeedOptions seed;
    fleet::FleetOptions fleet;
    double durationSeconds = 0; // run: 0 runs until SIGINT/SIGTERM

    // Parses the arguments after the program name. On a usage error returns the message (and
    // the caller exits 2); --help asks for the usage text, --version for the version.
    static SimCommandLine parse(const QStringList &arguments, QString *error);
    static QString usage();
};

} // namespace mc::sim
