#pragma once

// The values that cross from the store's worker thread to the GUI thread, declared to Qt's meta
// type system so they can travel in queued signals.

#include "alert_evaluator.h"
#include "merge_store.h"

#include <QMetaType>

namespace mc {

// One channel per kind of request: within a kind the newest request wins.
enum class RequestKind { Overview, Throughput, Audit, MigrationTimes, Alerts };
inline constexpr int kRequestKinds = 5;

QString requestName(RequestKind kind); // "overview", "throughput", "audit", "migration times"

} // namespace mc

Q_DECLARE_METATYPE(mc::RequestKind)
Q_DECLARE_METATYPE(mc::ServerInfo)
Q_DECLARE_METATYPE(mc::StoreError)
Q_DECLARE_METATYPE(mc::OverviewSnapshot)
Q_DECLARE_METATYPE(mc::ThroughputQuery)
Q_DECLARE_METATYPE(mc::ThroughputSeries)
Q_DECLARE_METATYPE(mc::AuditQuery)
Q_DECLARE_METATYPE(mc::AuditPage)
Q_DECLARE_METATYPE(mc::MigrationTimes)
Q_DECLARE_METATYPE(mc::AlertCycle)
Q_DECLARE_METATYPE(mc::CounterCheck)
