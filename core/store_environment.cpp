// SqlMergeStore: the database's environment (name and class), read at connect and set by a lead
// in one transaction with its audit entry.

#include "sql_merge_store_run.h"

namespace mc {

Environment SqlMergeStore::readEnvironment(sql::Connection &c)
{
    Environment environment;
    sql::Rows rows;
    try {
        // A batch of one: read at connect, not worth preparing (a round trip of its own).
        rows = c.batch({{QStringLiteral("SELECT name, class, version FROM environment "
                                        "WHERE id = 1")}})
                   .at(0);
    } catch (const sql::DbError &error) {
        // A schema older than the environment table (or none): not labelled.
        if (error.kind() != sql::DbError::Kind::Syntax || c.inTransaction())
            throw;
        return environment;
    }
    if (rows.empty())
        return environment;
    environment.known = true;
    environment.name = rows.text(0, 0);
    environment.environmentClass =
        environmentClassFromName(rows.text(0, 1)).value_or(EnvironmentClass::Production);
    environment.version = rows.int64(0, 2);
    return environment;
}

Result<Environment> SqlMergeStore::setEnvironment(const EnvironmentChange &change)
{
    return run<Environment>(Need::CurrentSchema, [&](sql::Connection &c) {
        requireReason(change.reason);
        const QString name = change.name.trimmed();
        if (name.isEmpty() || name.size() > 100)
            throw StoreError::make(StoreError::Kind::InvalidInput,
                                   QStringLiteral("An environment name has 1 to 100 characters."));
        const QString className = environmentClassName(change.environmentClass);
        return sql::inTransaction(c, [&] {
            const Environment before = readEnvironment(c);
            if (before.known && before.name == name
                && before.environmentClass == change.environmentClass)
                throw StoreError::make(StoreError::Kind::NothingToChange,
                                       QStringLiteral("The environment is already %1 (%2); "
                                                      "nothing to change.")
                                           .arg(name, className));
            const QString by = changedBy(change.by);
            if (before.known)
                c.exec(QStringLiteral("UPDATE environment SET name = $1, class = $2, "
                                      "version = version + 1, updated_at = CURRENT_TIMESTAMP(3), "
                                      "updated_by = $3 WHERE id = 1"),
                       {name, className, by});
            else
                c.exec(QStringLiteral("INSERT INTO environment (id, name, class, updated_by) "
                                      "VALUES (1, $1, $2, $3)"),
                       {name, className, by});
            const auto describe = [](const Environment &e) {
                return e.known ? compactJson({{QStringLiteral("name"), e.name},
                                              {QStringLiteral("class"),
                                               environmentClassName(e.environmentClass)}})
                               : QString();
            };
            const Environment after = readEnvironment(c);
            writeAudit(c, change.by, QStringLiteral("set_environment"),
                       QStringLiteral("environment"), describe(before), describe(after),
                       change.reason);
            return after;
        });
    });
}

} // namespace mc
