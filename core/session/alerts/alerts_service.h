#pragma once

// The Alerts view's connection for what it changes: a lead's rule changes (mute, disable,
// enable) and the claim that this login is notified of a firing, on the interactive runner. The
// evaluation itself is the polling connection's (AlertsMonitor).

#include "feature_service.h"

namespace mc {

class AlertsService : public FeatureService
{
    Q_OBJECT

public:
    using FeatureService::FeatureService;

    void setRule(QObject *receiver, const AlertRuleChange &change, Reply<AlertRule> reply);
    // True when this login had not been notified of the firing yet.
    void claimNotice(QObject *receiver, qint64 firingId, Reply<bool> reply);
};

} // namespace mc
