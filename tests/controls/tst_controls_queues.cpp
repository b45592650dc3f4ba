// Queues on a real database: staged edits and Apply, pause and resume, and two consoles
// editing the same queue.

#include "tst_controls.h"

#include "controls_console.h"
#include "message_banner.h"
#include "queue_editor.h"
#include "reason_dialog.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QPushButton>
#include <QTest>

using namespace mc;
using namespace mc::test;
using Column = mc::QueueSettingsModel;

namespace {

QJsonObject json(const QString &text)
{
    return QJsonDocument::fromJson(text.toUtf8()).object();
}

qint64 setQueueEntries(FleetWriter &writer)
{
    return auditRows(writer, QStringLiteral("set_queue")).size();
}

} // namespace

void ControlsTest::stagedEditAppliesOneAuditedChange()
{
    TestDatabase db(m_server);
    auto store = db.installedStore();
    auto writer = db.openWriter();
    seedCatalogue(*writer);
    const QString queue = QStringLiteral("create_high");
    const qint64 version = queueSetting(*writer, queue, QStringLiteral("version"));

    ControlsConsole console(db.url(), QStringLiteral("console-a"));
    QVERIFY(console.waitLoaded());
    QCOMPARE(console.model()->rowCount(), 3);
    QCOMPARE(console.cell(queue, Column::Parallelism).data().toString(), QStringLiteral("8"));
    QVERIFY(!console.queues()->applyButton()->isEnabled());

    // Staged: highlighted, shown in place, and nothing written, through several refreshes.
    QVERIFY(console.editCell(queue, Column::Parallelism, 12));
    QVERIFY(console.cell(queue, Column::Parallelism).data(Column::StagedRole).toBool());
    QCOMPARE(console.cell(queue, Column::Parallelism).data().toString(), QStringLiteral("12"));
    QVERIFY(console.queues()->applyButton()->isEnabled());
    QVERIFY(console.waitRefreshes(3));
    QCOMPARE(console.cell(queue, Column::Parallelism).data().toString(), QStringLiteral("12"));
    QCOMPARE(queueSetting(*writer, queue, QStringLiteral("parallelism")), 8);
    QCOMPARE(queueSetting(*writer, queue, QStringLiteral("version")), version);
    QCOMPARE(setQueueEntries(*writer), 0);

    // Apply… shows before → after and needs a reason; one change, one audit entry.
    QTest::mouseClick(console.queues()->applyButton(), Qt::LeftButton);
    QTRY_VERIFY(console.queues()->openDialog());
    widgets::ReasonDialog *dialog = console.queues()->openDialog();
    QVERIFY2(dialog->changesText().contains(QStringLiteral("parallelism 8 → 12")),
             qPrintable(dialog->changesText()));
    QVERIFY(dialog->changesText().contains(queue));
    QVERIFY(confirmWithReason(dialog, QStringLiteral("more workers for the backlog")));
    QTRY_COMPARE(queueSetting(*writer, queue, QStringLiteral("parallelism")), 12);
    QCOMPARE(queueSetting(*writer, queue, QStringLiteral("version")), version + 1);
    const QList<AuditEntry> entries = auditRows(*writer, QStringLiteral("set_queue"));
    QCOMPARE(entries.size(), 1);
    QCOMPARE(entries[0].target, QStringLiteral("queue:create_high"));
    QCOMPARE(entries[0].osUser, QStringLiteral("console-a"));
    QCOMPARE(json(entries[0].before), QJsonObject({{QStringLiteral("parallelism"), 8}}));
    QCOMPARE(json(entries[0].after), QJsonObject({{QStringLiteral("parallelism"), 12}}));
    QCOMPARE(entries[0].reason, QStringLiteral("more workers for the backlog"));
    QTRY_VERIFY(!console.model()->hasStagedEdits());
    QVERIFY(!console.cell(queue, Column::Parallelism).data(Column::StagedRole).toBool());
    QCOMPARE(console.cell(queue, Column::Parallelism).data().toString(), QStringLiteral("12"));
    QVERIFY(console.queues()->banner()->text().contains(QStringLiteral("Applied")));
    QCOMPARE(console.queues()->banner()->kind(), widgets::MessageBanner::Kind::Info);

    // Discarded edits write nothing; a cancelled dialog writes nothing.
    QVERIFY(console.editCell(queue, Column::MaxAttempts, 7));
    QVERIFY(console.editCell(QStringLiteral("serialize"), Column::RunEvery, 250));
    QTest::mouseClick(console.queues()->applyButton(), Qt::LeftButton);
    QTRY_VERIFY(console.queues()->openDialog());
    console.queues()->openDialog()->reject();
    QTest::mouseClick(console.queues()->discardButton(), Qt::LeftButton);
    QVERIFY(!console.model()->hasStagedEdits());
    QVERIFY(console.waitRefreshes(2));
    QCOMPARE(console.cell(queue, Column::MaxAttempts).data().toString(), QStringLiteral("5"));
    QCOMPARE(queueSetting(*writer, queue, QStringLiteral("max_attempts")), 5);
    QCOMPARE(queueSetting(*writer, QStringLiteral("serialize"), QStringLiteral("run_every_ms")),
             1000);
    QCOMPARE(setQueueEntries(*writer), 1);
}

void ControlsTest::pauseAndResumeAskForAReason()
{
    TestDatabase db(m_server);
    auto store = db.installedStore();
    auto writer = db.openWriter();
    seedCatalogue(*writer);
    const QString queue = QStringLiteral("serialize");
    ControlsConsole console(db.url(), QStringLiteral("console-a"));
    QVERIFY(console.waitLoaded());

    QPushButton *pause = console.queues()->pauseButton(queue);
    QVERIFY(pause);
    QCOMPARE(pause->text(), QStringLiteral("Pause"));
    QTest::mouseClick(pause, Qt::LeftButton);
    QTRY_VERIFY(console.queues()->openDialog());
    QVERIFY(console.queues()->openDialog()->changesText().contains(QStringLiteral("paused no → yes")));
    QVERIFY(confirmWithReason(console.queues()->openDialog(),
                              QStringLiteral("target database maintenance")));
    QTRY_VERIFY(queuePaused(*writer, queue));
    QTRY_COMPARE(console.queues()->pauseButton(queue)->text(), QStringLiteral("Resume"));
    QCOMPARE(console.cell(queue, Column::Paused).data().toString(), QStringLiteral("paused"));

    QTest::mouseClick(console.queues()->pauseButton(queue), Qt::LeftButton);
    QTRY_VERIFY(console.queues()->openDialog());
    QVERIFY(console.queues()->openDialog()->changesText().contains(QStringLiteral("paused yes → no")));
    // A reason full of hostile text goes into the audit log as typed, control characters
    // (a pasted NUL) dropped.
    const QString hostile = QStringLiteral("maintenance done'; DROP TABLE queues; -- \u202e"
                                           "<b>bold</b> %s %n \U0001F642 \u0000x");
    QVERIFY(confirmWithReason(console.queues()->openDialog(), hostile));
    QTRY_VERIFY(!queuePaused(*writer, queue));
    QTRY_COMPARE(console.queues()->pauseButton(queue)->text(), QStringLiteral("Pause"));

    const QList<AuditEntry> entries = auditRows(*writer, QStringLiteral("set_queue"));
    QCOMPARE(entries.size(), 2);
    QCOMPARE(entries[0].target, QStringLiteral("queue:serialize"));
    QCOMPARE(json(entries[0].after), QJsonObject({{QStringLiteral("paused"), true}}));
    QCOMPARE(entries[0].reason, QStringLiteral("target database maintenance"));
    QCOMPARE(json(entries[1].before), QJsonObject({{QStringLiteral("paused"), true}}));
    QCOMPARE(json(entries[1].after), QJsonObject({{QStringLiteral("paused"), false}}));
    QCOMPARE(entries[1].reason, QString(hostile).remove(QChar(0)));
    QCOMPARE(queueSetting(*writer, queue, QStringLiteral("parallelism")), 4); // untouched
}

void ControlsTest::twoConsolesNeverOverwriteEachOther()
{
    TestDatabase db(m_server);
    auto store = db.installedStore();
    auto writer = db.openWriter();
    seedCatalogue(*writer);
    const QString queue = QStringLiteral("create_low");
    ControlsConsole a(db.url(), QStringLiteral("console-a"));
    ControlsConsole b(db.url(), QStringLiteral("console-b"));
    QVERIFY(a.waitLoaded());
    QVERIFY(b.waitLoaded());

    // Both stage a change of the same queue from the same row.
    QVERIFY(a.editCell(queue, Column::Parallelism, 6));
    QVERIFY(b.editCell(queue, Column::Parallelism, 9));
    QTest::mouseClick(a.queues()->applyButton(), Qt::LeftButton);
    QTRY_VERIFY(a.queues()->openDialog());
    QVERIFY(confirmWithReason(a.queues()->openDialog(), QStringLiteral("a: drain the backlog")));
    QTRY_COMPARE(queueSetting(*writer, queue, QStringLiteral("parallelism")), 6);

    // B sees the row move underneath its staged edit before applying anything.
    QTRY_VERIFY(b.model()->rowChangedUnder(queue));
    QCOMPARE(b.cell(queue, Column::Parallelism).data().toString(), QStringLiteral("9"));
    QCOMPARE(b.cell(queue, Column::Parallelism).data(Column::DatabaseValueRole).toInt(), 6);
    const auto *staged = b.queues()->findChild<QLabel *>(QStringLiteral("stagedLabel"));
    QVERIFY2(staged->text().contains(QStringLiteral("changed in the database")),
             qPrintable(staged->text()));

    // B applies anyway: the store refuses, B is told who changed what, nothing is overwritten.
    QTest::mouseClick(b.queues()->applyButton(), Qt::LeftButton);
    QTRY_VERIFY(b.queues()->openDialog());
    QVERIFY(b.queues()->openDialog()->warning().contains(QStringLiteral("since you edited it")));
    QVERIFY(confirmWithReason(b.queues()->openDialog(), QStringLiteral("b: more for the low queue")));
    QTRY_VERIFY(b.queues()->banner()->kind() == widgets::MessageBanner::Kind::Warning);
    const QString conflict = b.queues()->banner()->text();
    QVERIFY2(conflict.contains(QStringLiteral("console-a")), qPrintable(conflict));
    QVERIFY2(conflict.contains(QStringLiteral("a: drain the backlog")), qPrintable(conflict));
    QCOMPARE(queueSetting(*writer, queue, QStringLiteral("parallelism")), 6);
    QCOMPARE(setQueueEntries(*writer), 1);

    // Asked again on top of the new row, the intended value still staged.
    QTRY_VERIFY(b.queues()->openDialog());
    widgets::ReasonDialog *again = b.queues()->openDialog();
    QVERIFY(again->warning().startsWith(QStringLiteral("Not applied")));
    QVERIFY2(again->changesText().contains(QStringLiteral("parallelism 6 → 9")),
             qPrintable(again->changesText()));
    QVERIFY(again->warning().contains(QStringLiteral("console-a")));
    QCOMPARE(again->reason(), QStringLiteral("b: more for the low queue"));
    QVERIFY(!b.model()->rowChangedUnder(queue));
    QCOMPARE(b.cell(queue, Column::Parallelism).data().toString(), QStringLiteral("9"));
    QCOMPARE(queueSetting(*writer, queue, QStringLiteral("parallelism")), 6);

    // Applied deliberately: now B's value holds, with its own audit entry.
    QVERIFY(confirmWithReason(again, QStringLiteral("b: more for the low queue, after a")));
    QTRY_COMPARE(queueSetting(*writer, queue, QStringLiteral("parallelism")), 9);
    const QList<AuditEntry> entries = auditRows(*writer, QStringLiteral("set_queue"));
    QCOMPARE(entries.size(), 2);
    QCOMPARE(entries[0].osUser, QStringLiteral("console-a"));
    QCOMPARE(entries[1].osUser, QStringLiteral("console-b"));
    QCOMPARE(json(entries[1].before), QJsonObject({{QStringLiteral("parallelism"), 6}}));
    QCOMPARE(json(entries[1].after), QJsonObject({{QStringLiteral("parallelism"), 9}}));
    QTRY_VERIFY(!b.model()->hasStagedEdits());
    // A, whose edit was applied, follows along without anything staged.
    QTRY_COMPARE(a.cell(queue, Column::Parallelism).data().toString(), QStringLiteral("9"));
    QVERIFY(!a.model()->hasStagedEdits());
}
