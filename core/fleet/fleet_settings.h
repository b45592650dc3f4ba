#pragma once

// What the fleet reads live from the merge database: queue settings, rollout percentages and
// the catalogue. Each call is one small query, cheap enough to repeat every few hundred ms.

#include "fleet_catalogue.h"
#include "sql/sql_connection.h"

#include <QHash>

namespace mc::fleet {

struct QueueSettings
{
    QString name;
    int parallelism = 0;
    int runEveryMs = 1000;
    int maxAttempts = 1;
    bool paused = false;
};

class FleetSettings
{
public:
    explicit FleetSettings(sql::Connection &connection) : m_connection(connection) {}

    QList<QueueSettings> queues();
    std::optional<QueueSettings> queue(const QString &name);
    // Portal → basis points of one rollout flag; portals without the flag are absent (0 %).
    QHash<QString, int> rollout(const QString &flag);
    FleetCatalogue catalogue();

private:
    sql::Connection &m_connection;
};

int basisPointsFromPercentage(const QString &text); // "12.34" → 1234

} // namespace mc::fleet
