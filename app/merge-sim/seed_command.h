#pragma once

#include "sim_command_line.h"

namespace mc::sim {

// `merge-sim seed`: installs the schema into an empty database and seeds it. Returns the exit
// code (0 ok, 1 error).
int runSeedCommand(const SimCommandLine &line);

} // namespace mc::sim
