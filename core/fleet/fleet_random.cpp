#include "fleet_random.h"

#include <cmath>

namespace mc::fleet {

namespace {

quint64 mix(quint64 z)
{
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

} // namespace

quint64 stableHash(const QString &text)
{
    quint64 hash = 0xcbf29ce484222325ULL;
    for (const char c : text.toUtf8()) {
        hash ^= quint64(quint8(c));
        hash *= 0x100000001b3ULL;
    }
    return hash;
}

FleetRandom FleetRandom::forKey(std::initializer_list<quint64> parts)
{
    quint64 state = 0x2545f4914f6cdd1dULL;
    for (const quint64 part : parts)
        state = mix(state ^ mix(part + 0x9e3779b97f4a7c15ULL));
    return FleetRandom(state);
}

quint64 FleetRandom::next()
{
    m_state += 0x9e3779b97f4a7c15ULL;
    return mix(m_state);
}

double FleetRandom::unit()
{
    return double(next() >> 11) * 0x1.0p-53;
}

qint64 FleetRandom::between(qint64 low, qint64 high)
{
    if (high <= low)
        return low;
    const quint64 span = quint64(high - low) + 1;
    return low + qint64(next() % span);
}

bool FleetRandom::chance(double probability)
{
    return unit() < probability;
}

qint64 FleetRandom::skewed(double mean, qint64 max)
{
    if (mean <= 0)
        return 0;
    // Log-normal with sigma 1.1: median ≈ mean / 1.83, a tail of heavy users.
    constexpr double kSigma = 1.1;
    const double u1 = std::max(unit(), 1e-12);
    const double u2 = unit();
    const double normal = std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * M_PI * u2);
    const double mu = std::log(mean) - kSigma * kSigma / 2.0;
    const double value = std::exp(mu + kSigma * normal);
    return std::min<qint64>(max, qint64(std::llround(value)));
}

} // namespace mc::fleet
