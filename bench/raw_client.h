#pragma once

// Times SQL with the database's own command-line client (psql or mariadb), so the store's figures
// can be set beside what the server and its client need for the same statements.

#include "connection_url.h"

#include <QStringList>
#include <QVariantList>

#include <vector>

namespace mc::bench {

struct RawStatement
{
    QString sql;         // with $N placeholders and {ms:}/{ts:} tokens, as core writes SQL
    QVariantList params; // inlined as literals for the client
};

class RawClient
{
public:
    explicit RawClient(ConnectionUrl url) : m_url(std::move(url)) {}

    // Runs the statements `repetitions` times in one client session and returns, for each
    // repetition, the milliseconds the client saw for all of them together (client-side wall
    // time including the round trip: psql's \timing; on MariaDB SYSDATE(6) taken around them).
    std::vector<double> time(const std::vector<RawStatement> &statements, int repetitions) const;

    // The literal SQL a client runs for one statement.
    QString literalSql(const RawStatement &statement) const;

private:
    QString runClient(const QString &script) const;

    ConnectionUrl m_url;
};

} // namespace mc::bench
