#pragma once

// What the benches share: one measured figure, the median of runs, and store results that must
// be ok.

#include "store_error.h"

#include <QElapsedTimer>
#include <QString>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <vector>

namespace mc::bench {

struct Measurement
{
    QString name;
    double storeMs = 0;
    double rawMs = 0;
    QString budget; // in words, empty for none
    double maxRatio = 0; // 0: no ratio budget
    double maxStoreMs = 0; // 0: no absolute budget
    double minRatio = 0;   // 0: no lower bound (rates: more is better)
};

inline double median(std::vector<double> values)
{
    std::sort(values.begin(), values.end());
    return values.empty() ? 0 : values[values.size() / 2];
}

template<typename T>
T require(Result<T> result, const char *what)
{
    if (!result.ok()) {
        std::fprintf(stderr, "mc-bench: %s failed: %s\n", what,
                     qPrintable(result.error().message));
        std::exit(1);
    }
    return std::move(result).value();
}

inline double timeStore(int repeat, const std::function<void()> &call)
{
    call(); // warm the statement caches
    std::vector<double> runs;
    for (int i = 0; i < repeat; ++i) {
        QElapsedTimer timer;
        timer.start();
        call();
        runs.push_back(timer.nsecsElapsed() / 1e6);
    }
    return median(runs);
}

} // namespace mc::bench
