#pragma once

// How a connection makes its store: by default openStore(url) on the real backends; tests of
// services and item models inject an in-memory fake instead. Called on the connection's thread.

#include "merge_store.h"

#include <functional>
#include <memory>

namespace mc {

using StoreFactory = std::function<Result<std::unique_ptr<MergeStore>>(const QString &url)>;

inline StoreFactory realStores()
{
    return [](const QString &url) { return openStore(url); };
}

} // namespace mc
