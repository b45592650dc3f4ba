#pragma once

#include "sql_merge_store.h"

namespace mc {

// The merge database on MariaDB 10.11 / MySQL, through Connector/C++ 1.1.
class MariaDbStore final : public SqlMergeStore
{
public:
    using SqlMergeStore::SqlMergeStore;

protected:
    std::unique_ptr<sql::Connection> openConnection(
        const sql::ConnectionSettings &settings) override
    {
        return sql::connectMariaDb(settings);
    }
};

} // namespace mc
