#pragma once

// Operator actions from the audit log, as the charts mark them: when, a short label, and who did
// what and why. Only actions that change how the fleet runs are marked: queue settings (parallelism,
// pause, …), rollout percentages and user retries.

#include "operations.h"

namespace mc {

struct OperatorMarker
{
    EpochMs at = 0;
    QString action; // set_queue, set_rollout, retry_users
    QString label;  // short, drawn on the chart: "serialize: parallelism 4 → 8"
    QString detail; // the tooltip: who, when, what, reason
    int entries = 1; // audit entries folded into this marker (a bulk retry writes one per batch)
};

bool isMarkedAction(const QString &action);

// Markers in time order. Consecutive retry batches by the same person with the same reason within
// a minute fold into one marker.
QList<OperatorMarker> operatorMarkers(const QList<AuditEntry> &entries);

} // namespace mc
