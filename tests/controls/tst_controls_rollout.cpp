// Rollout on a real database: the preview's count against what the workers' admission then
// does, the lowering warning, and a conflict with another operator's change.

#include "tst_controls.h"

#include "controls_console.h"
#include "fleet/admission.h"
#include "message_banner.h"
#include "number_text.h"
#include "reason_dialog.h"
#include "rollout_editor.h"

#include <QCheckBox>
#include <QDateTime>
#include <QDoubleSpinBox>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QPushButton>
#include <QTest>

using namespace mc;
using namespace mc::test;

namespace {

// Admits in batches of 10 000, as merge-sim's workers do, until nobody is left to admit.
qint64 admitAll(FleetWriter &writer, const QString &portal, int basisPoints)
{
    fleet::Admission admission(writer.connection());
    qint64 total = 0;
    for (;;) {
        const qsizetype admitted = admission.admit(portal, basisPoints, 10'000).size();
        if (admitted == 0)
            return total;
        total += admitted;
    }
}

bool flagAt(FleetWriter &writer, const QString &portal, const QString &percentage)
{
    return scalar(writer,
                  QStringLiteral("SELECT COUNT(*) FROM rollout_flags WHERE flag = 'merge' AND "
                                 "portal = $1 AND percentage = %1")
                      .arg(percentage), // the tests' own literal
                  {portal})
           == 1;
}

void addFinished(FleetWriter &writer, qint64 firstId, int count, UserStatus status)
{
    std::vector<NewUser> users;
    const EpochMs tenMinutesAgo = QDateTime::currentMSecsSinceEpoch() - 600'000;
    for (int i = 0; i < count; ++i) {
        NewUser user;
        user.user = UserKey{QStringLiteral("lt"), firstId + i};
        user.status = status;
        user.phase = QStringLiteral("create");
        user.startedAt = tenMinutesAgo - 60'000;
        user.finishedAt = tenMinutesAgo;
        users.push_back(user);
    }
    writer.addUsers(users);
}

} // namespace

void ControlsTest::previewCountsWhomTheWorkersAdmit()
{
    TestDatabase db(m_server);
    auto store = db.installedStore();
    auto writer = db.openWriter();
    seedCatalogue(*writer); // lt at 5 %
    addUsers(*writer, QStringLiteral("lt"), 1, 4000, UserStatus::Nil);
    QVERIFY(admitAll(*writer, QStringLiteral("lt"), 500) > 0); // the workers took the first 5 %
    addUsers(*writer, QStringLiteral("lt"), 100'001, 37, UserStatus::InProgress);
    addFinished(*writer, 200'001, 30, UserStatus::Completed);
    addFinished(*writer, 300'001, 10, UserStatus::Failed);

    ControlsConsole console(db.url(), QStringLiteral("console-a"));
    QVERIFY(console.waitLoaded());
    QTRY_VERIFY(console.rollout(QStringLiteral("lt")));
    widgets::RolloutEditor *lt = console.rollout(QStringLiteral("lt"));
    QCOMPARE(lt->spinBox()->value(), 5.0);
    QVERIFY(!lt->applyButton()->isEnabled());

    // 5 % → 30 %: the preview comes by itself once the value settles.
    console.typePercentage(lt, QStringLiteral("30"));
    QTRY_VERIFY(lt->draft().intended() == 3000 && lt->draft().hasCurrentPreview());
    const RolloutPreview preview = *lt->draft().preview();
    const qint64 expected = scalar(
        *writer, QStringLiteral("SELECT COUNT(*) FROM user_migrations WHERE source_portal = 'lt' "
                                "AND status = 'nil' AND rollout_bucket >= 500 AND "
                                "rollout_bucket < 3000"));
    QVERIFY(expected > 400);
    QCOMPARE(preview.newlyAdmitted, expected);
    QCOMPARE(preview.inProgressNow, 37);
    QCOMPARE(preview.finishedLastHour, 40);
    const QString text = lt->previewLabel()->text();
    QVERIFY2(text.contains(QStringLiteral("newly admits %1 users").arg(countText(expected))),
             qPrintable(text));
    QVERIFY2(text.contains(QStringLiteral("37 users are mid-migration now")), qPrintable(text));
    QVERIFY2(text.contains(QStringLiteral("failure rate last hour 25.0 % (of 40 finished)")),
             qPrintable(text));
    QVERIFY(lt->warningLabel()->isHidden());
    QVERIFY(flagAt(*writer, QStringLiteral("lt"), QStringLiteral("5.00"))); // nothing written

    // Apply: 25 points at once asks for an extra confirmation naming the count.
    QVERIFY(lt->applyButton()->isEnabled());
    QTest::mouseClick(lt->applyButton(), Qt::LeftButton);
    QTRY_VERIFY(lt->openDialog());
    QCheckBox *extra = lt->openDialog()->confirmationBox();
    QVERIFY(!extra->isHidden());
    QVERIFY2(extra->text().contains(QStringLiteral("%1 users").arg(countText(expected))),
             qPrintable(extra->text()));
    QVERIFY(confirmWithReason(lt->openDialog(), QStringLiteral("second wave")));
    QTRY_VERIFY(flagAt(*writer, QStringLiteral("lt"), QStringLiteral("30.00")));
    const QList<AuditEntry> entries = auditRows(*writer, QStringLiteral("set_rollout"));
    QCOMPARE(entries.size(), 1);
    QCOMPARE(entries[0].target, QStringLiteral("rollout:merge:lt"));
    QCOMPARE(entries[0].reason, QStringLiteral("second wave"));
    QCOMPARE(QJsonDocument::fromJson(entries[0].after.toUtf8()).object(),
             QJsonObject({{QStringLiteral("percentage"), QStringLiteral("30.00")}}));
    QTRY_VERIFY(!lt->draft().isStaged());

    // The workers admit exactly the users the preview counted.
    QCOMPARE(admitAll(*writer, QStringLiteral("lt"), 3000), preview.newlyAdmitted);

    // Lowering to 10 % (a quick step) admits no one and warns who stays admitted.
    QTest::mouseClick(lt->stepButton(10), Qt::LeftButton);
    QCOMPARE(lt->spinBox()->value(), 10.0);
    QTRY_VERIFY(lt->draft().intended() == 1000 && lt->draft().hasCurrentPreview());
    const qint64 stay = scalar(
        *writer, QStringLiteral("SELECT COUNT(*) FROM user_migrations WHERE source_portal = 'lt' "
                                "AND status <> 'nil' AND rollout_bucket >= 1000 AND "
                                "rollout_bucket < 3000"));
    QVERIFY(stay > 400);
    QCOMPARE(lt->draft().preview()->staysAdmittedAboveNew, stay);
    QVERIFY(!lt->warningLabel()->isHidden());
    QVERIFY2(lt->warningLabel()->text().contains(
                 QStringLiteral("The %1 users already admitted above 10.00 % stay admitted")
                     .arg(countText(stay))),
             qPrintable(lt->warningLabel()->text()));
    QVERIFY(lt->previewLabel()->text().contains(QStringLiteral("admits no one new")));
    // Discarded: back to the database's value, nothing written.
    QTest::mouseClick(lt->discardButton(), Qt::LeftButton);
    QCOMPARE(lt->spinBox()->value(), 30.0);
    QVERIFY(lt->warningLabel()->isHidden());
    QCOMPARE(auditRows(*writer, QStringLiteral("set_rollout")).size(), 1);
}

void ControlsTest::rolloutConflictIsShownAndAskedAgain()
{
    TestDatabase db(m_server);
    auto store = db.installedStore();
    auto writer = db.openWriter();
    seedCatalogue(*writer);
    addUsers(*writer, QStringLiteral("lt"), 1, 500, UserStatus::Nil);

    ControlsConsole console(db.url(), QStringLiteral("console-a"));
    QVERIFY(console.waitLoaded());
    QTRY_VERIFY(console.rollout(QStringLiteral("lt")));
    widgets::RolloutEditor *lt = console.rollout(QStringLiteral("lt"));
    console.typePercentage(lt, QStringLiteral("15"));
    QTRY_VERIFY(lt->draft().intended() == 1500 && lt->draft().hasCurrentPreview());
    QTest::mouseClick(lt->applyButton(), Qt::LeftButton);
    QTRY_VERIFY(lt->openDialog());
    QVERIFY(lt->openDialog()->confirmationBox()->isHidden()); // 10 points: no extra step

    // Another operator sets 10 % while the dialog is open.
    RolloutChange other;
    other.flag = QStringLiteral("merge");
    other.portal = QStringLiteral("lt");
    other.basisPoints = 1000;
    other.reason = QStringLiteral("console-b: slower, failures rising");
    other.by = Operator{QStringLiteral("console-b")};
    REQUIRE_OK(store->setRollout(other));

    QVERIFY(confirmWithReason(lt->openDialog(), QStringLiteral("a: faster")));
    QTRY_COMPARE(lt->banner()->kind(), widgets::MessageBanner::Kind::Warning);
    QVERIFY2(lt->banner()->text().contains(QStringLiteral("console-b")),
             qPrintable(lt->banner()->text()));
    QVERIFY(flagAt(*writer, QStringLiteral("lt"), QStringLiteral("10.00")));

    // Asked again with the preview counted against 10 %, the intended 15 % kept.
    QTRY_VERIFY(lt->openDialog());
    widgets::ReasonDialog *again = lt->openDialog();
    QVERIFY2(again->changesText().contains(QStringLiteral("10.00 % → 15.00 %")),
             qPrintable(again->changesText()));
    QVERIFY(again->warning().contains(QStringLiteral("console-b")));
    QCOMPARE(lt->draft().preview()->currentBasisPoints, 1000);
    QVERIFY(flagAt(*writer, QStringLiteral("lt"), QStringLiteral("10.00")));
    QVERIFY(confirmWithReason(again, QStringLiteral("a: faster, after b")));
    QTRY_VERIFY(flagAt(*writer, QStringLiteral("lt"), QStringLiteral("15.00")));
    const QList<AuditEntry> entries = auditRows(*writer, QStringLiteral("set_rollout"));
    QCOMPARE(entries.size(), 2);
    QCOMPARE(entries[1].osUser, QStringLiteral("console-a"));
    QCOMPARE(QJsonDocument::fromJson(entries[1].before.toUtf8()).object(),
             QJsonObject({{QStringLiteral("percentage"), QStringLiteral("10.00")}}));
}
