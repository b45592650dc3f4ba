#pragma once

// Seed progress on stderr, one line rewritten in place, only when stderr is a terminal.

#include "fleet/seed_options.h"

#include <QElapsedTimer>

namespace mc::sim {

class SeedProgressLine
{
public:
    SeedProgressLine();
    ~SeedProgressLine(); // ends the line

    void show(const fleet::SeedProgress &progress);

private:
    bool m_enabled = false;
    bool m_shown = false;
    QElapsedTimer m_clock;
    qint64 m_lastDrawMs = -1;
    QString m_lastStage;
};

} // namespace mc::sim
