#include "schema_gate.h"

#include "logging.h"
#include "merge_store.h"

#include <spdlog/logger.h>

namespace mc::sim {

QString ensureCurrentSchema(const QString &url, bool installIntoEmpty)
{
    auto store = openStore(url);
    if (!store)
        return store.error().message;
    auto status = (*store)->schemaStatus();
    if (!status)
        return status.error().message;
    switch (status->state) {
    case SchemaStatus::State::Current:
        return QString();
    case SchemaStatus::State::Empty:
        if (!installIntoEmpty)
            return QStringLiteral("the database has no merge schema: run `merge-sim seed` first");
        {
            auto installed = (*store)->installSchema(Operator::fromEnvironment());
            if (!installed)
                return installed.error().message;
            log()->info("installed merge schema version {}", installed->installedVersion);
        }
        return QString();
    case SchemaStatus::State::Older:
        return QStringLiteral("the database holds schema version %1; upgrade it first "
                              "(migctl schema upgrade)")
            .arg(status->installedVersion);
    case SchemaStatus::State::Newer:
    case SchemaStatus::State::Foreign:
        return status->detail;
    }
    return QString();
}

QString productionRefusal(const QString &url)
{
    auto store = openStore(url);
    if (!store)
        return QString(); // the schema gate reports why it cannot connect
    auto info = (*store)->serverInfo();
    if (!info || !info->environment.isProduction())
        return QString();
    return QStringLiteral("refusing to run on %1: the database says it is a production "
                          "environment (migctl environment show); nothing was written")
        .arg(info->environment.name);
}

} // namespace mc::sim
