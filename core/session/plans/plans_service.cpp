#include "plans_service.h"

#include "feature_service_calls.h"

namespace mc {

void PlansService::readPlans(QObject *receiver, Reply<QList<Plan>> reply)
{
    call<QList<Plan>>(receiver, [](MergeStore &store) { return store.plans(); }, std::move(reply));
}

void PlansService::readPlan(QObject *receiver, qint64 id, Reply<Plan> reply)
{
    call<Plan>(receiver, [id](MergeStore &store) { return store.plan(id); }, std::move(reply));
}

void PlansService::createRetryPlan(QObject *receiver, const RetryPlanRequest &request,
                                   Reply<Plan> reply)
{
    // Fixing a big filter's users is one INSERT … SELECT over the failed records: bulk.
    callBulk<Plan>(
        receiver, [request](MergeStore &store) { return store.createRetryPlan(request); },
        std::move(reply));
}

void PlansService::createRampPlan(QObject *receiver, const RampPlanRequest &request,
                                  Reply<Plan> reply)
{
    call<Plan>(
        receiver, [request](MergeStore &store) { return store.createRampPlan(request); },
        std::move(reply));
}

void PlansService::changePlan(QObject *receiver, const PlanChange &change, Reply<Plan> reply)
{
    call<Plan>(
        receiver, [change](MergeStore &store) { return store.changePlan(change); },
        std::move(reply));
}

void PlansService::advancePlans(QObject *receiver, const PlanPace &pace,
                                Reply<QList<PlanAdvance>> reply)
{
    callBulk<QList<PlanAdvance>>(
        receiver, [pace](MergeStore &store) { return store.advancePlans(pace); },
        std::move(reply));
}

void PlansService::releaseExecutor(QObject *receiver)
{
    callBulk<Done>(
        receiver, [](MergeStore &store) { return store.releasePlanExecutor(); },
        [](const Result<Done> &) {});
}

} // namespace mc
