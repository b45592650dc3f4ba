#pragma once

// The queue and rollout tables, shared by `status`, `queue list` and `rollout list`.

#include "domain.h"

#include <QList>
#include <QString>

namespace mc::cli {

QString queueTable(const QList<QueueState> &queues);
QString rolloutTable(const QList<RolloutFlag> &flags);

} // namespace mc::cli
