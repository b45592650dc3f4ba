#pragma once

// Deterministic pseudo-random numbers for the seeder and the fleet: SplitMix64. A generator made
// with forKey() depends only on its key parts (seed, portal, user, …), never on the order or the
// batching in which data is generated, so the same --seed gives the same database.

#include <QString>
#include <QtGlobal>

#include <initializer_list>

namespace mc::fleet {

// FNV-1a 64 of the UTF-8 text: a stable number for a portal code or a model name.
quint64 stableHash(const QString &text);

class FleetRandom
{
public:
    explicit FleetRandom(quint64 seed) : m_state(seed) {}
    static FleetRandom forKey(std::initializer_list<quint64> parts);

    quint64 next();
    double unit();                           // [0, 1)
    qint64 between(qint64 low, qint64 high); // inclusive; low when high < low
    bool chance(double probability);
    // A count with the given mean and a long tail (most users have a few records, some have
    // thousands), at most `max`.
    qint64 skewed(double mean, qint64 max);
    template<typename Container>
    const auto &pick(const Container &items)
    {
        return items[qsizetype(between(0, qint64(items.size()) - 1))];
    }

private:
    quint64 m_state;
};

} // namespace mc::fleet
