#include "seed_history.h"

#include "fleet_random.h"
#include "throughput_recorder.h"

#include <cmath>

namespace mc::fleet {

SeedHistory::SeedHistory(const SeedOptions &options, const FleetCatalogue &catalogue,
                         QList<QueueSettings> queues)
    : m_options(options), m_catalogue(catalogue), m_queues(std::move(queues))
{
}

QList<NewSample> SeedHistory::hour(int h) const
{
    constexpr qint64 kHourMs = 3'600'000;
    constexpr qint64 kDayMs = 24 * kHourMs;
    const EpochMs end = m_options.at - (m_options.at % kBucketMs);
    const EpochMs hourStart = end - qint64(hours() - h) * kHourMs;
    // Users finishing per 10 s at the busiest time: a million users' migration moves about
    // a quarter of a million a day.
    const double peak = std::max(1.0, double(m_options.users) / 40'000.0);

    QList<NewSample> samples;
    for (EpochMs bucket = hourStart; bucket < hourStart + kHourMs; bucket += kBucketMs) {
        FleetRandom rng = FleetRandom::forKey({m_options.seed, quint64(bucket), 0x6869ULL});
        const double hourOfDay = double(bucket % kDayMs) / double(kHourMs);
        const double load = 0.55 + 0.45 * std::sin(2.0 * M_PI * (hourOfDay - 8.0) / 24.0);
        // ±20 % noise, rounded at random in proportion to the fraction: a small migration's
        // 0.3 users per bucket at night still shows as some buckets with one user, not as none.
        const auto around = [&rng](double value) {
            const double noisy = std::max(0.0, value * (0.8 + 0.4 * rng.unit()));
            return qint64(std::floor(noisy + rng.unit()));
        };
        const qint64 completed = around(peak * load);
        const qint64 failed = around(double(completed) * m_options.failedShare * 1.5);

        for (const CatalogueModel &m : m_catalogue.models()) {
            NewSample s;
            s.bucketStart = bucket;
            s.modelId = m.model.id;
            s.recordsCreated = around(double(completed) * m.meanRecords);
            s.recordsFailed = around(double(s.recordsCreated) * 0.002);
            samples.append(s);
        }
        for (const QueueSettings &queue : m_queues) {
            NewSample s;
            s.bucketStart = bucket;
            s.queue = queue.name;
            const bool serialize = queue.name == kSerializeQueue;
            const bool high = queue.name == createQueueFor(QStringLiteral("high"));
            s.usersStarted = serialize ? around(double(completed + failed) * 1.02) : 0;
            s.usersCompleted = serialize ? 0 : high ? completed / 2 : completed - completed / 2;
            s.usersFailed = serialize ? failed / 3 : high ? failed / 3 : failed - 2 * (failed / 3);
            s.queueDepth = around((serialize ? 400.0 : 120.0) * load * peak);
            s.jobsInProgress = std::min<qint64>(queue.parallelism, around(queue.parallelism * load));
            samples.append(s);
        }
    }
    return samples;
}

} // namespace mc::fleet
