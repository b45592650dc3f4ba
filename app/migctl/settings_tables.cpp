#include "settings_tables.h"

#include "table.h"
#include "text_format.h"
#include "value_parsers.h"

namespace mc::cli {

QString queueTable(const QList<QueueState> &queues)
{
    Table table({QStringLiteral("QUEUE"), QStringLiteral("PARALLELISM"), QStringLiteral("PAUSED"),
                 QStringLiteral("DEPTH"), QStringLiteral("IN PROGRESS"),
                 QStringLiteral("RUN EVERY"), QStringLiteral("MAX ATTEMPTS"),
                 QStringLiteral("VERSION"), QStringLiteral("UPDATED"),
                 QStringLiteral("BY")});
    table.alignRight({1, 3, 4, 5, 6, 7});
    for (const QueueState &q : queues)
        table.addRow({q.name, QString::number(q.parallelism),
                      q.paused ? QStringLiteral("yes") : QStringLiteral("no"), thousands(q.depth),
                      thousands(q.inProgress), QStringLiteral("%1 ms").arg(q.runEveryMs),
                      QString::number(q.maxAttempts), QString::number(q.version),
                      optionalTime(q.updatedAt), q.updatedBy});
    return table.render();
}

QString rolloutTable(const QList<RolloutFlag> &flags)
{
    Table table({QStringLiteral("FLAG"), QStringLiteral("PORTAL"), QStringLiteral("PERCENT"),
                 QStringLiteral("VERSION"), QStringLiteral("UPDATED"), QStringLiteral("BY")});
    table.alignRight({2, 3});
    for (const RolloutFlag &f : flags)
        table.addRow({f.flag, f.portal, percentText(f.basisPoints), QString::number(f.version),
                      optionalTime(f.updatedAt), f.updatedBy});
    return table.render();
}

} // namespace mc::cli
