#pragma once

// The Audit view's connection: the log model pages through runner(); exports run on
// bulkRunner(); the AuditWatcher polls for other operators' changes through it.

#include "feature_service.h"

namespace mc {

class AuditService : public FeatureService
{
    Q_OBJECT

public:
    using FeatureService::FeatureService;
};

} // namespace mc
