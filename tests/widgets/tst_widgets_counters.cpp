// Counters in the console: Tools ▸ Verify Counters… finds a drifted counter, repairs it with one
// audit entry; the overview never shows an impossible (negative) figure without saying so.

#include "tst_widgets.h"

#include "console_harness.h"
#include "message_banner.h"
#include "overview_page.h"
#include "reason_dialog.h"
#include "verify_counters_dialog.h"
#include "view_host.h"

#include "sql/sql_connection.h"

#include <QAction>
#include <QDir>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QTableWidget>
#include <QTest>

using namespace mc;
using namespace mc::test;

namespace {

// Adds `delta` to the counter row of lt/failed users (one stripe of it).
void corruptFailedUsers(FleetWriter &writer, qint64 delta)
{
    const qint64 stripe = scalar(writer, QStringLiteral("SELECT MIN(stripe) FROM "
                                                        "user_status_counts WHERE source_portal "
                                                        "= 'lt' AND status = 'failed'"));
    writer.connection().exec(QStringLiteral("UPDATE user_status_counts SET users = users + $1 "
                                            "WHERE source_portal = 'lt' AND status = 'failed' "
                                            "AND stripe = $2"),
                             {delta, stripe});
}

// For docs/screenshots when MC_SCREENSHOT_DIR is set (scripts/screenshots does not need it).
void shoot(QWidget &widget, const QString &name)
{
    const QString dir = qEnvironmentVariable("MC_SCREENSHOT_DIR");
    if (!dir.isEmpty())
        widget.grab().save(QDir(dir).filePath(name));
}

} // namespace

void WidgetsTest::verifyCountersFindsAndRepairsDrift()
{
    TestDatabase db(m_server);
    auto store = db.installedStore();
    auto writer = db.openWriter();
    seedCatalogue(*writer);
    writer->addUsers(usersWithStatuses(QStringLiteral("lt"), 50, 1)); // 10 of each status
    corruptFailedUsers(*writer, 7);

    test::OpenDatabase opened(db.url());
    widgets::VerifyCountersDialog dialog(&opened.failures);
    dialog.show();
    QTRY_COMPARE_WITH_TIMEOUT(dialog.driftTable()->rowCount(), 1, 15'000);
    QCOMPARE(dialog.driftTable()->item(0, 0)->text(), QStringLiteral("user_status_counts.users"));
    QCOMPARE(dialog.driftTable()->item(0, 1)->text(), QStringLiteral("lt/failed"));
    QCOMPARE(dialog.driftTable()->item(0, 2)->text(), QLocale().toString(17));
    QCOMPARE(dialog.driftTable()->item(0, 3)->text(), QLocale().toString(10));
    QTRY_VERIFY(dialog.repairButton()->isEnabled());
    shoot(dialog, QStringLiteral("verify-counters.png"));

    const qint64 entries = scalar(*writer, QStringLiteral("SELECT COUNT(*) FROM audit_log"));
    dialog.repairButton()->click();
    QVERIFY(dialog.reasonDialog());
    QVERIFY(!dialog.repairButton()->isEnabled()); // one repair at a time
    dialog.reasonDialog()->reasonEdit()->setText(QStringLiteral("counter edited by hand"));
    dialog.reasonDialog()->applyButton()->click();
    QTRY_VERIFY_WITH_TIMEOUT(dialog.summaryLabel()->text().startsWith(QStringLiteral("Repaired")),
                             15'000);
    QTRY_VERIFY(dialog.summaryLabel()->text().contains(QStringLiteral("every counter equals")));
    QCOMPARE(dialog.driftTable()->rowCount(), 0);
    QVERIFY(!dialog.repairButton()->isEnabled());
    QCOMPARE(scalar(*writer, QStringLiteral("SELECT COUNT(*) FROM audit_log")), entries + 1);
    QCOMPARE(scalar(*writer, QStringLiteral("SELECT SUM(users) FROM user_status_counts WHERE "
                                            "source_portal = 'lt' AND status = 'failed'")),
             10);
    auto check = store->verifyCounters();
    REQUIRE_OK(check);
    QVERIFY(check->drifts.isEmpty());
}

void WidgetsTest::overviewNamesAnImpossibleFigure()
{
    TestDatabase db(m_server);
    auto store = db.installedStore();
    auto writer = db.openWriter();
    seedCatalogue(*writer);
    writer->addUsers(usersWithStatuses(QStringLiteral("lt"), 10, 1)); // 2 failed
    ConsoleHarness console;
    QVERIFY(console.openAndWait(db.url()));
    widgets::MessageBanner *banner = console.window->overviewPage()->driftBanner();
    QVERIFY(banner->text().isEmpty());
    QVERIFY(console.window->verifyCountersAction());

    corruptFailedUsers(*writer, -5); // failed users: -3
    QTRY_VERIFY_WITH_TIMEOUT(!banner->text().isEmpty(), 10'000);
    QVERIFY2(banner->text().contains(QStringLiteral("failed users: -3")), qPrintable(banner->text()));
    QVERIFY2(banner->text().contains(QStringLiteral("Verify Counters")), qPrintable(banner->text()));
    QCOMPARE(banner->kind(), widgets::MessageBanner::Kind::Warning);

    auto repaired = store->repairCounters({QStringLiteral("test"), tester()});
    REQUIRE_OK(repaired);
    QVERIFY(repaired->repaired);
    QTRY_VERIFY_WITH_TIMEOUT(banner->text().isEmpty(), 10'000);
}
