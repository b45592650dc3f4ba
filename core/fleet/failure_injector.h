#pragma once

// Which attempts fail, for a fleet run with --failure-rate F:
//  - a run of a user (pending → in_progress) is doomed with probability F: one of its jobs fails
//    with a persistent error on every attempt, so the user ends failed after max attempts;
//    whether a run is doomed depends only on (seed, user, run number), so a retried user gets
//    a fresh draw;
//  - any other attempt fails with a transient error (timeout, deadlock) with probability F.
// F = 0 turns failures off.
// During a spike (FleetOptions::spike, optionally one portal) runs are doomed with the spike's
// rate instead, so users, retried ones included, end failed; transient failures keep rate F.

#include "failure_factory.h"
#include "fleet_options.h"
#include "job_board.h"

namespace mc::fleet {

struct InjectedFailure
{
    int modelId = 0;
    SimulatedFailure failure;
};

class FailureInjector
{
public:
    explicit FailureInjector(const FleetOptions &options)
        : m_rate(options.failureRate), m_seed(options.seed), m_spike(options.spike),
          m_spikeRate(options.spikeRate), m_spikePortal(options.spikePortal)
    {
    }

    // elapsedMs: time since the run started, for the spike's window.
    std::optional<InjectedFailure> decide(const ClaimedJob &job,
                                          const QList<CatalogueModel> &jobModels,
                                          const QStringList &userClasses, FleetRandom &random,
                                          qint64 elapsedMs) const;

private:
    double doomRate(const ClaimedJob &job, qint64 elapsedMs) const;

    double m_rate = 0;
    quint64 m_seed = 0;
    RunWindow m_spike;
    double m_spikeRate = 0;
    QString m_spikePortal;
};

} // namespace mc::fleet
