#pragma once

// Small helpers the sim cases share: plain-SQL checks and set-up of users and jobs.

#include "contract_fixture.h"

#include <QSet>

namespace mc::test {

qint64 scalar(sql::Connection &c, const QString &sql, const QVariantList &params = {});

// `count` users of a portal from firstId on, in `status`; pending users get their serialize job.
void addUsersWithJobs(FleetWriter &writer, const QString &portal, qint64 firstId, int count,
                      UserStatus status);

// Users of a portal in a status, as ids.
QSet<qint64> usersIn(sql::Connection &c, const QString &portal, UserStatus status);

// A queue's settings straight in the table (no audit): test set-up only.
void setQueue(sql::Connection &c, const QString &queue, int parallelism, int runEveryMs,
              int maxAttempts);
void setRollout(sql::Connection &c, const QString &portal, int basisPoints);

// A digest of a query's rows, to compare whole tables between databases.
QByteArray digestOf(sql::Connection &c, const QString &sql);

} // namespace mc::test
