#pragma once

// The Controls view's calls: the settings it shows (queues and rollout flags, from the overview's
// small tables), a queue change, a rollout change and its preview.

#include "feature_service.h"

namespace mc {

class ControlsService : public FeatureService
{
    Q_OBJECT

public:
    using FeatureService::FeatureService;

    void readSettings(QObject *receiver, Reply<OverviewSnapshot> reply);
    void updateQueue(QObject *receiver, const QueueChange &change, Reply<QueueState> reply);
    void previewRollout(QObject *receiver, const RolloutFlag &flag, int basisPoints,
                        Reply<RolloutPreview> reply);
    void setRollout(QObject *receiver, const RolloutChange &change, Reply<RolloutFlag> reply);
};

} // namespace mc
