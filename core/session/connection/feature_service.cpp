#include "feature_service.h"

#include "feature_service_calls.h"

namespace mc {

FeatureService::FeatureService(Database *database, QObject *parent)
    : QObject(parent), m_database(database)
{
    connect(database, &Database::changed, this, &FeatureService::connectionChanged);
}

bool FeatureService::isConnected() const
{
    return m_database->isOpen();
}

StoreRunner *FeatureService::runner() const
{
    return m_database->interactive();
}

StoreRunner *FeatureService::bulkRunner() const
{
    return m_database->bulk();
}

void FeatureService::readOverview(QObject *receiver, int latestBuckets,
                                  Reply<OverviewSnapshot> reply)
{
    call<OverviewSnapshot>(
        receiver,
        [latestBuckets](MergeStore &store) {
            OverviewRequest request;
            request.latestBuckets = latestBuckets;
            return store.overview(request);
        },
        std::move(reply));
}

} // namespace mc
