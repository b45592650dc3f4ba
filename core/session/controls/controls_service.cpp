#include "controls_service.h"

#include "feature_service_calls.h"

namespace mc {

void ControlsService::readSettings(QObject *receiver, Reply<OverviewSnapshot> reply)
{
    readOverview(receiver, 1, std::move(reply));
}

void ControlsService::updateQueue(QObject *receiver, const QueueChange &change,
                                  Reply<QueueState> reply)
{
    call<QueueState>(
        receiver, [change](MergeStore &store) { return store.updateQueue(change); },
        std::move(reply));
}

void ControlsService::previewRollout(QObject *receiver, const RolloutFlag &flag, int basisPoints,
                                     Reply<RolloutPreview> reply)
{
    call<RolloutPreview>(
        receiver,
        [flag, basisPoints](MergeStore &store) {
            return store.previewRollout(flag.flag, flag.portal, basisPoints);
        },
        std::move(reply));
}

void ControlsService::setRollout(QObject *receiver, const RolloutChange &change,
                                 Reply<RolloutFlag> reply)
{
    call<RolloutFlag>(
        receiver, [change](MergeStore &store) { return store.setRollout(change); },
        std::move(reply));
}

} // namespace mc
