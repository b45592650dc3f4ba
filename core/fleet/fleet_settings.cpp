#include "fleet_settings.h"

#include <cmath>

namespace mc::fleet {

namespace {

const QString kQueueColumns =
    QStringLiteral("SELECT name, parallelism, run_every_ms, max_attempts, paused FROM queues");

QueueSettings queueAt(const sql::Rows &rows, int r)
{
    return QueueSettings{rows.text(r, 0), rows.int32(r, 1), rows.int32(r, 2), rows.int32(r, 3),
                         rows.boolean(r, 4)};
}

} // namespace

int basisPointsFromPercentage(const QString &text)
{
    return int(std::llround(text.toDouble() * 100.0));
}

QList<QueueSettings> FleetSettings::queues()
{
    const sql::Rows rows = m_connection.query(kQueueColumns + QStringLiteral(" ORDER BY name"));
    QList<QueueSettings> result;
    for (int r = 0; r < rows.size(); ++r)
        result.append(queueAt(rows, r));
    return result;
}

std::optional<QueueSettings> FleetSettings::queue(const QString &name)
{
    const sql::Rows rows = m_connection.query(kQueueColumns + QStringLiteral(" WHERE name = $1"),
                                              {name});
    if (rows.empty())
        return std::nullopt;
    return queueAt(rows, 0);
}

QHash<QString, int> FleetSettings::rollout(const QString &flag)
{
    const sql::Rows rows = m_connection.query(
        QStringLiteral("SELECT portal, percentage FROM rollout_flags WHERE flag = $1"), {flag});
    QHash<QString, int> result;
    for (int r = 0; r < rows.size(); ++r)
        result.insert(rows.text(r, 0), basisPointsFromPercentage(rows.text(r, 1)));
    return result;
}

FleetCatalogue FleetSettings::catalogue()
{
    QList<Portal> portals;
    sql::Rows rows = m_connection.query(
        QStringLiteral("SELECT code, name, role FROM portals ORDER BY code"));
    for (int r = 0; r < rows.size(); ++r)
        portals.append({rows.text(r, 0), rows.text(r, 1), rows.text(r, 2)});

    QList<Model> models;
    rows = m_connection.query(QStringLiteral(
        "SELECT id, name, migration_order, consent, query_scope, skip_portals, throughput_class "
        "FROM models ORDER BY migration_order, id"));
    for (int r = 0; r < rows.size(); ++r) {
        QStringList skip = rows.text(r, 5).split(QLatin1Char(','), Qt::SkipEmptyParts);
        for (QString &code : skip)
            code = code.trimmed();
        models.append({rows.int32(r, 0), rows.text(r, 1), rows.int32(r, 2), rows.text(r, 3),
                       rows.text(r, 4), skip, rows.text(r, 6)});
    }
    return FleetCatalogue::fromDatabase(std::move(portals), models);
}

} // namespace mc::fleet
