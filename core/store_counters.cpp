// SqlMergeStore: verify the counter tables against the tables they count, and repair what
// drifted (docs/SCHEMA.md, "Counters": what breaks them and how to recover).

#include "counters.h"
#include "sql_merge_store_run.h"
#include "sql_params.h"

#include <QJsonObject>

#include <map>
#include <set>

namespace mc {

namespace {

using Values = std::vector<qint64>;
using CounterRows = std::map<QStringList, Values>; // key → values

CounterRows readCounterRows(sql::Connection &c, const QString &sql, const counters::Family &f)
{
    const sql::Rows rows = c.query(sql);
    const int keys = int(f.keyColumns.size());
    CounterRows result;
    for (int r = 0; r < rows.size(); ++r) {
        QStringList key;
        for (int k = 0; k < keys; ++k)
            key << rows.text(r, k); // exactly as stored: repair deletes the key by it
        Values values;
        for (int v = 0; v < f.valueColumns.size(); ++v)
            values.push_back(rows.isNull(r, keys + v) ? 0 : rows.int64(r, keys + v));
        result[key] = std::move(values);
    }
    return result;
}

// The drifts of one family; the keys that drifted go to `drifted`.
QList<CounterDrift> compareFamily(const counters::Family &f, const CounterRows &stored,
                                  const CounterRows &truth, qint64 &keysChecked,
                                  std::set<QStringList> *drifted = nullptr)
{
    std::set<QStringList> keys;
    for (const auto &[key, values] : stored)
        keys.insert(key);
    for (const auto &[key, values] : truth)
        keys.insert(key);
    const Values zeros(size_t(f.valueColumns.size()), 0);
    QList<CounterDrift> drifts;
    for (const QStringList &key : keys) {
        ++keysChecked;
        const auto s = stored.find(key);
        const auto t = truth.find(key);
        const Values &have = s == stored.end() ? zeros : s->second;
        const Values &want = t == truth.end() ? zeros : t->second;
        for (qsizetype v = 0; v < f.valueColumns.size(); ++v) {
            if (have[size_t(v)] == want[size_t(v)])
                continue;
            drifts.append({f.table + QLatin1Char('.') + f.valueColumns[v],
                           key.join(QLatin1Char('/')), have[size_t(v)], want[size_t(v)]});
            if (drifted)
                drifted->insert(key);
        }
    }
    return drifts;
}

QString keyCondition(const counters::Family &f, const QStringList &key, QVariantList &params)
{
    QStringList terms;
    for (qsizetype k = 0; k < f.keyColumns.size(); ++k) {
        const bool numeric = k >= f.keyColumns.size() - f.numericKeys;
        terms << f.keyColumns[k] + QStringLiteral(" = ")
                + bind(params, numeric ? QVariant(key[k].toLongLong()) : QVariant(key[k]));
    }
    return terms.join(QStringLiteral(" AND "));
}

// Writes the true values of one key back: the key's stripes become one row (stripe 0); an error
// group is rebuilt from its records. Nothing is left for a key that counts nothing.
void rewriteKey(sql::Connection &c, const counters::Family &f, const QStringList &key,
                const Values &truth)
{
    QVariantList params;
    const QString where = keyCondition(f, key, params);
    c.exec(QStringLiteral("DELETE FROM %1 WHERE %2").arg(f.table, where), params);
    if (std::all_of(truth.begin(), truth.end(), [](qint64 v) { return v == 0; }))
        return;
    if (!f.striped) { // error_groups: class, pattern and first/last seen come from the records
        QVariantList insertParams;
        const QString recordsWhere = keyCondition(f, key, insertParams);
        const QString failures = bind(insertParams, truth[0]);
        const QString unresolved = bind(insertParams, truth[1]);
        c.exec(QStringLiteral("INSERT INTO error_groups (fingerprint, model_id, error_class, "
                              "message_pattern, failures, unresolved, first_seen, last_seen) "
                              "SELECT fingerprint, model_id, MIN(error_class), "
                              "mc_message_pattern(MIN(message)), %1, %2, MIN(failed_at), "
                              "MAX(failed_at) FROM failed_records WHERE %3 GROUP BY fingerprint, "
                              "model_id")
                   .arg(failures, unresolved, recordsWhere),
               insertParams);
        return;
    }
    QStringList columns = f.keyColumns;
    columns << QStringLiteral("stripe") << f.valueColumns;
    QVariantList values;
    QStringList placeholders;
    for (qsizetype k = 0; k < f.keyColumns.size(); ++k) {
        const bool numeric = k >= f.keyColumns.size() - f.numericKeys;
        placeholders << bind(values, numeric ? QVariant(key[k].toLongLong()) : QVariant(key[k]));
    }
    placeholders << QStringLiteral("0");
    for (qint64 v : truth)
        placeholders << bind(values, v);
    c.exec(QStringLiteral("INSERT INTO %1 (%2) VALUES (%3)")
               .arg(f.table, columns.join(QStringLiteral(", ")),
                    placeholders.join(QStringLiteral(", "))),
           values);
}

// Every family compared in one read-only snapshot, so that a concurrent writer's change is seen
// in both the counter and its table, or in neither.
CounterCheck checkInSnapshot(sql::Connection &c)
{
    return sql::inTransaction(c, [&] {
        if (c.backend() == sql::Backend::PostgreSQL)
            c.exec(QStringLiteral("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY"));
        // MariaDB's default REPEATABLE READ takes its snapshot at the first read.
        CounterCheck check;
        for (const counters::Family &f : counters::families())
            check.drifts += compareFamily(f, readCounterRows(c, f.storedSql, f),
                                          readCounterRows(c, f.truthSql, f), check.keysChecked);
        return check;
    });
}

} // namespace

Result<CounterCheck> SqlMergeStore::verifyCounters()
{
    return run<CounterCheck>(Need::CurrentSchema,
                             [&](sql::Connection &c) { return checkInSnapshot(c); });
}

Result<CounterCheck> SqlMergeStore::repairCounters(const CounterRepair &repair)
{
    return run<CounterCheck>(Need::CurrentSchema, [&](sql::Connection &c) {
        requireReason(repair.reason);
        const CounterCheck first = checkInSnapshot(c);
        if (first.drifts.isEmpty())
            return first;
        QList<counters::Family> drifting;
        for (const counters::Family &f : counters::families())
            if (std::any_of(first.drifts.begin(), first.drifts.end(), [&](const CounterDrift &d) {
                    return d.counter.startsWith(f.table + QLatin1Char('.'));
                }))
                drifting.append(f);

        return sql::inTransaction(c, [&] {
            // The counted tables are held still while their counters are recomputed: writers
            // wait (PostgreSQL: a SHARE lock; MariaDB: locking reads of the rows counted).
            const bool pg = c.backend() == sql::Backend::PostgreSQL;
            if (pg) {
                QStringList tables;
                for (const counters::Family &f : drifting)
                    for (const QString &t : f.countedTables)
                        if (!tables.contains(t))
                            tables << t;
                // Through the schema's owner (004_roles.sql): a SHARE lock needs UPDATE on the
                // tables, which mc_lead, who may repair, does not have. The lock holds until
                // this transaction ends.
                c.query(QStringLiteral("SELECT mc_lock_counted_tables($1)"),
                        {tables.join(u',')});
            }
            CounterCheck check;
            QJsonObject before;
            QJsonObject after;
            for (const counters::Family &f : drifting) {
                const CounterRows truth = readCounterRows(
                    c, f.truthSql + (pg ? QString() : QStringLiteral(" LOCK IN SHARE MODE")), f);
                const CounterRows stored = readCounterRows(
                    c, f.storedSql + (pg ? QString() : QStringLiteral(" FOR UPDATE")), f);
                std::set<QStringList> drifted;
                const QList<CounterDrift> drifts =
                    compareFamily(f, stored, truth, check.keysChecked, &drifted);
                for (const QStringList &key : drifted) {
                    const auto t = truth.find(key);
                    rewriteKey(c, f, key,
                               t == truth.end() ? Values(size_t(f.valueColumns.size()), 0)
                                                : t->second);
                }
                for (const CounterDrift &d : drifts) {
                    const QString name = d.counter + QLatin1Char(' ') + d.key;
                    before.insert(name, d.stored);
                    after.insert(name, d.actual);
                }
                check.drifts += drifts;
            }
            if (check.drifts.isEmpty())
                return check; // the drift was a moment's: gone under the locks
            writeAudit(c, repair.by, QStringLiteral("repair_counters"),
                       QStringLiteral("%1 counters").arg(check.drifts.size()),
                       compactJson(before), compactJson(after), repair.reason);
            check.repaired = true;
            return check;
        });
    });
}

} // namespace mc
