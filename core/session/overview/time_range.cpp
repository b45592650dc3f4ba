#include "time_range.h"

namespace mc {

TimeRange TimeRange::fromPreset(Preset preset)
{
    // About 100 to 1 000 buckets per series: enough detail, cheap to draw.
    switch (preset) {
    case Preset::Minutes15:
        return {preset, 15 * 60'000, 10, QStringLiteral("15 m")};
    case Preset::Hour1:
        return {preset, 60 * 60'000, 10, QStringLiteral("1 h")};
    case Preset::Hours6:
        return {preset, 6 * 3'600'000, 30, QStringLiteral("6 h")};
    case Preset::Hours24:
        return {preset, 24 * 3'600'000, 120, QStringLiteral("24 h")};
    case Preset::Days7:
        return {preset, 7 * 24 * qint64(3'600'000), 600, QStringLiteral("7 d")};
    }
    return fromPreset(Preset::Minutes15);
}

QList<TimeRange> TimeRange::all()
{
    return {fromPreset(Preset::Minutes15), fromPreset(Preset::Hour1), fromPreset(Preset::Hours6),
            fromPreset(Preset::Hours24), fromPreset(Preset::Days7)};
}

std::optional<TimeRange> TimeRange::fromLabel(const QString &label)
{
    QString wanted = label;
    wanted.remove(QLatin1Char(' '));
    for (const TimeRange &range : all()) {
        QString own = range.label;
        if (own.remove(QLatin1Char(' ')).compare(wanted, Qt::CaseInsensitive) == 0)
            return range;
    }
    return std::nullopt;
}

EpochMs alignDown(EpochMs at, qint64 width)
{
    const EpochMs rest = at % width;
    return rest < 0 ? at - rest - width : at - rest;
}

} // namespace mc
