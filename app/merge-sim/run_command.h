#pragma once

#include "sim_command_line.h"

namespace mc::sim {

// `merge-sim run`: the fleet until --duration passes or SIGINT/SIGTERM arrives; then it stops
// cleanly (current transactions finish, unfinished claims go back). Returns the exit code.
int runFleetCommand(const SimCommandLine &line);

} // namespace mc::sim
