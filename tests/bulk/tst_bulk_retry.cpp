// Retry all: the dialog's count is the number of users that then move, a cancelled or broken run
// leaves every user moved or untouched, and nothing runs without a reason. Statuses, jobs and
// audit entries are checked with plain SQL and the audit API, not through the dialog.

#include "tst_bulk.h"

#include "bulk_fixture.h"
#include "retry_all_dialog.h"
#include "view_host.h"

#include <QFrame>
#include <QLabel>
#include <QLineEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QSignalSpy>
#include <QTest>

using namespace mc;
using namespace mc::test;
using mc::widgets::RetryAllDialog;

namespace {

constexpr int kLongWait = 60'000;

qint64 addFailure(FleetWriter &writer, const UserKey &user, int model, const QString &message)
{
    NewFailure f;
    f.user = user;
    f.modelId = model;
    f.errorClass = QStringLiteral("Net::ReadTimeout");
    f.message = message;
    return writer.addFailure(f);
}

QString key(const QString &portal, qint64 id)
{
    return QStringLiteral("%1:%2").arg(portal).arg(id);
}

// Shows the dialog and waits for its count.
bool showAndCount(RetryAllDialog &dialog)
{
    dialog.show();
    if (!QTest::qWaitForWindowExposed(&dialog))
        return false;
    return QTest::qWaitFor([&] { return dialog.state() != RetryAllDialog::State::Counting; },
                           kLongWait);
}

// Types the reason, clicks Retry and waits for the first committed batch.
void startAndWaitForProgress(RetryAllDialog &dialog, const QString &reason,
                             const QString &screenshot = QString())
{
    QTest::keyClicks(dialog.reasonField(), reason);
    QVERIFY(dialog.retryButton()->isEnabled());
    if (!screenshot.isEmpty())
        saveScreenshot(&dialog, screenshot);
    QTest::mouseClick(dialog.retryButton(), Qt::LeftButton);
    QCOMPARE(dialog.state(), RetryAllDialog::State::Running);
    QTRY_VERIFY_WITH_TIMEOUT(dialog.progressBar()->value() > 0, kLongWait);
}

// Every user is either moved (pending, named in an audit entry, one serialize job) or untouched.
void checkMovedOrUntouched(TestDatabase &db, FleetWriter &writer, qint64 moved,
                           qint64 failedBefore, const QString &reason)
{
    const QSet<QString> pending = usersWithStatus(writer, UserStatus::Pending);
    QCOMPARE(qint64(pending.size()), moved);
    QCOMPARE(qint64(usersWithStatus(writer, UserStatus::Failed).size()), failedBefore - moved);
    QCOMPARE(scalar(writer, QStringLiteral("SELECT COUNT(*) FROM queue_jobs WHERE "
                                           "queue_name = 'serialize'")),
             moved);
    auto store = db.openStore();
    int entries = 0;
    QSet<QString> reasons;
    QCOMPARE(usersInRetryAudit(*store, &entries, &reasons), pending);
    if (moved > 0)
        QCOMPARE(reasons, QSet<QString>{reason});
}

} // namespace

void BulkTest::retryButtonWaitsForAReason()
{
    TestDatabase db(m_server);
    auto store = db.installedStore();
    auto writer = db.openWriter();
    seedCatalogue(*writer);
    addUsersWithFailures(*writer, QStringLiteral("lt"), 1, 3, UserStatus::Failed, 2,
                         QStringLiteral("read timeout"));

    OpenDatabase opened(db.url());

    RetryAllDialog dialog(&opened.failures, FailureFilter{});
    QVERIFY(!dialog.retryButton()->isEnabled()); // counting
    QVERIFY(showAndCount(dialog));
    QCOMPARE(dialog.state(), RetryAllDialog::State::Ready);
    QCOMPARE(dialog.count(), std::optional<qint64>(3));
    QVERIFY(!dialog.retryButton()->isEnabled());

    QTest::keyClicks(dialog.reasonField(), QStringLiteral("    "));
    QVERIFY(!dialog.retryButton()->isEnabled());
    dialog.reasonField()->setText(QStringLiteral(" \t\u00a0\u2003 "));
    QVERIFY(!dialog.retryButton()->isEnabled());
    QTest::mouseClick(dialog.retryButton(), Qt::LeftButton);
    QCOMPARE(dialog.state(), RetryAllDialog::State::Ready);

    dialog.reasonField()->clear();
    QTest::keyClicks(dialog.reasonField(), QStringLiteral("x"));
    QVERIFY(dialog.retryButton()->isEnabled());
    QTest::keyClick(dialog.reasonField(), Qt::Key_Backspace);
    QVERIFY(!dialog.retryButton()->isEnabled());

    // Nothing moved on the way.
    QCOMPARE(usersWithStatus(*writer, UserStatus::Failed).size(), 3);
    QCOMPARE(scalar(*writer, QStringLiteral("SELECT COUNT(*) FROM audit_log WHERE action = "
                                            "'retry_users'")),
             0);
}

void BulkTest::dialogCountIsExactlyTheUsersThenMoved()
{
    TestDatabase db(m_server);
    auto store = db.installedStore();
    auto writer = db.openWriter();
    seedCatalogue(*writer);
    addUsers(*writer, QStringLiteral("lt"), 1, 40, UserStatus::Failed);
    addUsers(*writer, QStringLiteral("de"), 1, 20, UserStatus::Failed);
    addUsers(*writer, QStringLiteral("lt"), 100, 1, UserStatus::Completed);
    addUsers(*writer, QStringLiteral("lt"), 101, 1, UserStatus::Pending);
    addUsers(*writer, QStringLiteral("lt"), 102, 1, UserStatus::Failed);
    QSet<QString> expected;
    for (int id = 1; id <= 40; ++id) {
        // lt users with an odd id fail on items with "timeout" (some twice: counted once);
        // the even ones on followers.
        const bool match = id % 2 == 1;
        addFailure(*writer, {QStringLiteral("lt"), id}, match ? 2 : 3,
                   match ? QStringLiteral("read timeout after 30s") : QStringLiteral("timeout"));
        if (match && id < 10)
            addFailure(*writer, {QStringLiteral("lt"), id}, 2, QStringLiteral("timeout again"));
        if (match)
            expected.insert(key(QStringLiteral("lt"), id));
    }
    for (int id = 1; id <= 20; ++id) // another portal
        addFailure(*writer, {QStringLiteral("de"), id}, 2, QStringLiteral("read timeout"));
    // Matching failures of users that are not failed any more, or whose failure QA ignored.
    addFailure(*writer, {QStringLiteral("lt"), 100}, 2, QStringLiteral("read timeout"));
    addFailure(*writer, {QStringLiteral("lt"), 101}, 2, QStringLiteral("read timeout"));
    ResolutionChange ignore;
    ignore.failureIds = {addFailure(*writer, {QStringLiteral("lt"), 102}, 2,
                                    QStringLiteral("read timeout"))};
    ignore.reason = QStringLiteral("known, harmless");
    ignore.by = tester();
    REQUIRE_OK(store->setResolution(ignore));
    const QSet<QString> failedBefore = usersWithStatus(*writer, UserStatus::Failed);

    FailureFilter filter;
    filter.portal = QStringLiteral("lt");
    filter.modelId = 2;
    filter.searchText = QStringLiteral("timeout");
    OpenDatabase opened(db.url());
    RetryAllDialog dialog(&opened.failures, filter);
    dialog.setBatchSize(7);
    QSignalSpy ended(&dialog, &RetryAllDialog::retryEnded);
    QVERIFY(showAndCount(dialog));
    QCOMPARE(dialog.state(), RetryAllDialog::State::Ready);
    QCOMPARE(dialog.count(), std::optional<qint64>(expected.size()));
    QCOMPARE(dialog.countLabel()->text(), QLocale().toString(expected.size()));
    QVERIFY(dialog.retryButton()->text().contains(QStringLiteral("20 users")));
    QVERIFY(dialog.findChild<QLabel *>(QStringLiteral("filterText"))
                ->text()
                .contains(QStringLiteral("timeout")));

    // A hostile reason goes into the audit log exactly as typed.
    const QString reason = QStringLiteral("SUP-7: «timeout» fixed, \"deploy 42\" 🚀 "
                                          "\u05E2\u05D1\u05E8\u05D9\u05EA \u202Egnp.exe");
    // QTest types Latin-1 only: the rest goes in as a paste would.
    QTest::keyClicks(dialog.reasonField(), QStringLiteral("SUP-7: "));
    QVERIFY(dialog.retryButton()->isEnabled());
    dialog.reasonField()->insert(reason.mid(7));
    QCOMPARE(dialog.reasonField()->text(), reason);
    saveScreenshot(&dialog, QStringLiteral("retry-all-ready"));
    QTest::mouseClick(dialog.retryButton(), Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(dialog.state(), RetryAllDialog::State::Done, kLongWait);

    QVERIFY(dialog.report().has_value());
    const RetryReport report = *dialog.report();
    QCOMPARE(report.moved, *dialog.count());
    QCOMPARE(report.notFailed, 0);
    QCOMPARE(report.notFound, 0);
    QCOMPARE(report.batches, 3); // 20 users in batches of 7
    QVERIFY(!report.cancelled);
    QCOMPARE(ended.size(), 1);
    QCOMPARE(ended.at(0).at(0).toLongLong(), report.moved);
    QVERIFY(dialog.summaryLabel()->isVisible());
    QVERIFY(dialog.summaryLabel()->text().contains(QStringLiteral("Complete")));
    QVERIFY(dialog.summaryLabel()->text().contains(QStringLiteral("<b>20 users</b>")));
    QCOMPARE(dialog.cancelButton()->text(), QStringLiteral("Close"));

    // Exactly the filter's failed users are pending; everyone else is as before.
    QCOMPARE(usersWithStatus(*writer, UserStatus::Pending),
             expected + QSet<QString>{key(QStringLiteral("lt"), 101)});
    QCOMPARE(usersWithStatus(*writer, UserStatus::Failed), failedBefore - expected);
    QCOMPARE(usersWithStatus(*writer, UserStatus::Completed),
             QSet<QString>{key(QStringLiteral("lt"), 100)});
    int entries = 0;
    QSet<QString> reasons;
    QCOMPARE(usersInRetryAudit(*store, &entries, &reasons), expected);
    QCOMPARE(entries, 3);
    QCOMPARE(reasons, QSet<QString>{reason});
}

void BulkTest::cancelHalfwayLeavesEveryUserMovedOrUntouched()
{
    TestDatabase db(m_server);
    auto store = db.installedStore();
    auto writer = db.openWriter();
    seedCatalogue(*writer);
    constexpr qint64 kUsers = 20'000;
    addUsersWithFailures(*writer, QStringLiteral("lt"), 1, kUsers, UserStatus::Failed, 2,
                         QStringLiteral("Net::ReadTimeout: read timeout after 30 s"));
    addUsersWithFailures(*writer, QStringLiteral("de"), 1, 5, UserStatus::Failed, 2,
                         QStringLiteral("read timeout")); // another portal: untouched
    writer->refreshStatistics();

    FailureFilter filter;
    filter.portal = QStringLiteral("lt");
    filter.modelId = 2;
    filter.errorClass = QStringLiteral("Net::ReadTimeout");
    OpenDatabase opened(db.url());
    RetryAllDialog dialog(&opened.failures, filter);
    dialog.setBatchSize(200);
    QVERIFY(showAndCount(dialog));
    QCOMPARE(dialog.count(), std::optional<qint64>(kUsers));
    const QString reason = QStringLiteral("INC-311: read timeouts fixed by the proxy change");
    startAndWaitForProgress(dialog, reason, QStringLiteral("retry-all"));
    saveScreenshot(&dialog, QStringLiteral("retry-all-running"));
    QCOMPARE(dialog.cancelButton()->text(), QStringLiteral("Stop"));
    QTest::mouseClick(dialog.cancelButton(), Qt::LeftButton); // no question: the button says Stop
    QTRY_COMPARE_WITH_TIMEOUT(dialog.state(), RetryAllDialog::State::Done, kLongWait);
    saveScreenshot(&dialog, QStringLiteral("retry-all-cancelled"));

    QVERIFY(dialog.report().has_value());
    const RetryReport report = *dialog.report();
    QVERIFY(report.cancelled);
    QCOMPARE(report.total, kUsers);
    QVERIFY2(report.moved > 0 && report.moved < kUsers, qPrintable(QString::number(report.moved)));
    QCOMPARE(report.moved, qint64(report.batches) * 200);
    QCOMPARE(dialog.moved(), report.moved);
    const QString summary = dialog.summaryLabel()->text();
    QVERIFY(summary.contains(QStringLiteral("Cancelled")));
    QVERIFY2(summary.contains(QLocale().toString(report.moved) + QStringLiteral(" users")),
             qPrintable(summary));
    QVERIFY2(summary.contains(QLocale().toString(kUsers - report.moved)), qPrintable(summary));

    checkMovedOrUntouched(db, *writer, report.moved, kUsers + 5, reason);
    int entries = 0;
    QSet<QString> reasons;
    usersInRetryAudit(*store, &entries, &reasons);
    QCOMPARE(entries, report.batches);
    for (qint64 id = 1; id <= 5; ++id)
        QCOMPARE(statusOf(*writer, {QStringLiteral("de"), id}), QStringLiteral("failed"));
}

void BulkTest::closingWhileRunningAsksAndStopsCleanly()
{
    TestDatabase db(m_server);
    auto store = db.installedStore();
    auto writer = db.openWriter();
    seedCatalogue(*writer);
    constexpr qint64 kUsers = 3'000;
    addUsersWithFailures(*writer, QStringLiteral("lt"), 1, kUsers, UserStatus::Failed, 2,
                         QStringLiteral("boom"));

    OpenDatabase opened(db.url());

    RetryAllDialog dialog(&opened.failures, FailureFilter{});
    dialog.setBatchSize(10);
    QVERIFY(showAndCount(dialog));
    const QString reason = QStringLiteral("close test");
    startAndWaitForProgress(dialog, reason);

    // Escape (or the window's close button) asks instead of closing.
    QTest::keyClick(&dialog, Qt::Key_Escape);
    QVERIFY(dialog.isVisible());
    QCOMPARE(dialog.state(), RetryAllDialog::State::Running);
    QVERIFY(dialog.findChild<QFrame *>(QStringLiteral("stopQuestion"))->isVisible());
    QTest::mouseClick(dialog.stopButton(), Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(dialog.state(), RetryAllDialog::State::Done, kLongWait);
    QVERIFY(dialog.isVisible()); // the summary stays to be read
    QVERIFY(dialog.report().has_value());
    QVERIFY(dialog.report()->cancelled);
    checkMovedOrUntouched(db, *writer, dialog.report()->moved, kUsers, reason);

    dialog.reject(); // now it closes
    QVERIFY(!dialog.isVisible());
}

void BulkTest::serverGoneMidRunKeepsTheCommittedBatches()
{
    TestDatabase db(m_server);
    auto store = db.installedStore();
    auto writer = db.openWriter();
    seedCatalogue(*writer);
    constexpr qint64 kUsers = 5'000;
    addUsersWithFailures(*writer, QStringLiteral("lt"), 1, kUsers, UserStatus::Failed, 2,
                         QStringLiteral("boom"));

    OpenDatabase opened(db.url());

    RetryAllDialog dialog(&opened.failures, FailureFilter{});
    dialog.setBatchSize(10);
    QVERIFY(showAndCount(dialog));
    const QString reason = QStringLiteral("server goes away");
    startAndWaitForProgress(dialog, reason);
    QVERIFY(killOtherConnections(*writer, m_server.backend) > 0);
    QTRY_COMPARE_WITH_TIMEOUT(dialog.state(), RetryAllDialog::State::Done, kLongWait);

    QVERIFY(!dialog.report().has_value()); // it ended by an error
    QVERIFY(!dialog.findChild<QLabel *>(QStringLiteral("problem"))->text().isEmpty());
    const qint64 moved = dialog.moved();
    QVERIFY2(moved > 0 && moved < kUsers, qPrintable(QString::number(moved)));
    const QString summary = dialog.summaryLabel()->text();
    QVERIFY2(summary.contains(QLocale().toString(moved) + QStringLiteral(" users")),
             qPrintable(summary));
    QVERIFY(summary.contains(QStringLiteral("not touched")));
    checkMovedOrUntouched(db, *writer, moved, kUsers, reason);
}
