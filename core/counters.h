#pragma once

// The counter tables the triggers keep (docs/SCHEMA.md, "Counters"): how each is read — its
// stripes summed — and what it must equal, by the console's own definitions. The overview, the
// retry, `migctl verify` and bench/ all read them from here.

#include <QString>
#include <QStringList>

namespace mc::counters {

struct Family
{
    QString table;             // user_status_counts, model_totals, queue_counts, error_groups
    QStringList keyColumns;    // the counter's key (without the stripe)
    int numericKeys = 0;       // how many trailing key columns are integers (bound as numbers)
    QStringList valueColumns;  // what it counts
    QString storedSql;         // key…, value… per key, stripes summed
    QString truthSql;          // key…, value… per key, from the counted table
    QStringList countedTables; // what repair locks while it recomputes
    bool striped = true;       // error_groups has one row per key (no stripes)
};

// The four families, in the workers' lock order (docs/SCHEMA.md, "Lock order").
const QList<Family> &families();

// model_id, users, records_total, serialized, created, failed: model_totals summed over stripes.
QString modelTotalsSql();

// The stripe the current session writes (a function of the schema, on both backends).
inline QString stripeExpression() { return QStringLiteral("mc_counter_stripe()"); }

} // namespace mc::counters
