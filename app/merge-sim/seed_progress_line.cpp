#include "seed_progress_line.h"

#include <QLocale>

#include <cstdio>
#include <unistd.h>

namespace mc::sim {

SeedProgressLine::SeedProgressLine() : m_enabled(::isatty(STDERR_FILENO) == 1)
{
    m_clock.start();
}

SeedProgressLine::~SeedProgressLine()
{
    if (m_shown)
        std::fputs("\n", stderr);
}

void SeedProgressLine::show(const fleet::SeedProgress &progress)
{
    if (!m_enabled)
        return;
    const qint64 now = m_clock.elapsed();
    const bool finished = progress.done >= progress.total;
    // At most ten redraws a second, but every stage's start and end.
    if (!finished && progress.stage == m_lastStage && now - m_lastDrawMs < 100)
        return;
    m_lastDrawMs = now;
    m_lastStage = progress.stage;
    const QLocale locale(QLocale::English);
    const int percent = progress.total > 0 ? int(progress.done * 100 / progress.total) : 100;
    const QString line = QStringLiteral("\r\x1b[Kmerge-sim seed: %1 %2 / %3 (%4 %), %5 s")
                             .arg(progress.stage, locale.toString(progress.done),
                                  locale.toString(progress.total))
                             .arg(percent)
                             .arg(double(now) / 1000.0, 0, 'f', 1);
    std::fputs(line.toUtf8().constData(), stderr);
    std::fflush(stderr);
    m_shown = true;
}

} // namespace mc::sim
