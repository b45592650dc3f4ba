#pragma once

// The Failures view's calls: error groups, the catalogue for its filter bar, and the single
// changes its actions make (retry the chosen users, ignore/resolve/reopen records). Pages and
// details page through runner() in FailureTableModel and FailureDetailLoader; counts (which may
// take long), retry-all and export jobs run on bulkRunner().

#include "feature_service.h"

namespace mc {

class FailuresService : public FeatureService
{
    Q_OBJECT

public:
    using FeatureService::FeatureService;

    void readErrorGroups(QObject *receiver, Reply<QList<ErrorGroup>> reply);
    void retryUsers(QObject *receiver, const RetryRequest &request, Reply<RetryReport> reply);
    void setResolution(QObject *receiver, const ResolutionChange &change,
                       Reply<ResolutionReport> reply);
};

} // namespace mc
