#include "seed_population.h"

#include "failure_factory.h"
#include "fleet_random.h"
#include "rollout.h"

#include <algorithm>

namespace mc::fleet {

namespace {

constexpr qint64 kSecond = 1000;
constexpr qint64 kMinute = 60 * kSecond;
constexpr qint64 kHour = 60 * kMinute;
constexpr qint64 kDay = 24 * kHour;
// Very large payloads are rarer in a seed than in a run: a million users would otherwise
// carry gigabytes of them.
constexpr double kSeedLargeShare = 0.0005;

const QStringList kSupportStaff{QStringLiteral("support.tomas"), QStringLiteral("support.greta"),
                                QStringLiteral("support.jonas")};
const QStringList kQaStaff{QStringLiteral("qa.jurgita"), QStringLiteral("qa.lukas")};

QVariant nullable(qint64 value, bool present)
{
    return present ? QVariant(value) : QVariant();
}

} // namespace

SeedSink::SeedSink(sql::Connection &c)
    : users(c,
            QStringLiteral("INSERT INTO user_migrations (source_portal, source_user_id, "
                           "target_user_id, status, phase, attempts, requested_at, started_at, "
                           "finished_at, updated_at, last_error) VALUES "),
            QStringLiteral("(?, ?, ?, ?, ?, ?, {ts:?}, {ts:?}, {ts:?}, {ts:?}, ?)"), QString(),
            1000),
      progress(c,
               QStringLiteral("INSERT INTO model_progress (source_portal, source_user_id, "
                              "model_id, records_total, serialized, created, failed, updated_at) "
                              "VALUES "),
               QStringLiteral("(?, ?, ?, ?, ?, ?, ?, {ts:?})"), QString(), 2000),
      failures(c,
               QStringLiteral("INSERT INTO failed_records (id, source_portal, source_user_id, "
                              "model_id, record_id, phase, payload, content_type, error_class, "
                              "message, backtrace, attempt, failed_at, resolution, resolved_by, "
                              "resolved_at) VALUES "),
               QStringLiteral("(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, {ts:?}, ?, ?, {ts:?})"),
               QString(), 200, 8 * 1024 * 1024),
      mappings(c,
               QStringLiteral("INSERT INTO id_mappings (model_id, source_portal, source_id, "
                              "target_id, source_user_id, created_at) VALUES "),
               QStringLiteral("(?, ?, ?, ?, ?, {ts:?})"), QString(), 2000),
      jobs(c,
           QStringLiteral("INSERT INTO queue_jobs (queue_name, source_portal, source_user_id, "
                          "model_id, state, attempts, available_at, claimed_at, "
                          "lease_expires_at, claimed_by) VALUES "),
           QStringLiteral("(?, ?, ?, 0, ?, ?, {ts:?}, {ts:?}, {ts:?}, ?)"), QString(), 1000)
{
    for (BulkInsert *insert : {&users, &progress, &failures, &mappings, &jobs}) {
        insert->setDeferred(true);
        insert->setTransactionPerStatement(true);
    }
}

void SeedSink::flush()
{
    // Parents first: progress, failures and mappings refer to their user.
    users.flush();
    progress.flush();
    failures.flush();
    mappings.flush();
    jobs.flush();
}

SeedPopulation::SeedPopulation(const SeedOptions &options, const FleetCatalogue &catalogue,
                               QHash<QString, int> maxAttempts)
    : m_options(options), m_catalogue(catalogue), m_maxAttempts(std::move(maxAttempts))
{
}

qint64 SeedPopulation::usersOfPortal(int portalIndex) const
{
    const qint64 portals = m_options.portals.size();
    const qint64 base = m_options.users / portals;
    return base + (portalIndex < m_options.users % portals ? 1 : 0);
}

qint64 SeedPopulation::ordinalOf(int portalIndex, qint64 index) const
{
    qint64 ordinal = index;
    for (int p = 0; p < portalIndex; ++p)
        ordinal += usersOfPortal(p);
    return ordinal;
}

void SeedPopulation::write(SeedSink &sink, int portalIndex, qint64 first, qint64 last) const
{
    // In slices, users first: a child row never reaches the server before its user. The
    // caller's sink.flush() writes the children's rest.
    constexpr qint64 kSlice = 1000;
    for (qint64 start = first; start < last; start += kSlice) {
        for (qint64 index = start; index < std::min(last, start + kSlice); ++index)
            writeUser(sink, portalIndex, index);
        sink.users.flush();
        for (BulkInsert *child : {&sink.progress, &sink.failures, &sink.mappings, &sink.jobs})
            child->flushFull();
    }
}

void SeedPopulation::writeUser(SeedSink &sink, int portalIndex, qint64 index) const
{
    const QString &portal = m_options.portals[portalIndex];
    FleetRandom rng = FleetRandom::forKey({m_options.seed, stableHash(portal), quint64(index)});
    const UserKey user{portal, 100'000 + index * 3 + rng.between(0, 2)};
    const EpochMs at = m_options.at;
    const int basisPoints = seededBasisPoints(portalIndex);
    const bool admitted = isAdmitted(rolloutBucket(kAdmissionFlag, user.userId), basisPoints);
    const QList<CatalogueModel> models = m_catalogue.modelsFor(portal);
    const qint64 target = targetUserIdFor(user);

    UserStatus status = UserStatus::Nil;
    if (admitted) {
        const double failedChance = std::min(0.9, m_options.failedShare * kRolloutBuckets
                                                      / double(basisPoints));
        if (rng.chance(failedChance)) {
            status = UserStatus::Failed;
        } else {
            const double u = rng.unit();
            status = u < 0.005   ? UserStatus::Nil
                     : u < 0.015 ? UserStatus::Pending
                     : u < 0.025 ? UserStatus::InProgress
                                 : UserStatus::Completed;
        }
    }
    ++sink.usersByStatus[status];

    QHash<int, qint64> failedByModel;
    qint64 nextFailureId = ordinalOf(portalIndex, index) * kFailureIdsPerUser + 1;
    auto addUser = [&](const QString &phase, bool withTarget, int attempts, EpochMs requested,
                       std::optional<EpochMs> started, std::optional<EpochMs> finished,
                       const QString &lastError) {
        const EpochMs updated = finished.value_or(started.value_or(requested));
        sink.users.add({portal, user.userId, nullable(target, withTarget), statusName(status),
                        phase, attempts, requested, nullable(started.value_or(0), bool(started)),
                        nullable(finished.value_or(0), bool(finished)), updated,
                        lastError.isEmpty() ? QVariant() : QVariant(lastError)});
    };
    auto addProgress = [&](const CatalogueModel &m, qint64 total, qint64 serialized,
                           qint64 created, EpochMs updated) {
        sink.progress.add({portal, user.userId, m.model.id, total, serialized, created,
                           failedByModel.value(m.model.id), updated});
    };
    auto addFailure = [&](const CatalogueModel &m, const QString &phase,
                          const SimulatedFailure &f, int attempt, EpochMs failedAt,
                          const QString &resolution, const QString &resolvedBy,
                          EpochMs resolvedAt) {
        sink.failures.add({nextFailureId++, portal, user.userId, m.model.id, f.recordId, phase,
                           f.payload,
                           f.contentType, f.errorClass, f.message, f.backtrace, attempt, failedAt,
                           resolution.isEmpty() ? QVariant() : QVariant(resolution),
                           resolvedBy.isEmpty() ? QVariant() : QVariant(resolvedBy),
                           nullable(resolvedAt, !resolution.isEmpty())});
        ++failedByModel[m.model.id];
    };
    auto addMappings = [&](const CatalogueModel &m, qint64 records, EpochMs createdAt) {
        for (const RecordMapping &mapping : mappingsFor(user, m, records))
            sink.mappings.add({m.model.id, portal, mapping.sourceId, mapping.targetId,
                               user.userId, createdAt});
    };
    auto addJob = [&](const QString &queue, bool running, EpochMs available) {
        const EpochMs claimed = at - rng.between(0, 90 * kSecond);
        sink.jobs.add({queue, portal, user.userId, running ? QStringLiteral("running")
                                                           : QStringLiteral("pending"),
                       running ? 1 : 0, available, nullable(claimed, running),
                       nullable(claimed + kMinute, running),
                       running ? QVariant(QStringLiteral("merge-sim/seed/w%1#%2")
                                              .arg(rng.between(1, 8))
                                              .arg(index))
                               : QVariant()});
    };
    auto queueOf = [](const CatalogueModel &m, bool serialize) {
        return serialize ? kSerializeQueue : createQueueFor(m.model.throughputClass);
    };

    switch (status) {
    case UserStatus::Nil: {
        const EpochMs requested = admitted ? at - rng.between(0, 5 * kSecond)
                                           : at - rng.between(kMinute, 60 * kDay);
        addUser(kSerializePhase, false, 0, requested, std::nullopt, std::nullopt, QString());
        break;
    }
    case UserStatus::Pending: {
        const EpochMs requested = at - rng.between(kSecond, 30 * kMinute);
        addUser(kSerializePhase, false, 0, requested, std::nullopt, std::nullopt, QString());
        addJob(kSerializeQueue, false, requested);
        break;
    }
    case UserStatus::InProgress: {
        const EpochMs requested = at - rng.between(10 * kMinute, 3 * kDay);
        const EpochMs started = at - rng.between(5 * kSecond, 10 * kMinute);
        if (rng.chance(0.4)) {
            const qint64 done = rng.between(0, models.size() - 1);
            for (qint64 i = 0; i < done; ++i) {
                const qint64 total = recordsFor(user, models[i]);
                addProgress(models[i], total, total, 0, started + i * kSecond);
            }
            addUser(kSerializePhase, false, 1, requested, started, std::nullopt, QString());
            addJob(kSerializeQueue, true, started);
            break;
        }
        // Creating: each throughput class is done, running or waiting; at least one is not done.
        const QStringList classes = m_catalogue.classesFor(portal);
        QHash<QString, int> classState; // 0 done, 1 running, 2 waiting
        for (const QString &c : classes)
            classState.insert(c, int(rng.between(0, 2)));
        if (!classes.isEmpty() && std::all_of(classes.begin(), classes.end(), [&](const QString &c) {
                return classState.value(c) == 0;
            }))
            classState.insert(classes.last(), 1);
        for (const CatalogueModel &m : models) {
            const qint64 total = recordsFor(user, m);
            const bool done = classState.value(m.model.throughputClass) == 0;
            addProgress(m, total, total, done ? total : 0, started + kSecond);
            if (done)
                addMappings(m, total, started + kSecond);
        }
        addUser(kCreatePhase, true, 1, requested, started, std::nullopt, QString());
        for (const QString &c : classes)
            if (classState.value(c) != 0)
                addJob(createQueueFor(c), classState.value(c) == 1, started + kSecond);
        break;
    }
    case UserStatus::Completed: {
        const EpochMs requested = at - rng.between(30 * kMinute, 30 * kDay);
        const EpochMs started = std::min(requested + rng.between(kSecond, 2 * kHour),
                                         at - 2 * kMinute);
        const EpochMs finished = std::min(started + rng.between(5 * kSecond, 30 * kMinute),
                                          at - kSecond);
        int attempts = 1;
        if (rng.chance(0.05)) {
            // An earlier run failed and support retried the user.
            attempts = 2;
            const CatalogueModel &m = rng.pick(models);
            const bool serialize = rng.chance(0.3);
            const SimulatedFailure f = FailureFactory::make(
                rng, user, m, serialize ? kSerializePhase : kCreatePhase, false, kSeedLargeShare);
            const EpochMs failedAt = requested + (started - requested) / 2;
            addFailure(m, serialize ? kSerializePhase : kCreatePhase, f,
                       m_maxAttempts.value(queueOf(m, serialize), 3), failedAt,
                       QStringLiteral("retried"), rng.pick(kSupportStaff),
                       failedAt + (started - failedAt) / 2);
        }
        if (rng.chance(0.04)) {
            // A timeout on the way that the next attempt got past; QA ignored some of them.
            const CatalogueModel &m = rng.pick(models);
            const SimulatedFailure f = FailureFactory::make(rng, user, m, kCreatePhase, true,
                                                            kSeedLargeShare);
            const EpochMs failedAt = started + (finished - started) / 2;
            const bool ignored = rng.chance(0.3);
            addFailure(m, kCreatePhase, f, 1, failedAt,
                       ignored ? QStringLiteral("ignored") : QString(),
                       ignored ? rng.pick(kQaStaff) : QString(), finished);
        }
        for (const CatalogueModel &m : models) {
            const qint64 total = recordsFor(user, m);
            addProgress(m, total, total, total, finished);
            addMappings(m, total, finished);
        }
        addUser(kCreatePhase, true, attempts, requested, started, finished, QString());
        break;
    }
    case UserStatus::Failed: {
        const EpochMs requested = at - rng.between(30 * kMinute, 30 * kDay);
        const EpochMs started = std::min(requested + rng.between(kSecond, 2 * kHour),
                                         at - 10 * kMinute);
        const bool serialize = rng.chance(0.3);
        const QString phase = serialize ? kSerializePhase : kCreatePhase;
        const qint64 failing = rng.between(0, models.size() - 1);
        const CatalogueModel &m = models[failing];
        // One record per attempt; at most six, so a user's records keep within its ids.
        const int attempts = std::clamp(m_maxAttempts.value(queueOf(m, serialize), 3), 1, 6);
        const SimulatedFailure f = FailureFactory::make(rng, user, m, phase, false,
                                                        kSeedLargeShare);
        EpochMs failedAt = started;
        for (int attempt = 1; attempt <= attempts; ++attempt) {
            failedAt += rng.between(2 * kSecond, 60 * kSecond);
            addFailure(m, phase, f, attempt, failedAt, QString(), QString(), 0);
        }
        for (qint64 i = 0; i < models.size(); ++i) {
            const CatalogueModel &model = models[i];
            const qint64 total = recordsFor(user, model);
            if (serialize) {
                if (i <= failing)
                    addProgress(model, total, i < failing ? total : rng.between(0, total), 0,
                                failedAt);
                continue;
            }
            const qint64 created = i < failing ? total : i == failing ? rng.between(0, total) : 0;
            addProgress(model, total, total, created, failedAt);
            if (created == total)
                addMappings(model, total, failedAt);
        }
        addUser(phase, !serialize, 1, requested, started, failedAt, f.lastError());
        break;
    }
    }
}

} // namespace mc::fleet
