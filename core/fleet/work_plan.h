#pragma once

// The work one claimed job stands for: the models and record counts of its user, how long the
// work takes, and what it writes when done. A pure function of the catalogue and the job.

#include "fleet_catalogue.h"
#include "job_board.h"
#include "migration_steps.h"

namespace mc::fleet {

struct WorkPlan
{
    QString phase;                 // "serialize" or "create"
    QList<CatalogueModel> models;  // serialize: every model of the user; create: its class's
    QList<ModelRecords> records;   // per model, as above
    QList<ModelMappings> mappings; // create: the id mapping sample
    QStringList createQueues;      // serialize: one create queue per throughput class
    qint64 targetUserId = 0;
    qint64 totalRecords = 0;
    qint64 workMs = 0;             // at speed 1

    static WorkPlan forJob(const FleetCatalogue &catalogue, const ClaimedJob &job);
};

} // namespace mc::fleet
