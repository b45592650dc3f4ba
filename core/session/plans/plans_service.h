#pragma once

// The Plans view's calls (plans.h): the plans and one plan with its samples, making a guarded
// retry or a rollout ramp, pausing, resuming and cancelling one, and the executor's pass (on the
// bulk connection, whose session holds the executor lock).

#include "feature_service.h"

namespace mc {

class PlansService : public FeatureService
{
    Q_OBJECT

public:
    using FeatureService::FeatureService;

    void readPlans(QObject *receiver, Reply<QList<Plan>> reply);
    void readPlan(QObject *receiver, qint64 id, Reply<Plan> reply);
    void createRetryPlan(QObject *receiver, const RetryPlanRequest &request, Reply<Plan> reply);
    void createRampPlan(QObject *receiver, const RampPlanRequest &request, Reply<Plan> reply);
    void changePlan(QObject *receiver, const PlanChange &change, Reply<Plan> reply);
    void advancePlans(QObject *receiver, const PlanPace &pace, Reply<QList<PlanAdvance>> reply);
    void releaseExecutor(QObject *receiver);
};

} // namespace mc
