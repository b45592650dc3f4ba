#include "fleet_catalogue.h"

#include "fleet_random.h"

#include <algorithm>

namespace mc::fleet {

namespace {

CatalogueModel model(int id, const char *name, const char *consent, const char *scope,
                     QStringList skip, const char *throughputClass, double mean, qint64 max,
                     int mapped = 0)
{
    CatalogueModel m;
    m.model = Model{id,
                    QString::fromUtf8(name),
                    id,
                    QString::fromUtf8(consent),
                    QString::fromUtf8(scope),
                    std::move(skip),
                    QString::fromUtf8(throughputClass)};
    m.meanRecords = mean;
    m.maxRecords = max;
    m.mappedRecords = mapped;
    return m;
}

} // namespace

QList<CatalogueModel> standardModels()
{
    return {
        model(1, "users", "", "the account, profile and settings", {}, "high", 1, 1, 1),
        model(2, "addresses", "", "shipping addresses still in use", {}, "high", 1.5, 20),
        model(3, "items", "listing", "visible and hidden items, not deleted", {}, "high", 25,
              20'000, 1),
        model(4, "item_photos", "listing", "photos of migrated items", {}, "low", 70, 60'000),
        model(5, "followers", "", "followers and followed members", {}, "low", 30, 50'000),
        model(6, "liked_items", "", "favourites of items that are still listed",
              {QStringLiteral("fr")}, "low", 40, 20'000),
        model(7, "messages", "messaging", "conversations of the last two years",
              {QStringLiteral("de")}, "low", 80, 100'000),
        model(8, "payments", "payments", "completed payments and refunds", {}, "high", 4, 2'000),
        model(9, "reviews", "", "reviews given and received", {}, "high", 3, 5'000),
        model(10, "wallet_balances", "payments", "wallet balance and pending payouts",
              {QStringLiteral("lt")}, "high", 1, 1),
    };
}

QList<QueueDefaults> standardQueues()
{
    return {{kSerializeQueue, 8, 1000, 3},
            {QStringLiteral("create_high"), 16, 500, 5},
            {QStringLiteral("create_low"), 4, 2000, 5}};
}

QString portalName(const QString &code)
{
    static const QHash<QString, QString> names{
        {QStringLiteral("lt"), QStringLiteral("Lithuania")},
        {QStringLiteral("lv"), QStringLiteral("Latvia")},
        {QStringLiteral("ee"), QStringLiteral("Estonia")},
        {QStringLiteral("pl"), QStringLiteral("Poland")},
        {QStringLiteral("de"), QStringLiteral("Germany")},
        {QStringLiteral("at"), QStringLiteral("Austria")},
        {QStringLiteral("fr"), QStringLiteral("France")},
        {QStringLiteral("be"), QStringLiteral("Belgium")},
        {QStringLiteral("nl"), QStringLiteral("Netherlands")},
        {QStringLiteral("es"), QStringLiteral("Spain")},
        {QStringLiteral("it"), QStringLiteral("Italy")},
        {QStringLiteral("cz"), QStringLiteral("Czechia")},
        {QStringLiteral("uk"), QStringLiteral("United Kingdom")},
        {QStringLiteral("us"), QStringLiteral("United States")},
        {QStringLiteral("target"), QStringLiteral("Target marketplace")},
    };
    return names.value(code, code.toUpper());
}

int seededBasisPoints(int portalIndex)
{
    static constexpr int kPoints[] = {3000, 2000, 1000};
    return portalIndex < int(std::size(kPoints)) ? kPoints[portalIndex] : 500;
}

QString createQueueFor(const QString &throughputClass)
{
    return QStringLiteral("create_") + throughputClass;
}

FleetCatalogue::FleetCatalogue(QList<Portal> portals, QList<CatalogueModel> models)
    : m_portals(std::move(portals)), m_models(std::move(models))
{
    std::stable_sort(m_models.begin(), m_models.end(),
                     [](const CatalogueModel &a, const CatalogueModel &b) {
                         return std::tie(a.model.migrationOrder, a.model.id)
                                < std::tie(b.model.migrationOrder, b.model.id);
                     });
}

FleetCatalogue FleetCatalogue::fromDatabase(QList<Portal> portals, const QList<Model> &models)
{
    QHash<QString, CatalogueModel> known;
    for (const CatalogueModel &m : standardModels())
        known.insert(m.model.name, m);
    QList<CatalogueModel> merged;
    for (const Model &m : models) {
        CatalogueModel entry = known.value(m.name);
        entry.model = m;
        merged.append(entry);
    }
    return FleetCatalogue(std::move(portals), std::move(merged));
}

QStringList FleetCatalogue::sourcePortals() const
{
    QStringList codes;
    for (const Portal &portal : m_portals)
        if (portal.role != QLatin1String("target"))
            codes << portal.code;
    return codes;
}

QList<CatalogueModel> FleetCatalogue::modelsFor(const QString &portal) const
{
    QList<CatalogueModel> result;
    for (const CatalogueModel &m : m_models)
        if (!m.model.skipPortals.contains(portal))
            result.append(m);
    return result;
}

QList<CatalogueModel> FleetCatalogue::modelsFor(const QString &portal,
                                                const QString &throughputClass) const
{
    QList<CatalogueModel> result;
    for (const CatalogueModel &m : modelsFor(portal))
        if (m.model.throughputClass == throughputClass)
            result.append(m);
    return result;
}

QStringList FleetCatalogue::classesFor(const QString &portal) const
{
    QStringList classes;
    for (const CatalogueModel &m : modelsFor(portal))
        if (!classes.contains(m.model.throughputClass))
            classes << m.model.throughputClass;
    std::sort(classes.begin(), classes.end());
    return classes;
}

qint64 recordsFor(const UserKey &user, const CatalogueModel &model)
{
    if (model.maxRecords <= 1)
        return model.maxRecords < 1 ? 0 : 1;
    FleetRandom random = FleetRandom::forKey(
        {stableHash(user.portal), quint64(user.userId), quint64(model.model.id), 0x7265636fULL});
    return random.skewed(model.meanRecords, model.maxRecords);
}

qint64 targetUserIdFor(const UserKey &user)
{
    constexpr qint64 kIdsPerPortal = 1'000'000'000;
    const qint64 prefix = 1 + qint64(stableHash(user.portal) % 9'000'000ULL);
    const qint64 local = ((user.userId % kIdsPerPortal) + kIdsPerPortal) % kIdsPerPortal;
    return prefix * kIdsPerPortal + local;
}

QList<RecordMapping> mappingsFor(const UserKey &user, const CatalogueModel &model, qint64 records)
{
    QList<RecordMapping> mappings;
    if (model.model.name == QLatin1String("users")) {
        mappings.append({user.userId, targetUserIdFor(user)});
        return mappings;
    }
    const qint64 count = std::min<qint64>(records, model.mappedRecords);
    for (qint64 k = 0; k < count; ++k) {
        // Source record ids are unique per model and portal: the user id × 1000 plus k.
        const qint64 sourceId = user.userId * 1000 + k;
        const quint64 target = FleetRandom::forKey({stableHash(user.portal),
                                                    quint64(model.model.id), quint64(sourceId)})
                                   .next();
        mappings.append({sourceId, qint64(target >> 2)});
    }
    return mappings;
}

} // namespace mc::fleet
