#pragma once

// The catalogue the fleet works from: portals, models with their throughput class, and the
// record counts, id mappings and target ids each user has. The counts and ids are a pure
// function of the user, so the seeder and a later `run` agree on every user.

#include "domain.h"

#include <QHash>
#include <QList>

namespace mc::fleet {

// A model with what the simulation needs beyond the catalogue row.
struct CatalogueModel
{
    Model model;
    double meanRecords = 10; // per user; the distribution has a long tail
    qint64 maxRecords = 10'000;
    int mappedRecords = 0;   // id mappings written per user (a sample, not every record)
};

struct QueueDefaults
{
    QString name;
    int parallelism = 1;
    int runEveryMs = 1000;
    int maxAttempts = 3;
};

// What merge-sim seeds: ten models from users to wallet_balances, three queues.
QList<CatalogueModel> standardModels();
QList<QueueDefaults> standardQueues();
QString portalName(const QString &code); // "Lithuania" for lt, the upper-case code otherwise
// The seeded 'merge' rollout of the n-th source portal: 30 %, 20 %, 10 %, then 5 %.
int seededBasisPoints(int portalIndex);

inline const QString kSerializeQueue = QStringLiteral("serialize");
inline const QString kSerializePhase = QStringLiteral("serialize");
inline const QString kCreatePhase = QStringLiteral("create");
QString createQueueFor(const QString &throughputClass); // "create_high", "create_low"

struct RecordMapping
{
    qint64 sourceId = 0;
    qint64 targetId = 0;
};

class FleetCatalogue
{
public:
    FleetCatalogue() = default;
    FleetCatalogue(QList<Portal> portals, QList<CatalogueModel> models);
    // The catalogue as the database holds it; record statistics come from standardModels() by
    // name (10 records a user for a model merge-sim does not know).
    static FleetCatalogue fromDatabase(QList<Portal> portals, const QList<Model> &models);

    const QList<Portal> &portals() const { return m_portals; }
    QStringList sourcePortals() const;
    const QList<CatalogueModel> &models() const { return m_models; } // in migration order

    // Models a user of this portal migrates (skip portals left out), in migration order.
    QList<CatalogueModel> modelsFor(const QString &portal) const;
    QList<CatalogueModel> modelsFor(const QString &portal, const QString &throughputClass) const;
    QStringList classesFor(const QString &portal) const; // "high", "low" as present

private:
    QList<Portal> m_portals;
    QList<CatalogueModel> m_models;
};

// Records of one model a user has: stable for the user, independent of any seed.
qint64 recordsFor(const UserKey &user, const CatalogueModel &model);
// The user's id on the target portal: a per-portal prefix (from a hash of the code) × 10⁹ plus
// the source id modulo 10⁹, unique as long as source ids stay below 10⁹.
qint64 targetUserIdFor(const UserKey &user);
// The sample of id mappings a user's model writes (the user itself for "users").
QList<RecordMapping> mappingsFor(const UserKey &user, const CatalogueModel &model, qint64 records);

} // namespace mc::fleet
