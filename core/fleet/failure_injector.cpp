#include "failure_injector.h"

namespace mc::fleet {

double FailureInjector::doomRate(const ClaimedJob &job, qint64 elapsedMs) const
{
    if (m_spike.contains(elapsedMs)
        && (m_spikePortal.isEmpty() || m_spikePortal == job.user.portal))
        return m_spikeRate;
    return m_rate;
}

std::optional<InjectedFailure> FailureInjector::decide(const ClaimedJob &job,
                                                       const QList<CatalogueModel> &jobModels,
                                                       const QStringList &userClasses,
                                                       FleetRandom &random,
                                                       qint64 elapsedMs) const
{
    const double doom = doomRate(job, elapsedMs);
    if ((m_rate <= 0 && doom <= 0) || jobModels.isEmpty())
        return std::nullopt;
    const QString phase = job.kind == JobKind::Serialize ? kSerializePhase : kCreatePhase;

    FleetRandom run = FleetRandom::forKey({m_seed, stableHash(job.user.portal),
                                           quint64(job.user.userId), quint64(job.userAttempts),
                                           0xd00dULL});
    if (run.chance(doom)) {
        // Doomed: which job of the run fails, decided once for the run.
        const bool inSerialize = run.chance(0.3) || userClasses.isEmpty();
        const QString doomedClass = inSerialize ? QString() : run.pick(userClasses);
        const bool thisJob = inSerialize ? job.kind == JobKind::Serialize
                                         : job.kind == JobKind::Create
                                               && job.throughputClass == doomedClass;
        if (thisJob) {
            const CatalogueModel &model = jobModels[qsizetype(run.next() % quint64(jobModels.size()))];
            FleetRandom detail(run.next()); // the same record fails the same way each time
            return InjectedFailure{model.model.id,
                                   FailureFactory::make(detail, job.user, model, phase, false)};
        }
    }
    if (m_rate > 0 && random.chance(m_rate)) {
        const CatalogueModel &model = random.pick(jobModels);
        return InjectedFailure{model.model.id,
                               FailureFactory::make(random, job.user, model, phase, true)};
    }
    return std::nullopt;
}

} // namespace mc::fleet
