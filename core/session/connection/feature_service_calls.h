#pragma once

// The template part of FeatureService, for the services' own .cpp files.

#include "database.h"
#include "feature_service.h"
#include "store_runner.h"

namespace mc {

template<typename T>
void FeatureService::call(QObject *receiver, std::function<Result<T>(MergeStore &)> work,
                          Reply<T> reply)
{
    runner()->run<T>(receiver, std::move(work), std::move(reply));
}

template<typename T>
void FeatureService::callBulk(QObject *receiver, std::function<Result<T>(MergeStore &)> work,
                              Reply<T> reply)
{
    bulkRunner()->run<T>(receiver, std::move(work), std::move(reply));
}

} // namespace mc
