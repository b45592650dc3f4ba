#pragma once

// Hours (24 by default) of throughput samples before the seed's "now", with a day's rhythm (quiet
// at night, busy in the afternoon): per model records created and failed, per queue users
// started, completed and failed, queue depth and jobs in progress.

#include "fleet_catalogue.h"
#include "fleet_settings.h"
#include "fleet_writer.h"
#include "seed_options.h"

namespace mc::fleet {

class SeedHistory
{
public:
    SeedHistory(const SeedOptions &options, const FleetCatalogue &catalogue,
                QList<QueueSettings> queues);

    int hours() const { return m_options.historyHours; }
    // The samples of hour h (0 = the oldest), 360 buckets × (models + queues).
    QList<NewSample> hour(int h) const;

private:
    SeedOptions m_options;
    FleetCatalogue m_catalogue;
    QList<QueueSettings> m_queues;
};

} // namespace mc::fleet
