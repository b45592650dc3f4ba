#pragma once

// A merge database with a few thousand failed records of varied models, error classes, portals,
// times and messages (some carrying lines of the naughty strings), and what was written, so the
// tests know the answer without asking the code under test.

#include "contract_fixture.h"

#include <QList>

namespace mc::test {

struct SeededFailure
{
    qint64 id = 0;
    NewFailure failure;
    QString resolution; // empty when open
};

struct FailureSeed
{
    QList<SeededFailure> failures; // in the order written
    QStringList errorClasses;
    int usersPerPortal = 0;
};

// Catalogue (with a fourth model), users of lt and de all failed, and `count` failures; every
// 23rd record is marked ignored. Writes in one transaction.
FailureSeed seedFailures(FleetWriter &writer, int count, const QStringList &naughty);

// Ids of failed_records rows matching `where` (plain SQL on the writer's connection), in the
// table's order: failed at, newest first, then id.
QList<qint64> idsWhere(FleetWriter &writer, const QString &where, const QVariantList &params = {});

// The seeded records `want` selects, in the table's order.
QList<qint64> expectedIds(const FailureSeed &seed,
                          const std::function<bool(const SeededFailure &)> &want);

} // namespace mc::test
