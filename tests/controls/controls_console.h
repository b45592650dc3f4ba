#pragma once

// One "console" as the tests drive it: a Controls page on a test database, shown offscreen,
// refreshing every 200 ms and acting as a named operator, with helpers that use it the way a
// person does (double-click a cell and type, click a button, type a reason in the dialog).

#include "contract_fixture.h"
#include "controls_page.h"
#include "controls_service.h"
#include "database.h"
#include "queue_settings_model.h"

class QTableView;

namespace mc::widgets {
class QueueEditor;
class ReasonDialog;
class RolloutEditor;
}

namespace mc::test {

class ControlsConsole
{
public:
    static constexpr int kRefreshMs = 200;

    ControlsConsole(const QString &url, const QString &osUser);

    Database database;
    ControlsService service{&database};
    widgets::ControlsPage page{&service};

    // Waits for the first overview: the queues are in the table.
    bool waitLoaded(int timeoutMs = 10'000);
    // Waits for `count` more refreshes.
    bool waitRefreshes(int count, int timeoutMs = 10'000);

    widgets::QueueEditor *queues() const;
    QueueSettingsModel *model() const;
    QTableView *table() const;
    QModelIndex cell(const QString &queue, QueueSettingsModel::Column column) const;
    widgets::RolloutEditor *rollout(const QString &portal) const; // the 'merge' flag

    // Double-clicks the cell, types the value and presses Enter.
    bool editCell(const QString &queue, QueueSettingsModel::Column column, int value);
    // Types a new percentage into a rollout editor's spin box and presses Enter.
    void typePercentage(widgets::RolloutEditor *editor, const QString &text);
};

// Waits for the dialog, checks Apply is disabled until a reason (and the extra confirmation,
// when there is one) is given, types the reason and clicks Apply.
bool confirmWithReason(widgets::ReasonDialog *dialog, const QString &reason);

// A queue's setting straight from the table (not through the code under test).
qint64 queueSetting(FleetWriter &writer, const QString &queue, const QString &column);
bool queuePaused(FleetWriter &writer, const QString &queue);
// The audit entries of one action, oldest first, straight from the table.
QList<AuditEntry> auditRows(FleetWriter &writer, const QString &action);

} // namespace mc::test
