#pragma once

// Which attempts fail, for a fleet run with --failure-rate F:
//  - a run of a user (pending → in_progress) is doomed with probability F: one of its jobs fails
//    with a persistent error on every attempt, so the user ends failed after max attempts;
//    whether a run is doomed depends only on (seed, user, run number), so a retried user gets
//    a fresh draw;
//  - any other attempt fails with a transient error (timeout, deadlock) with probability F.
// F = 0 turns failures off.

#include "failure_factory.h"
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
    FailureInjector(double rate, quint64 seed) : m_rate(rate), m_seed(seed) {}

    std::optional<InjectedFailure> decide(const ClaimedJob &job,
                                          const QList<CatalogueModel> &jobModels,
                                          const QStringList &userClasses,
                                          FleetRandom &random) const;

private:
    double m_rate = 0;
    quint64 m_seed = 0;
};

} // namespace mc::fleet
