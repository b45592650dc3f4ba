#include "work_plan.h"

namespace mc::fleet {

WorkPlan WorkPlan::forJob(const FleetCatalogue &catalogue, const ClaimedJob &job)
{
    WorkPlan plan;
    plan.targetUserId = targetUserIdFor(job.user);
    if (job.kind == JobKind::Serialize) {
        plan.phase = kSerializePhase;
        plan.models = catalogue.modelsFor(job.user.portal);
        for (const QString &throughputClass : catalogue.classesFor(job.user.portal))
            plan.createQueues << createQueueFor(throughputClass);
    } else {
        plan.phase = kCreatePhase;
        plan.models = catalogue.modelsFor(job.user.portal, job.throughputClass);
    }
    for (const CatalogueModel &model : std::as_const(plan.models)) {
        const qint64 records = recordsFor(job.user, model);
        plan.records.append({model.model.id, records});
        plan.totalRecords += records;
        if (job.kind == JobKind::Create) {
            const QList<RecordMapping> mappings = mappingsFor(job.user, model, records);
            if (!mappings.isEmpty())
                plan.mappings.append({model.model.id, mappings});
        }
    }
    // Serializing reads and writes JSON (fast); creating inserts on the target (slower).
    plan.workMs = job.kind == JobKind::Serialize ? 20 + plan.totalRecords / 5
                                                 : 30 + plan.totalRecords / 2;
    plan.workMs = std::min<qint64>(plan.workMs, 60'000);
    return plan;
}

} // namespace mc::fleet
