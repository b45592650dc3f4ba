// The Users view on a real database: find a user, read the dossier exactly as seeded, retry one
// user, retry a pasted list. The database is checked afterwards with plain SQL.

#include "tst_support.h"

#include "id_mappings_model.h"
#include "model_progress_model.h"
#include "reason_dialog.h"
#include "retry_outcomes_model.h"
#include "status_badge.h"
#include "support_helpers.h"
#include "user_dossier_view.h"
#include "user_failures_model.h"
#include "user_list_panel.h"
#include "user_timeline_model.h"
#include "users_page.h"
#include "view_host.h"

#include <QComboBox>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QTabWidget>
#include <QTableView>
#include <QTest>

using namespace mc;
using namespace mc::test;
using mc::widgets::UsersPage;

namespace {

const UserKey kFailedUser{QStringLiteral("lt"), 101};
const UserKey kCompletedUser{QStringLiteral("lt"), 102};
constexpr qint64 kTargetId = 9101;

// One failed user with everything a dossier shows, and one completed user beside it.
// Returns the failed records' ids, newest first.
QList<qint64> seedDossier(FleetWriter &writer)
{
    seedCatalogue(writer);
    NewUser failed;
    failed.user = kFailedUser;
    failed.status = UserStatus::Failed;
    failed.phase = QStringLiteral("create");
    failed.targetUserId = kTargetId;
    failed.attempts = 3;
    failed.requestedAt = kT0 - 3 * 3'600'000;
    failed.startedAt = kT0 - 2 * 3'600'000;
    failed.finishedAt = kT0 - 2 * 3'600'000 + 125'000; // 2 m 5 s later
    failed.lastError = QStringLiteral("Timeout: the target API did not answer in 30 s");
    NewUser completed;
    completed.user = kCompletedUser;
    completed.status = UserStatus::Completed;
    completed.targetUserId = 9102;
    writer.addUsers({failed, completed});
    writer.setProgress(kFailedUser, 1, 1, 1, 1, 0);
    writer.setProgress(kFailedUser, 2, 40, 40, 37, 3);
    QList<qint64> ids;
    const QStringList classes{QStringLiteral("Timeout"), QStringLiteral("ValidationError"),
                              QStringLiteral("Timeout")};
    for (int i = 0; i < 3; ++i) {
        NewFailure f;
        f.user = kFailedUser;
        f.modelId = 2;
        f.recordId = QStringLiteral("item-%1").arg(i + 1);
        f.errorClass = classes[i];
        f.message = QStringLiteral("failure %1\nsecond line").arg(i + 1);
        f.payload = QByteArrayLiteral("{\"id\":1}");
        f.failedAt = kT0 - 2 * 3'600'000 + (i + 1) * 30'000;
        ids.prepend(writer.addFailure(f));
    }
    writer.addMapping(1, kFailedUser, 101, kTargetId);
    writer.addMapping(2, kFailedUser, 5002, 77002);
    writer.addMapping(2, kFailedUser, 5001, 77001);
    return ids;
}

void showPage(QWidget &page)
{
    page.resize(1280, 800);
    page.show();
    QVERIFY(QTest::qWaitForWindowExposed(&page));
}

bool waitForPortals(UsersPage &page)
{
    return QTest::qWaitFor([&] { return page.portalBox()->count() >= 2; }, 10'000);
}

QStringList rowTexts(const QTableView *table, int row)
{
    QStringList texts;
    for (int c = 0; c < table->model()->columnCount(); ++c)
        if (!table->isColumnHidden(c))
            texts << table->model()->index(row, c).data().toString();
    return texts;
}

} // namespace

void SupportTest::findByPortalAndIdShowsTheDossier()
{
    TestDatabase db(m_server);
    auto store = db.installedStore();
    auto writer = db.openWriter();
    const QList<qint64> failureIds = seedDossier(*writer);

    UsersView page;
    showPage(page);
    page.setDatabase(db.url());
    QVERIFY(waitForPortals(page));
    QCOMPARE(page.portalBox()->itemText(0), QStringLiteral("de"));
    QSignalSpy shown(&page, &UsersPage::dossierShown);
    QSignalSpy history(&page, &UsersPage::historyShown);
    page.portalBox()->setCurrentIndex(page.portalBox()->findText(QStringLiteral("lt")));
    QTest::keyClicks(page.userIdEdit(), QStringLiteral("101"));
    QTest::mouseClick(page.findButton(), Qt::LeftButton);
    QTRY_COMPARE(shown.size(), 1);
    QTRY_COMPARE(history.size(), 1);

    widgets::UserDossierView *view = page.dossierView();
    QCOMPARE(view->statusBadge()->status(), std::optional<UserStatus>(UserStatus::Failed));
    QCOMPARE(view->statusBadge()->text(), QStringLiteral("failed"));
    QCOMPARE(view->field(QStringLiteral("user"))->text(), QStringLiteral("lt:101"));
    QCOMPARE(view->field(QStringLiteral("phase"))->text(), QStringLiteral("create"));
    QCOMPARE(view->field(QStringLiteral("attempts"))->text(), QStringLiteral("3"));
    QCOMPARE(view->field(QStringLiteral("target"))->text(), QStringLiteral("9101"));
    QCOMPARE(view->field(QStringLiteral("duration"))->text(), QStringLiteral("2 m 5 s"));
    QCOMPARE(view->field(QStringLiteral("lastError"))->text(),
             QStringLiteral("Timeout: the target API did not answer in 30 s"));
    QCOMPARE(view->field(QStringLiteral("requested"))->toolTip(),
             QStringLiteral("2025-11-24T13:00:00.000Z"));
    QCOMPARE(view->field(QStringLiteral("started"))->toolTip(),
             QStringLiteral("2025-11-24T14:00:00.000Z"));
    QCOMPARE(view->field(QStringLiteral("finished"))->toolTip(),
             QStringLiteral("2025-11-24T14:02:05.000Z"));

    // Per-model progress: model, total, serialised, created, failed, the bar.
    QTableView *progress = view->progressTable();
    QCOMPARE(progress->model()->rowCount(), 2);
    QCOMPARE(rowTexts(progress, 0).mid(0, 5),
             (QStringList{QStringLiteral("users"), QStringLiteral("1"), QStringLiteral("1"),
                          QStringLiteral("1"), QStringLiteral("0")}));
    QCOMPARE(rowTexts(progress, 1).mid(0, 5),
             (QStringList{QStringLiteral("items"), QStringLiteral("40"), QStringLiteral("40"),
                          QStringLiteral("37"), QStringLiteral("3")}));
    QCOMPARE(progress->model()->index(1, ModelProgressModel::Progress)
                 .data(ModelProgressModel::ProgressRole).toDouble(), 37.0 / 40.0);

    // Failed records, newest first.
    QTableView *failures = view->failuresTable();
    QCOMPARE(failures->model()->rowCount(), 3);
    QCOMPARE(columnTexts(failures->model(), UserFailuresModel::RecordId),
             (QStringList{QStringLiteral("item-3"), QStringLiteral("item-2"),
                          QStringLiteral("item-1")}));
    QCOMPARE(columnTexts(failures->model(), UserFailuresModel::ErrorClass),
             (QStringList{QStringLiteral("Timeout"), QStringLiteral("ValidationError"),
                          QStringLiteral("Timeout")}));
    QCOMPARE(columnTexts(failures->model(), UserFailuresModel::Message),
             (QStringList{QStringLiteral("failure 3"), QStringLiteral("failure 2"),
                          QStringLiteral("failure 1")}));
    QCOMPARE(columnTexts(failures->model(), UserFailuresModel::Resolution),
             QStringList(3, QStringLiteral("open")));
    QCOMPARE(columnTexts(failures->model(), UserFailuresModel::ModelName),
             QStringList(3, QStringLiteral("items")));
    QCOMPARE(view->tabs()->tabText(2), QStringLiteral("Failed records (3)"));

    // Activating a failed record asks for its payload viewer.
    QSignalSpy requested(&page, &UsersPage::failureRequested);
    view->tabs()->setCurrentIndex(2);
    const QModelIndex second = failures->model()->index(1, UserFailuresModel::RecordId);
    failures->setCurrentIndex(second);
    QTest::keyClick(failures, Qt::Key_Return);
    QCOMPARE(requested.size(), 1);
    QCOMPARE(requested[0][0].toLongLong(), failureIds[1]);

    // Id mappings source → target in migration order, then source id.
    QTableView *mappings = view->mappingsTable();
    QCOMPARE(mappings->model()->rowCount(), 3);
    QCOMPARE(rowTexts(mappings, 0), (QStringList{QStringLiteral("users"), QStringLiteral("lt"),
                                                 QStringLiteral("101"), QStringLiteral("9101")}));
    QCOMPARE(rowTexts(mappings, 1), (QStringList{QStringLiteral("items"), QStringLiteral("lt"),
                                                 QStringLiteral("5001"), QStringLiteral("77001")}));
    QCOMPARE(rowTexts(mappings, 2), (QStringList{QStringLiteral("items"), QStringLiteral("lt"),
                                                 QStringLiteral("5002"), QStringLiteral("77002")}));

    // The timeline: the run's times and failed records; no retry recorded yet.
    QCOMPARE(columnTexts(view->timelineTable()->model(), UserTimelineModel::Event),
             (QStringList{QStringLiteral("requested"), QStringLiteral("started (latest run)"),
                          QStringLiteral("record failed: items"),
                          QStringLiteral("record failed: items"),
                          QStringLiteral("record failed: items"),
                          QStringLiteral("finished: failed"),
                          QStringLiteral("last update: failed")}));
    QVERIFY(view->historyNote()->text().startsWith(QStringLiteral("0 retries recorded")));

    // A user that does not exist says so and shows nothing.
    page.userIdEdit()->clear();
    QTest::keyClicks(page.userIdEdit(), QStringLiteral("555"));
    QTest::keyClick(page.userIdEdit(), Qt::Key_Return);
    QTRY_VERIFY(page.messageLabel()->text().contains(QStringLiteral("lt:555")));
    QVERIFY(!view->hasDossier());
    QVERIFY(!page.retryButton()->isEnabled());
    // Nor does a malformed id reach the database.
    page.userIdEdit()->setText(QStringLiteral("12abc"));
    QTest::mouseClick(page.findButton(), Qt::LeftButton);
    QVERIFY(page.messageLabel()->text().contains(QStringLiteral("'12abc' is not a user id")));
}

void SupportTest::findByTargetIdShowsTheSameUser()
{
    TestDatabase db(m_server);
    auto store = db.installedStore();
    auto writer = db.openWriter();
    seedDossier(*writer);

    UsersView page;
    showPage(page);
    page.setDatabase(db.url());
    QSignalSpy shown(&page, &UsersPage::dossierShown);
    QTest::keyClicks(page.targetIdEdit(), QString::number(kTargetId));
    QTest::mouseClick(page.findTargetButton(), Qt::LeftButton);
    QTRY_COMPARE(shown.size(), 1);
    QCOMPARE(shown[0][0].value<UserKey>(), kFailedUser);
    QCOMPARE(page.shownUser(), std::optional<UserKey>(kFailedUser));
    QCOMPARE(page.portalBox()->currentText(), QStringLiteral("lt"));
    QCOMPARE(page.userIdEdit()->text(), QStringLiteral("101"));
    QCOMPARE(page.dossierView()->field(QStringLiteral("attempts"))->text(), QStringLiteral("3"));
    QCOMPARE(page.dossierView()->failuresTable()->model()->rowCount(), 3);
    QCOMPARE(page.dossierView()->mappingsTable()->model()->rowCount(), 3);

    page.targetIdEdit()->setText(QStringLiteral("424242"));
    QTest::mouseClick(page.findTargetButton(), Qt::LeftButton);
    QTRY_COMPARE(page.messageLabel()->text(),
                 QStringLiteral("No user migration has target user id 424242."));
    QCOMPARE(shown.size(), 1);
}

void SupportTest::retryOneUserMovesItToPendingWithItsReason()
{
    TestDatabase db(m_server);
    auto store = db.installedStore();
    auto writer = db.openWriter();
    seedDossier(*writer);

    UsersView page;
    showPage(page);
    page.setDatabase(db.url());
    QSignalSpy shown(&page, &UsersPage::dossierShown);
    QSignalSpy history(&page, &UsersPage::historyShown);
    page.showUser(kFailedUser);
    QTRY_COMPARE(shown.size(), 1);
    QVERIFY(page.retryButton()->isEnabled());

    QSignalSpy finished(&page, &UsersPage::retryFinished);
    QTest::mouseClick(page.retryButton(), Qt::LeftButton);
    const QString reason = QStringLiteral("SUP-1234: the card was fixed, run again");
    QVERIFY(confirmWithReason(&page, reason));
    QTRY_COMPARE(finished.size(), 1);
    QCOMPARE(page.outcomeLabel()->text(),
             QStringLiteral("lt:101 moved from failed to pending; it will run again."));

    // The database: the user is pending, its failed records retried, one audit entry.
    QCOMPARE(statusOf(*writer, kFailedUser), QStringLiteral("pending"));
    QCOMPARE(statusOf(*writer, kCompletedUser), QStringLiteral("completed"));
    // Retried: the user's retry count passed the one its records were written under.
    QCOMPARE(scalar(*writer, QStringLiteral("SELECT COUNT(*) FROM failed_records f JOIN "
                                            "user_migrations u ON u.source_portal = "
                                            "f.source_portal AND u.source_user_id = "
                                            "f.source_user_id WHERE f.resolution IS NULL AND "
                                            "u.retry_count > f.retry_count")),
             3);
    const QList<AuditEntry> retries =
        allAuditEntries(*store, AuditQuery{QStringLiteral("retry_users"), {}, {}, {}, {}, {}, 100});
    QCOMPARE(retries.size(), 1);
    QCOMPARE(retries[0].reason, reason);
    QCOMPARE(retries[0].osUser, QStringLiteral("support-tester"));
    QCOMPARE(QJsonDocument::fromJson(retries[0].after.toUtf8()).object().value("users").toArray(),
             (QJsonArray{QStringLiteral("lt:101")}));

    // The dossier reloads: pending now, so no second retry; the timeline names the retry.
    QTRY_COMPARE(shown.size(), 2);
    QTRY_COMPARE(history.size(), 2);
    QCOMPARE(page.dossierView()->statusBadge()->text(), QStringLiteral("pending"));
    QVERIFY(!page.retryButton()->isEnabled());
    const QAbstractItemModel *timeline = page.dossierView()->timelineTable()->model();
    QVERIFY(columnTexts(timeline, UserTimelineModel::Event)
                .contains(QStringLiteral("retried: failed → pending")));
    QVERIFY(columnTexts(timeline, UserTimelineModel::Detail).contains(reason));
    QVERIFY(columnTexts(timeline, UserTimelineModel::Who)
                .contains(QStringLiteral("support-tester (%1)").arg(retries[0].databaseUser)));
    QVERIFY(page.dossierView()->historyNote()->text().startsWith(QStringLiteral("1 retry")));
}

void SupportTest::retryIsRefusedWithoutReasonOrForAUserNotFailed()
{
    TestDatabase db(m_server);
    auto store = db.installedStore();
    auto writer = db.openWriter();
    seedDossier(*writer);

    UsersView page;
    showPage(page);
    page.setDatabase(db.url());
    QSignalSpy shown(&page, &UsersPage::dossierShown);

    // A completed user cannot be retried: the button is disabled and says why.
    page.showUser(kCompletedUser);
    QTRY_COMPARE(shown.size(), 1);
    QCOMPARE(page.dossierView()->statusBadge()->text(), QStringLiteral("completed"));
    QVERIFY(!page.retryButton()->isEnabled());
    QVERIFY(page.retryButton()->toolTip().contains(QStringLiteral("completed")));
    QTest::mouseClick(page.retryButton(), Qt::LeftButton);
    QVERIFY(page.findChildren<widgets::ReasonDialog *>().isEmpty());

    // A failed user without a reason: the confirming button stays disabled; blanks are no reason.
    page.showUser(kFailedUser);
    QTRY_COMPARE(shown.size(), 2);
    QVERIFY(page.retryButton()->isEnabled());
    QTest::mouseClick(page.retryButton(), Qt::LeftButton);
    widgets::ReasonDialog *dialog = waitForReasonDialog(&page);
    QVERIFY(dialog);
    QVERIFY(!dialog->confirmButton()->isEnabled());
    QTest::keyClicks(dialog->reasonEdit(), QStringLiteral("   \t  "));
    QVERIFY(!dialog->confirmButton()->isEnabled());
    QTest::keyClick(dialog->reasonEdit(), Qt::Key_Return, Qt::ControlModifier);
    dialog->accept(); // even asked directly, a blank reason is refused
    QVERIFY(dialog->isVisible());
    QTest::keyClick(dialog, Qt::Key_Escape);
    QTRY_VERIFY(page.findChildren<widgets::ReasonDialog *>().isEmpty());
    QTest::qWait(200);
    QCOMPARE(statusOf(*writer, kFailedUser), QStringLiteral("failed"));
    QCOMPARE(scalar(*writer, QStringLiteral("SELECT COUNT(*) FROM audit_log WHERE action = "
                                            "'retry_users'")),
             0);
}

void SupportTest::retryPastedListReportsEveryLine()
{
    TestDatabase db(m_server);
    auto store = db.installedStore();
    auto writer = db.openWriter();
    seedCatalogue(*writer);
    addUsers(*writer, QStringLiteral("lt"), 201, 1, UserStatus::Failed);
    addUsers(*writer, QStringLiteral("lt"), 202, 1, UserStatus::Completed);
    addUsers(*writer, QStringLiteral("de"), 203, 1, UserStatus::Failed);
    addUsers(*writer, QStringLiteral("lt"), 204, 1, UserStatus::Failed); // not listed

    UsersView page;
    showPage(page);
    page.setDatabase(db.url());
    QVERIFY(waitForPortals(page));
    widgets::UserListPanel *panel = page.listPanel();
    page.tabs()->setCurrentWidget(panel);
    panel->portalBox()->setCurrentIndex(panel->portalBox()->findText(QStringLiteral("lt")));
    // As pasted: the whole text at once.
    panel->listEdit()->setPlainText(QStringLiteral("lt:201\n202\nlt:999999\nlt:abc\n\n"
                                                   "de:203\nlt:201\n"));
    QTRY_VERIFY(
        panel->checkLabel()->text().contains(QStringLiteral("Line 4: 'abc' is not a user id")));
    QVERIFY(panel->checkLabel()->text().startsWith(
        QStringLiteral("4 users, 1 duplicate, 1 invalid line.")));
    QVERIFY(panel->retryButton()->isEnabled());

    QSignalSpy finished(panel, &widgets::UserListPanel::retryFinished);
    QTest::mouseClick(panel->retryButton(), Qt::LeftButton);
    widgets::ReasonDialog *dialog = waitForReasonDialog(panel);
    QVERIFY(dialog);
    QVERIFY(dialog->findChild<QLabel *>()->text().contains(QStringLiteral("4 listed users")));
    QVERIFY(dialog->findChild<QLabel *>()->text().contains(QStringLiteral("1 invalid line")));
    QVERIFY(confirmWithReason(panel, QStringLiteral("INC-77 replay after the fix")));
    QTRY_COMPARE(finished.size(), 1);

    // One row per pasted line that is not blank, each with what happened to it.
    const QAbstractItemModel *results = panel->resultsTable()->model();
    QCOMPARE(columnTexts(results, RetryOutcomesModel::Line),
             (QStringList{"1", "2", "3", "4", "6", "7"}));
    QCOMPARE(columnTexts(results, RetryOutcomesModel::User),
             (QStringList{"lt:201", "lt:202", "lt:999999", "", "de:203", "lt:201"}));
    QCOMPARE(columnTexts(results, RetryOutcomesModel::Outcome),
             (QStringList{QStringLiteral("moved to pending"),
                          QStringLiteral("not failed (completed)"), QStringLiteral("not found"),
                          QStringLiteral("invalid line: 'abc' is not a user id"),
                          QStringLiteral("moved to pending"),
                          QStringLiteral("duplicate of an earlier line")}));
    QCOMPARE(panel->totalsLabel()->text(),
             QStringLiteral("moved to pending: 2 · not failed: 1 · not found: 1 · "
                            "duplicate lines: 1 · invalid lines: 1"));

    // The database agrees, and the audit names exactly the users moved, with the reason.
    QCOMPARE(statusOf(*writer, {QStringLiteral("lt"), 201}), QStringLiteral("pending"));
    QCOMPARE(statusOf(*writer, {QStringLiteral("lt"), 202}), QStringLiteral("completed"));
    QCOMPARE(statusOf(*writer, {QStringLiteral("de"), 203}), QStringLiteral("pending"));
    QCOMPARE(statusOf(*writer, {QStringLiteral("lt"), 204}), QStringLiteral("failed"));
    QCOMPARE(statusOf(*writer, {QStringLiteral("lt"), 999999}), QString());
    QSet<QString> audited;
    for (const AuditEntry &entry : allAuditEntries(
             *store, AuditQuery{QStringLiteral("retry_users"), {}, {}, {}, {}, {}, 100})) {
        QCOMPARE(entry.reason, QStringLiteral("INC-77 replay after the fix"));
        for (const QJsonValue &user :
             QJsonDocument::fromJson(entry.after.toUtf8()).object().value("users").toArray())
            audited.insert(user.toString());
    }
    QCOMPARE(audited, (QSet<QString>{QStringLiteral("lt:201"), QStringLiteral("de:203")}));

    // A result row opens that user's dossier.
    QSignalSpy shown(&page, &UsersPage::dossierShown);
    const QModelIndex row = results->index(1, RetryOutcomesModel::User);
    panel->resultsTable()->setCurrentIndex(row);
    QTest::keyClick(panel->resultsTable(), Qt::Key_Return);
    QTRY_COMPARE(shown.size(), 1);
    QCOMPARE(page.shownUser(), std::optional<UserKey>(UserKey{QStringLiteral("lt"), 202}));
}
