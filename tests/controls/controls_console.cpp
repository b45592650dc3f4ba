#include "controls_console.h"

#include "queue_editor.h"
#include "reason_dialog.h"
#include "rollout_editor.h"

#include <QCheckBox>
#include <QDoubleSpinBox>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTableView>
#include <QTest>

namespace mc::test {

ControlsConsole::ControlsConsole(const QString &url, const QString &osUser)
{
    page.setOperator(Operator{osUser});
    page.setRefreshIntervalMs(kRefreshMs);
    page.resize(1100, 800);
    page.show();
    database.open(url);
}

bool ControlsConsole::waitLoaded(int timeoutMs)
{
    return QTest::qWaitFor([&] { return model()->rowCount() > 0 && page.isConnected(); },
                           timeoutMs);
}

bool ControlsConsole::waitRefreshes(int count, int timeoutMs)
{
    QSignalSpy refreshed(&page, &widgets::ControlsPage::refreshed);
    return QTest::qWaitFor([&] { return refreshed.count() >= count; }, timeoutMs);
}

widgets::QueueEditor *ControlsConsole::queues() const
{
    return page.queueEditor();
}

QueueSettingsModel *ControlsConsole::model() const
{
    return page.queueEditor()->model();
}

QTableView *ControlsConsole::table() const
{
    return page.queueEditor()->table();
}

QModelIndex ControlsConsole::cell(const QString &queue, QueueSettingsModel::Column column) const
{
    return model()->index(model()->rowOf(queue), column);
}

widgets::RolloutEditor *ControlsConsole::rollout(const QString &portal) const
{
    return page.rolloutEditor(QStringLiteral("merge"), portal);
}

bool ControlsConsole::editCell(const QString &queue, QueueSettingsModel::Column column, int value)
{
    const QModelIndex index = cell(queue, column);
    if (!index.isValid())
        return false;
    QTableView *view = table();
    view->scrollTo(index);
    const QPoint centre = view->visualRect(index).center();
    QTest::mouseClick(view->viewport(), Qt::LeftButton, {}, centre);
    QTest::mouseDClick(view->viewport(), Qt::LeftButton, {}, centre);
    auto *spin = view->viewport()->findChild<QSpinBox *>();
    if (!spin || !QTest::qWaitFor([&] { return spin->isVisible(); }, 2000))
        return false;
    spin->selectAll();
    QTest::keyClicks(spin, QString::number(value));
    QTest::keyClick(spin, Qt::Key_Enter);
    return QTest::qWaitFor([&] { return view->viewport()->findChild<QSpinBox *>() == nullptr; },
                           2000);
}

void ControlsConsole::typePercentage(widgets::RolloutEditor *editor, const QString &text)
{
    QDoubleSpinBox *spin = editor->spinBox();
    spin->setFocus();
    spin->selectAll();
    QTest::keyClicks(spin, text);
    QTest::keyClick(spin, Qt::Key_Enter);
}

bool confirmWithReason(widgets::ReasonDialog *dialog, const QString &reason)
{
    if (!dialog) {
        qWarning("no confirmation dialog is open");
        return false;
    }
    dialog->reasonEdit()->clear();
    if (dialog->applyButton()->isEnabled()) {
        qWarning("Apply is enabled without a reason");
        return false;
    }
    // Typed key by key when a keyboard could; hostile text (RTL marks, emoji) is pasted.
    bool typable = true;
    for (const QChar c : reason)
        typable = typable && c.unicode() >= 0x20 && c.unicode() < 0x7f;
    if (typable)
        QTest::keyClicks(dialog->reasonEdit(), reason);
    else
        dialog->reasonEdit()->setText(reason);
    QCheckBox *confirmation = dialog->confirmationBox();
    if (!confirmation->isHidden()) {
        if (dialog->applyButton()->isEnabled()) {
            qWarning("Apply is enabled before the extra confirmation is ticked");
            return false;
        }
        QTest::mouseClick(confirmation, Qt::LeftButton, {},
                          QPoint(8, confirmation->height() / 2));
    }
    if (!dialog->applyButton()->isEnabled()) {
        qWarning("Apply stays disabled with a reason");
        return false;
    }
    QTest::mouseClick(dialog->applyButton(), Qt::LeftButton);
    return true;
}

qint64 queueSetting(FleetWriter &writer, const QString &queue, const QString &column)
{
    // `column` is one of the tests' own literals, never input.
    return scalar(writer, QStringLiteral("SELECT %1 FROM queues WHERE name = $1").arg(column),
                  {queue});
}

bool queuePaused(FleetWriter &writer, const QString &queue)
{
    return scalar(writer, QStringLiteral("SELECT COUNT(*) FROM queues WHERE name = $1 AND paused"),
                  {queue})
           == 1;
}

QList<AuditEntry> auditRows(FleetWriter &writer, const QString &action)
{
    const sql::Rows rows = writer.connection().query(
        QStringLiteral("SELECT id, database_user, os_user, target, before_state, after_state, "
                       "reason FROM audit_log WHERE action = $1 ORDER BY id"),
        {action});
    QList<AuditEntry> entries;
    for (int r = 0; r < rows.size(); ++r) {
        AuditEntry entry;
        entry.id = rows.int64(r, 0);
        entry.databaseUser = rows.text(r, 1);
        entry.osUser = rows.text(r, 2);
        entry.action = action;
        entry.target = rows.text(r, 3);
        entry.before = rows.text(r, 4);
        entry.after = rows.text(r, 5);
        entry.reason = rows.text(r, 6);
        entries << entry;
    }
    return entries;
}

} // namespace mc::test
