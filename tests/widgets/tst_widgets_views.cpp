// The main window wires every view to the database it connects to: Failures lists the records
// with their payload in the viewer, a failure's user opens in Users, and a change another operator
// makes shows as a notice in the status bar and as a new row in Audit. With every view open, one
// console holds at most three connections (polling, interactive, bulk).

#include "tst_widgets.h"

#include "audit_log_model.h"
#include "audit_page.h"
#include "console_harness.h"
#include "controls_page.h"
#include "database.h"
#include "failure_table_model.h"
#include "failures_page.h"
#include "payload_viewer.h"
#include "queue_editor.h"
#include "queue_settings_model.h"
#include "retry_all_dialog.h"
#include "users_page.h"

#include <QStatusBar>
#include <QTableView>
#include <QTest>

using namespace mc;
using namespace mc::test;

namespace {

// The connections to the test database the server lists, the writer's own included.
int connectionsToDatabase(FleetWriter &writer, const QString &backend)
{
    const QString sql = backend == QLatin1String("postgresql")
                            ? QStringLiteral("SELECT count(*) FROM pg_stat_activity "
                                             "WHERE datname = current_database()")
                            : QStringLiteral("SELECT count(*) FROM information_schema.processlist "
                                             "WHERE db = DATABASE()");
    return int(writer.connection().query(sql).int64(0, 0));
}

// One failed user with one failed record of model 2.
NewFailure addFailedUser(FleetWriter &writer, const UserKey &user)
{
    addUsers(writer, user.portal, user.userId, 1, UserStatus::Failed);
    NewFailure failure;
    failure.user = user;
    failure.modelId = 2;
    failure.errorClass = QStringLiteral("Merge::Timeout");
    failure.message = QStringLiteral("create item 7 timed out");
    failure.payload = QByteArrayLiteral("{\"id\": 7, \"title\": \"Ünïcødé\"}");
    writer.addFailure(failure);
    return failure;
}

} // namespace

void WidgetsTest::everyViewWorksOnTheConnectedDatabase()
{
    TestDatabase db(m_server);
    auto store = db.installedStore();
    auto writer = db.openWriter();
    seedCatalogue(*writer);
    const UserKey user{QStringLiteral("lt"), 42};
    const NewFailure failure = addFailedUser(*writer, user);

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

void WidgetsTest::everyViewOpenUsesAtMostThreeConnections()
{
    TestDatabase db(m_server);
    auto writer = db.openWriter();
    {
        auto store = db.installedStore();
        seedCatalogue(*writer);
    }
    const UserKey user{QStringLiteral("lt"), 7};
    addFailedUser(*writer, user);
    QTRY_COMPARE(connectionsToDatabase(*writer, m_server.backend), 1); // the writer alone

    ConsoleHarness console;
    widgets::MainWindow &window = *console.window;
    window.connectTo(db.url());
    QTRY_VERIFY_WITH_TIMEOUT(console.live.hasSnapshot(), 15'000);
    // Every view, each loaded; a bulk dialog too (it counts on the bulk connection).
    window.showPage(widgets::MainWindow::Page::Failures);
    QTRY_COMPARE_WITH_TIMEOUT(window.failuresPage()->failureModel()->rowCount(), 1, 10'000);
    emit window.failuresPage()->userRequested(user);
    QTRY_VERIFY_WITH_TIMEOUT(window.usersPage()->shownUser() == user, 10'000);
    window.showPage(widgets::MainWindow::Page::Controls);
    QTRY_VERIFY_WITH_TIMEOUT(window.controlsPage()->queueEditor()->model()->rowCount() > 0,
                             10'000);
    window.showPage(widgets::MainWindow::Page::Audit);
    QTRY_VERIFY_WITH_TIMEOUT(window.auditPage()->model()->rowCount() >= 1, 10'000);
    emit window.failuresPage()->retryAllRequested(FailureFilter{});
    auto *dialog = window.findChild<widgets::RetryAllDialog *>();
    QVERIFY(dialog);
    QTRY_COMPARE_WITH_TIMEOUT(dialog->state(), widgets::RetryAllDialog::State::Ready, 10'000);
    window.showPage(widgets::MainWindow::Page::Overview);
    QTest::qWait(3 * ConsoleHarness::kIntervalMs);

    const int used = connectionsToDatabase(*writer, m_server.backend) - 1;
    qInfo("connections of one console with every view open: %d", used);
    QVERIFY2(used <= Database::kConnections, qPrintable(QString::number(used)));
    QCOMPARE(used, 3); // polling, interactive and bulk, each in use

    // Disconnecting closes them all.
    console.database.close();
    QTRY_COMPARE_WITH_TIMEOUT(connectionsToDatabase(*writer, m_server.backend), 1, 10'000);
}
