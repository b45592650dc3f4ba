#include "chart_palette.h"

#include <array>

namespace mc::widgets {

QColor seriesColor(int index)
{
    // Tableau 10, then its lighter companions: readable on white, distinct for colour-blind eyes
    // in the first few.
    static constexpr std::array<QRgb, 20> kColors{
        0x4e79a7, 0xf28e2b, 0x59a14f, 0xe15759, 0x76b7b2, 0xedc948, 0xb07aa1, 0xff9da7,
        0x9c755f, 0x79706e, 0xa0cbe8, 0xffbe7d, 0x8cd17d, 0xff9d9a, 0x86bcb6, 0xf1ce63,
        0xd4a6c8, 0xfabfd2, 0xd7b5a6, 0xbab0ac};
    const size_t i = size_t(index < 0 ? -index : index) % kColors.size();
    return QColor::fromRgb(kColors[i]);
}

QColor markerColor()
{
    return QColor::fromRgb(0x8a3ffc);
}

} // namespace mc::widgets
