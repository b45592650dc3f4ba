// The main window wires every view to the database it connects to: Failures lists the records
// with their payload in the viewer, a failure's user opens in Users, and a change another operator
// makes shows as a notice in the status bar and as a new row in Audit.

#include "tst_widgets.h"

#include "audit_log_model.h"
#include "audit_page.h"
#include "console_harness.h"
#include "controls_page.h"
#include "failure_table_model.h"
#include "failures_page.h"
#include "payload_viewer.h"
#include "users_page.h"

#include <QStatusBar>
#include <QTableView>
#include <QTest>

using namespace mc;
using namespace mc::test;

void WidgetsTest::everyViewWorksOnTheConnectedDatabase()
{
    TestDatabase db(m_server);
    auto store = db.installedStore();
    auto writer = db.openWriter();
    seedCatalogue(*writer);
    const UserKey user{QStringLiteral("lt"), 42};
    addUsers(*writer, user.portal, user.userId, 1, UserStatus::Failed);
    NewFailure failure;
    failure.user = user;
    failure.modelId = 2;
    failure.errorClass = QStringLiteral("Merge::Timeout");
    failure.message = QStringLiteral("create item 7 timed out");
    failure.payload = QByteArrayLiteral("{\"id\": 7, \"title\": \"Ünïcødé\"}");
    writer->addFailure(failure);

    ConsoleHarness console;
    widgets::MainWindow &window = *console.window;
    window.connectTo(db.url()); // as File › Connect does: the session and every view
    QTRY_VERIFY_WITH_TIMEOUT(console.live.hasSnapshot(), 15'000);

    // Failures: the record, and its payload in the viewer once the row is current.
    QTest::keyClick(&window, Qt::Key_2, Qt::ControlModifier);
    QCOMPARE(window.currentPage(), widgets::MainWindow::Page::Failures);
    widgets::FailuresPage *failures = window.failuresPage();
    QTRY_COMPARE_WITH_TIMEOUT(failures->failureModel()->rowCount(), 1, 10'000);
    failures->table()->setCurrentIndex(failures->failureModel()->index(0, 0));
    QTRY_COMPARE_WITH_TIMEOUT(failures->payloadViewer()->payload(), failure.payload, 10'000);
    QVERIFY(failures->payloadViewer()->summary().contains(QStringLiteral("valid JSON")));

    // The record's user opens in Users with its dossier.
    emit failures->userRequested(user);
    QCOMPARE(window.currentPage(), widgets::MainWindow::Page::Users);
    QTRY_VERIFY_WITH_TIMEOUT(window.usersPage()->shownUser() == user, 10'000);

    // Another operator changes a queue: a notice within the watcher's poll, a row in Audit.
    QTest::keyClick(&window, Qt::Key_5, Qt::ControlModifier);
    QCOMPARE(window.currentPage(), widgets::MainWindow::Page::Audit);
    QTRY_VERIFY_WITH_TIMEOUT(window.auditPage()->model()->rowCount() >= 1, 10'000); // install
    const int entriesBefore = window.auditPage()->model()->rowCount();
    QueueChange change;
    change.queue = QStringLiteral("create_high");
    change.parallelism = 3;
    change.reason = QStringLiteral("night shift");
    change.by = Operator{QStringLiteral("bob")};
    REQUIRE_OK(store->updateQueue(change));
    QTRY_VERIFY_WITH_TIMEOUT(window.statusBar()->currentMessage().contains(
                                 QStringLiteral("night shift")),
                             6'000);
    QVERIFY(window.statusBar()->currentMessage().contains(QStringLiteral("bob")));
    QTRY_COMPARE_WITH_TIMEOUT(window.auditPage()->model()->rowCount(), entriesBefore + 1, 6'000);
}
