#include "failures_service.h"

#include "feature_service_calls.h"

namespace mc {

void FailuresService::readErrorGroups(QObject *receiver, Reply<QList<ErrorGroup>> reply)
{
    call<QList<ErrorGroup>>(
        receiver, [](MergeStore &store) { return store.errorGroups(); }, std::move(reply));
}

void FailuresService::retryUsers(QObject *receiver, const RetryRequest &request,
                                 Reply<RetryReport> reply)
{
    call<RetryReport>(
        receiver, [request](MergeStore &store) { return store.retryUsers(request, {}); },
        std::move(reply));
}

void FailuresService::setResolution(QObject *receiver, const ResolutionChange &change,
                                    Reply<ResolutionReport> reply)
{
    call<ResolutionReport>(
        receiver, [change](MergeStore &store) { return store.setResolution(change); },
        std::move(reply));
}

} // namespace mc
