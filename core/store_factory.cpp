#include "mariadb_store.h"
#include "merge_store.h"
#include "postgres_store.h"

namespace mc {

Result<std::unique_ptr<MergeStore>> openStore(const QString &url)
{
    auto parsed = ConnectionUrl::parse(url);
    if (!parsed)
        return parsed.error();
    std::unique_ptr<SqlMergeStore> store;
    if (parsed->backend == sql::Backend::PostgreSQL)
        store = std::make_unique<PostgresStore>(parsed.value());
    else
        store = std::make_unique<MariaDbStore>(parsed.value());
    if (auto connected = store->connect(); !connected)
        return connected.error();
    return std::unique_ptr<MergeStore>(std::move(store));
}

} // namespace mc
