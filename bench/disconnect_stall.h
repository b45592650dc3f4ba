#pragma once

// mc-bench-ui disconnect-stall: see ui_bench.cpp.

#include "bench_figure.h"

#include <vector>

int disconnectStall(const QString &url, qint64 serverPid, std::vector<Figure> &figures);
