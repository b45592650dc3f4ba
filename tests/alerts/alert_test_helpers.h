#pragma once

// What the alert tests share: rules saved as the owner, and samples written as a worker writes
// them (plain SQL).

#include "alerts.h"
#include "contract_fixture.h"

#include <functional>

namespace mc::test {

// The rule as stored, changed by `edit`, saved as the owner with a reason (qFatal on failure).
AlertRule saveRule(MergeStore &store, const QString &name,
                   const std::function<void(AlertRule &)> &edit);
// Only `keep` stays enabled, so other rules' transitions do not muddle what a test looks at.
void onlyRule(MergeStore &store, const QString &keep);
// An installed database with the catalogue where only `rule` is enabled, changed by `edit`;
// returns the owner's writer.
std::unique_ptr<FleetWriter> databaseWithRule(const TestDatabase &db, const QString &rule,
                                              const std::function<void(AlertRule &)> &edit);
// The stall rule on a hair trigger: a 30 s window and no `for`, so it fires at the first
// evaluation that finds users pending and none completed.
void quickStall(AlertRule &rule);
EpochMs serverNow(FleetWriter &writer);
// Adds to the queue series sample of the bucket `ago` buckets back, as a worker's upsert does
// (counts added, gauges at their maximum), without a dialect-specific upsert.
void addSample(FleetWriter &writer, const QString &queue, qint64 completed, qint64 failed,
               qint64 depth = 0, qint64 inProgress = 0, int ago = 0);

} // namespace mc::test
