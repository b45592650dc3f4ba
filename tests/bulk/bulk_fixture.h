#pragma once

// What the bulk tests seed and check with plain SQL, beside the shared fixture.

#include "contract_fixture.h"

#include <QSet>

class QWidget;

namespace mc::test {

// `count` users of a portal (ids first … first + count - 1) with this status, each with one
// failed record of this model, error class and message (written in one statement).
void addUsersWithFailures(FleetWriter &writer, const QString &portal, qint64 first, qint64 count,
                          UserStatus status, int modelId, const QString &message);

// "portal:id" of every user with this status.
QSet<QString> usersWithStatus(FleetWriter &writer, UserStatus status);

// Saves a grab of the widget as <dir>/<name>.png when MC_BULK_SCREENSHOTS names a directory.
void saveScreenshot(QWidget *widget, const QString &name);

} // namespace mc::test
