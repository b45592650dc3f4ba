#include "alerts_service.h"

#include "feature_service_calls.h"

namespace mc {

void AlertsService::setRule(QObject *receiver, const AlertRuleChange &change,
                            Reply<AlertRule> reply)
{
    call<AlertRule>(
        receiver, [change](MergeStore &store) { return store.setAlertRule(change); },
        std::move(reply));
}

void AlertsService::claimNotice(QObject *receiver, qint64 firingId, Reply<bool> reply)
{
    call<bool>(
        receiver, [firingId](MergeStore &store) { return store.claimAlertNotice(firingId); },
        std::move(reply));
}

} // namespace mc
