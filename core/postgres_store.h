#pragma once

#include "sql_merge_store.h"

namespace mc {

// The merge database on PostgreSQL 15, through libpqxx.
class PostgresStore final : public SqlMergeStore
{
public:
    using SqlMergeStore::SqlMergeStore;

protected:
    std::unique_ptr<sql::Connection> openConnection(
        const sql::ConnectionSettings &settings) override
    {
        return sql::connectPostgres(settings);
    }
};

} // namespace mc
