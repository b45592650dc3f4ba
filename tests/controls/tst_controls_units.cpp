// The Controls view's pieces without a database: notices, staged queue edits, rollout drafts.

#include "tst_controls_units.h"

#include "audit_notice.h"
#include "number_text.h"
#include "queue_settings_model.h"
#include "rollout_draft.h"
#include "scratch_settings.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QSettings>
#include <QTest>

using namespace mc;

namespace {

AuditEntry entry(const QString &action, const QString &target, const QString &before,
                 const QString &after, const QString &reason)
{
    AuditEntry e;
    e.id = 7;
    e.databaseUser = QStringLiteral("lead");
    e.osUser = QStringLiteral("bob");
    e.action = action;
    e.target = target;
    e.before = before;
    e.after = after;
    e.reason = reason;
    return e;
}

QueueState queue(const QString &name, int parallelism, qint64 version)
{
    QueueState q;
    q.name = name;
    q.parallelism = parallelism;
    q.runEveryMs = 1000;
    q.maxAttempts = 3;
    q.version = version;
    q.updatedBy = QStringLiteral("lead (bob)");
    return q;
}

} // namespace

void ControlsUnitsTest::initTestCase()
{
    QVERIFY(mc::test::useScratchSettings(m_settingsDir, QStringLiteral("tst_controls_units")));
}

void ControlsUnitsTest::noticesSayWhoDidWhatAndWhy()
{
    QCOMPARE(auditNotice(entry(QStringLiteral("set_queue"), QStringLiteral("queue:create_high"),
                               QStringLiteral(R"({"parallelism":4})"),
                               QStringLiteral(R"({"parallelism":8})"),
                               QStringLiteral("more workers"))),
             QStringLiteral("bob (db: lead) set parallelism of create_high 4 → 8: more workers"));
    QCOMPARE(auditNotice(entry(QStringLiteral("set_queue"), QStringLiteral("queue:serialize"),
                               QStringLiteral(R"({"max_attempts":3,"parallelism":4})"),
                               QStringLiteral(R"({"max_attempts":5,"parallelism":6})"),
                               QStringLiteral("two\nlines"))),
             QStringLiteral("bob (db: lead) set max attempts of serialize 3 → 5, parallelism "
                            "4 → 6: two lines"));
    QCOMPARE(auditNotice(entry(QStringLiteral("set_queue"), QStringLiteral("queue:serialize"),
                               QStringLiteral(R"({"paused":false})"),
                               QStringLiteral(R"({"paused":true})"), QStringLiteral("db upgrade"))),
             QStringLiteral("bob (db: lead) paused serialize: db upgrade"));
    QCOMPARE(auditNotice(entry(QStringLiteral("set_rollout"), QStringLiteral("rollout:merge:lt"),
                               QStringLiteral(R"({"percentage":"5.00"})"),
                               QStringLiteral(R"({"percentage":"30.50"})"),
                               QStringLiteral("second wave"))),
             QStringLiteral("bob (db: lead) set rollout merge on lt 5.00 % → 30.50 %: "
                            "second wave"));
    AuditEntry noOsUser = entry(QStringLiteral("retry_users"), QStringLiteral("lt: 250 users"),
                                {}, {}, QStringLiteral("fixed the bug"));
    noOsUser.osUser.clear();
    QCOMPARE(auditNotice(noOsUser), QStringLiteral("lead retried lt: 250 users: fixed the bug"));
    // Several at once: the newest, and how many more.
    QCOMPARE(auditNotice(QList<AuditEntry>{noOsUser, noOsUser, noOsUser}),
             QStringLiteral("lead retried lt: 250 users: fixed the bug (and 2 more changes)"));
    // Hostile text stays one line and bounded.
    const QString huge = QString(5000, QLatin1Char('x')) + QStringLiteral("\n\r\t");
    const QString line = auditNotice(entry(QStringLiteral("set_queue"), QStringLiteral("queue:q"),
                                           QStringLiteral("not json"), QStringLiteral("{"), huge));
    QVERIFY(!line.contains(QLatin1Char('\n')));
    QVERIFY(line.size() < 400);
}

void ControlsUnitsTest::stagedEditsSurviveRefreshAndFollowOwnWrites()
{
    QueueSettingsModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSignalSpy staged(&model, &QueueSettingsModel::stagedChanged);
    model.setQueues({queue(QStringLiteral("serialize"), 4, 1), queue(QStringLiteral("create"), 8, 1)});
    QCOMPARE(model.rowCount(), 2);
    const QModelIndex cell = model.index(1, QueueSettingsModel::Parallelism);
    QVERIFY(model.flags(cell) & Qt::ItemIsEditable);
    QVERIFY(!(model.flags(model.index(1, QueueSettingsModel::Depth)) & Qt::ItemIsEditable));

    // Staging shows the staged value; invalid values are refused; the base value unstages.
    QVERIFY(model.setData(cell, 12));
    QCOMPARE(cell.data().toString(), QStringLiteral("12"));
    QVERIFY(cell.data(QueueSettingsModel::StagedRole).toBool());
    QCOMPARE(cell.data(QueueSettingsModel::DatabaseValueRole).toInt(), 8);
    QVERIFY(!model.setData(cell, -1));
    QVERIFY(!model.setData(model.index(1, QueueSettingsModel::MaxAttempts), 0));
    QVERIFY(model.setData(model.index(1, QueueSettingsModel::Parallelism), 8));
    QVERIFY(!model.hasStagedEdits());
    QVERIFY(model.setData(cell, 12));
    QVERIFY(staged.count() >= 3);

    // A refresh with another version keeps the staged value and marks the row.
    model.setQueues({queue(QStringLiteral("serialize"), 4, 1), queue(QStringLiteral("create"), 6, 2)});
    QCOMPARE(cell.data().toString(), QStringLiteral("12"));
    QCOMPARE(cell.data(QueueSettingsModel::DatabaseValueRole).toInt(), 6);
    QVERIFY(model.rowChangedUnder(QStringLiteral("create")));
    QVERIFY(model.index(1, QueueSettingsModel::Name).data(QueueSettingsModel::RowChangedRole).toBool());
    const StagedQueueEdit edit = *model.stagedEdit(QStringLiteral("create"));
    QCOMPARE(edit.base.version, qint64(1)); // still based on what was edited
    QCOMPARE(edit.changes(), QStringList{QStringLiteral("parallelism 8 → 12")});
    const QueueChange change = edit.change(QStringLiteral("why"), Operator{QStringLiteral("me")});
    QCOMPARE(change.expectVersion, std::optional<qint64>(1));
    QCOMPARE(change.parallelism, std::optional<int>(12));
    QVERIFY(!change.maxAttempts && !change.paused);

    // After a conflict: rebased on the current row, the intended value kept.
    QVERIFY(model.rebase(QStringLiteral("create")));
    QVERIFY(!model.rowChangedUnder(QStringLiteral("create")));
    QCOMPARE(model.stagedEdit(QStringLiteral("create"))->base.version, qint64(2));
    QCOMPARE(model.stagedEdit(QStringLiteral("create"))->changes(),
             QStringList{QStringLiteral("parallelism 6 → 12")});

    // Our own pause of the same row: the staged edit follows it (nobody else wrote between).
    QueueState paused = queue(QStringLiteral("create"), 6, 3);
    paused.paused = true;
    model.applied(paused, 2);
    QVERIFY(!model.rowChangedUnder(QStringLiteral("create")));
    QCOMPARE(model.stagedEdit(QStringLiteral("create"))->base.version, qint64(3));
    // Applying the staged edit itself leaves nothing staged.
    model.applied(queue(QStringLiteral("create"), 12, 4), 3);
    QVERIFY(!model.hasStagedEdits());
    QCOMPARE(cell.data().toString(), QStringLiteral("12"));

    // A queue that disappears takes its staged edit with it; discard forgets all.
    QVERIFY(model.stage(QStringLiteral("serialize"), QueueSettingsModel::RunEvery, 250));
    model.setQueues({queue(QStringLiteral("create"), 12, 4)});
    QVERIFY(!model.hasStagedEdits());
    QVERIFY(model.stage(QStringLiteral("create"), QueueSettingsModel::MaxAttempts, 9));
    model.discard();
    QVERIFY(!model.hasStagedEdits());
}

void ControlsUnitsTest::rolloutDraftKeepsTheIntendedValue()
{
    RolloutFlag flag;
    flag.flag = QStringLiteral("merge");
    flag.portal = QStringLiteral("lt");
    flag.basisPoints = 500;
    flag.version = 3;
    RolloutDraft draft(flag);
    QVERIFY(!draft.isStaged());
    QVERIFY(draft.admitsUsers());

    // Not staged: the intended value follows the database.
    flag.basisPoints = 700;
    flag.version = 4;
    QVERIFY(draft.setFlag(flag));
    QCOMPARE(draft.intended(), 700);
    QVERIFY(!draft.rowChangedUnder());

    draft.setIntended(3000);
    QVERIFY(draft.isStaged());
    QVERIFY(draft.needsPreview());
    QVERIFY(!draft.canApply());
    QVERIFY(draft.isBigJump()); // 23 points at once
    RolloutPreview preview;
    preview.flag = flag.flag;
    preview.portal = flag.portal;
    preview.currentBasisPoints = 700;
    preview.newBasisPoints = 3000;
    preview.version = 4;
    preview.newlyAdmitted = 1234;
    preview.inProgressNow = 56;
    preview.finishedLastHour = 400;
    preview.failedLastHour = 10;
    draft.setPreview(preview);
    QVERIFY(draft.canApply());
    QCOMPARE(draft.previewText(),
             QStringLiteral("7.00 % → 30.00 % newly admits 1234 users (by the same stable hash "
                            "the workers use); 56 users are mid-migration now; failure rate last "
                            "hour 2.5 % (of 400 finished)."));
    QVERIFY(draft.bigJumpConfirmation().contains(QStringLiteral("1234 users")));
    QCOMPARE(draft.change(QStringLiteral("r"), {}).expectVersion, std::optional<qint64>(4));

    // Another operator moves the row: the intended value stays, the preview is stale.
    flag.basisPoints = 1000;
    flag.version = 5;
    QVERIFY(draft.setFlag(flag));
    QCOMPARE(draft.intended(), 3000);
    QVERIFY(draft.rowChangedUnder());
    QVERIFY(!draft.hasCurrentPreview());
    QVERIFY(!draft.canApply());
    draft.acknowledgeRow();
    QVERIFY(!draft.rowChangedUnder());

    // Lowering warns that admitted users stay admitted; small steps and non-admission flags.
    draft.setIntended(200);
    preview.currentBasisPoints = 1000;
    preview.newBasisPoints = 200;
    preview.version = 5;
    preview.newlyAdmitted = 0;
    preview.staysAdmittedAboveNew = 321;
    preview.finishedLastHour = 0;
    draft.setPreview(preview);
    QVERIFY(draft.lowers() && !draft.isBigJump());
    QVERIFY(draft.lowerWarning().startsWith(QStringLiteral("The 321 users already admitted above "
                                                           "2.00 % stay admitted")));
    QVERIFY(draft.previewText().contains(QStringLiteral("no user of lt finished in the last hour")));
    draft.setIntended(10'000);
    QVERIFY(draft.isBigJump()); // to 100 % is always a big jump
    draft.setIntended(20'000);
    QCOMPARE(draft.intended(), 10'000);

    RolloutFlag dark = flag;
    dark.flag = QStringLiteral("dark_mode");
    RolloutDraft other(dark);
    other.setIntended(1100);
    QVERIFY(!other.admitsUsers());
    QVERIFY(other.canApply()); // nothing to count: no preview needed
    QCOMPARE(other.change(QStringLiteral("r"), {}).expectVersion, std::optional<qint64>(5));
    QCOMPARE(percentText(1234), QStringLiteral("12.34 %"));
}

QTEST_MAIN(ControlsUnitsTest)
