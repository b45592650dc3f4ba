#pragma once

// The real SqlMergeStore on a scripted connection instead of a server: it answers the schema
// check as a current database would, and a failed record's detail with as many columns as the
// test says, so a test can hand the store an answer whose form does not match its select list.

#include "sql_merge_store.h"

namespace mc::test {

class ScriptedStore : public SqlMergeStore
{
public:
    ScriptedStore();
    void answerFailureWithColumns(int columns) { *m_columns = columns; }

protected:
    std::unique_ptr<sql::Connection> openConnection(const sql::ConnectionSettings &) override;

private:
    std::shared_ptr<int> m_columns = std::make_shared<int>(21);
};

} // namespace mc::test
