// The console as each role's login sees it, offscreen against a real server: the status bar
// names the login and its role, and every action the role may not take is disabled with why and
// which role allows it; what the role may take stays enabled.

#include "console_harness.h"
#include "controls_page.h"
#include "failures_page.h"
#include "queue_editor.h"
#include "rollout_editor.h"
#include "user_list_panel.h"
#include "users_page.h"

#include <QAction>
#include <QApplication>
#include <QPainter>
#include <QToolButton>
#include <QToolTip>
#include <QDoubleSpinBox>
#include <QLabel>
#include <QPushButton>
#include <QTableView>
#include <QTest>

using namespace mc;
using namespace mc::test;
using mc::widgets::MainWindow;

namespace {

QString needs(const QString &role, const QString &login, const QString &has)
{
    return QStringLiteral("Needs %1: your login %2 has %3").arg(role, login, has);
}

// Disabled, and its tooltip says why.
template<typename Item>
bool refused(Item *item, const QString &why)
{
    if (item->isEnabled() || item->toolTip() != why) {
        qWarning("%s: enabled %d, tooltip \"%s\"", qPrintable(item->objectName()),
                 item->isEnabled(), qPrintable(item->toolTip()));
        return false;
    }
    return true;
}

// Not refused by the role: its tooltip names no role it lacks.
template<typename Item>
bool notRefused(Item *item)
{
    return !item->toolTip().startsWith(QLatin1String("Needs "));
}

// With MC_ROLES_SCREENSHOTS set to a folder: the window with `target`'s tooltip shown over it, as
// docs/screenshots/roles-*.png (scripts/screenshots sets it). The tooltip is a window of its own,
// drawn onto the window's picture where it stands.
void shoot(QWidget *window, QWidget *target, const QString &file)
{
    const QString dir = qEnvironmentVariable("MC_ROLES_SCREENSHOTS");
    if (dir.isEmpty() || !target)
        return;
    QToolTip::showText(target->mapToGlobal(QPoint(target->width() / 2, target->height())),
                       target->toolTip(), target);
    QTest::qWait(50);
    QPixmap shot = window->grab();
    for (QWidget *tip : QApplication::topLevelWidgets())
        if (tip->inherits("QTipLabel") && tip->isVisible()) {
            QPainter painter(&shot);
            painter.drawPixmap(window->mapFromGlobal(tip->pos()), tip->grab());
        }
    QVERIFY(shot.save(dir + QLatin1Char('/') + file));
    QToolTip::hideText();
}

QWidget *widgetOf(QAction *action)
{
    for (QObject *object : action->associatedObjects())
        if (auto *button = qobject_cast<QToolButton *>(object); button && button->isVisible())
            return button;
    return nullptr;
}

} // namespace

class RolesConsoleTest : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void supportSeesLeadActionsDisabledWithWhy();
    void qaHasNoWriteActionEnabled();
    void leadHasEveryActionEnabled();

private:
    // The console opened as mc_test_<role> on a seeded database, on the Controls page with its
    // queues and rollout loaded.
    std::unique_ptr<ConsoleHarness> openAs(TestDatabase &db, const QString &role);
    TestServer m_server;
};

void RolesConsoleTest::initTestCase()
{
    m_server = TestServer::fromEnvironment();
    auto probe = mc::openStore(m_server.admin.toString());
    QVERIFY2(probe.ok(), qPrintable(probe.ok() ? QString() : probe.error().message));
}

std::unique_ptr<ConsoleHarness> RolesConsoleTest::openAs(TestDatabase &db, const QString &role)
{
    db.installedStore();
    auto owner = db.openWriter();
    seedCatalogue(*owner);
    addFailedUsersWithRecords(*owner, QStringLiteral("lt"), 1, 5);
    auto console = std::make_unique<ConsoleHarness>();
    console->open(db.connectionUrlAs(role).toString());
    console->window->showPage(MainWindow::Page::Controls);
    return console;
}

void RolesConsoleTest::supportSeesLeadActionsDisabledWithWhy()
{
    TestDatabase db(m_server);
    auto console = openAs(db, QStringLiteral("support"));
    MainWindow &w = *console->window;
    QTRY_COMPARE(w.roleLabel()->text(), QStringLiteral("mc_test_support · support"));
    const QString why = needs(QStringLiteral("mc_lead"), QStringLiteral("mc_test_support"),
                              QStringLiteral("mc_support"));
    widgets::QueueEditor *queues = w.controlsPage()->queueEditor();
    QTRY_VERIFY(queues->pauseButton(QStringLiteral("serialize")) != nullptr);
    QVERIFY(refused(queues->applyButton(), why));
    QVERIFY(refused(queues->pauseButton(QStringLiteral("serialize")), why));
    QTRY_VERIFY(w.controlsPage()->rolloutEditor(QStringLiteral("merge"), QStringLiteral("lt")));
    widgets::RolloutEditor *rollout =
        w.controlsPage()->rolloutEditor(QStringLiteral("merge"), QStringLiteral("lt"));
    QVERIFY(refused(rollout->applyButton(), why));
    QVERIFY(refused(rollout->spinBox(), why));
    QVERIFY(refused(w.failuresPage()->retryAllAction(), why));
    // Verifying is a read; the repair it offers is the lead's, and the menu says so.
    QVERIFY(w.verifyCountersAction()->toolTip().contains(why));
    // Support's own actions are not refused by the role.
    QVERIFY(notRefused(w.failuresPage()->retryUsersAction()));
    QVERIFY(notRefused(w.failuresPage()->markIgnoredAction()));
    QVERIFY(notRefused(w.usersPage()->retryButton()));
    QVERIFY(w.failuresPage()->exportAction()->isEnabled());
    shoot(&w, queues->pauseButton(QStringLiteral("serialize")),
          QStringLiteral("roles-support.png"));
}

void RolesConsoleTest::qaHasNoWriteActionEnabled()
{
    TestDatabase db(m_server);
    auto console = openAs(db, QStringLiteral("qa"));
    MainWindow &w = *console->window;
    QTRY_COMPARE(w.roleLabel()->text(), QStringLiteral("mc_test_qa · qa"));
    const QString lead = needs(QStringLiteral("mc_lead"), QStringLiteral("mc_test_qa"),
                               QStringLiteral("mc_qa"));
    const QString support = needs(QStringLiteral("mc_support"), QStringLiteral("mc_test_qa"),
                                  QStringLiteral("mc_qa"));
    widgets::QueueEditor *queues = w.controlsPage()->queueEditor();
    QTRY_VERIFY(queues->pauseButton(QStringLiteral("serialize")) != nullptr);
    for (const char *queue : {"serialize", "create_high", "create_low"})
        QVERIFY(refused(queues->pauseButton(QLatin1String(queue)), lead));
    QVERIFY(refused(queues->applyButton(), lead));
    QTRY_VERIFY(w.controlsPage()->rolloutEditor(QStringLiteral("merge"), QStringLiteral("lt")));
    for (widgets::RolloutEditor *rollout : w.controlsPage()->rolloutEditors()) {
        QVERIFY(refused(rollout->applyButton(), lead));
        QVERIFY(refused(rollout->spinBox(), lead));
    }
    widgets::FailuresPage *failures = w.failuresPage();
    QVERIFY(refused(failures->retryAllAction(), lead));
    QVERIFY(refused(failures->retryUsersAction(), support));
    QVERIFY(refused(failures->markIgnoredAction(), support));
    QVERIFY(refused(failures->markResolvedAction(), support));
    QVERIFY(refused(failures->undoAction(), support));
    QVERIFY(refused(w.usersPage()->retryButton(), support));
    QVERIFY(refused(w.usersPage()->listPanel()->retryButton(), support));
    // QA reads and exports.
    QVERIFY(failures->exportAction()->isEnabled());
    w.showPage(MainWindow::Page::Failures);
    QTRY_VERIFY(failures->table()->model()->rowCount() > 0);
    failures->table()->selectRow(0);
    QVERIFY(refused(failures->markIgnoredAction(), support)); // a selection changes nothing
    shoot(&w, widgetOf(failures->markIgnoredAction()), QStringLiteral("roles-qa.png"));
}

void RolesConsoleTest::leadHasEveryActionEnabled()
{
    TestDatabase db(m_server);
    auto console = openAs(db, QStringLiteral("lead"));
    MainWindow &w = *console->window;
    QTRY_COMPARE(w.roleLabel()->text(), QStringLiteral("mc_test_lead · lead"));
    widgets::QueueEditor *queues = w.controlsPage()->queueEditor();
    QTRY_VERIFY(queues->pauseButton(QStringLiteral("serialize")) != nullptr);
    QTRY_VERIFY(queues->pauseButton(QStringLiteral("serialize"))->isEnabled());
    QVERIFY(notRefused(queues->applyButton())); // off only until a change is staged
    QTRY_VERIFY(w.controlsPage()->rolloutEditor(QStringLiteral("merge"), QStringLiteral("lt")));
    QTRY_VERIFY(w.controlsPage()
                    ->rolloutEditor(QStringLiteral("merge"), QStringLiteral("lt"))
                    ->spinBox()
                    ->isEnabled());
    QTRY_VERIFY(w.failuresPage()->retryAllAction()->isEnabled());
    QVERIFY(w.failuresPage()->exportAction()->isEnabled());
    for (QAction *action : {w.failuresPage()->retryUsersAction(),
                            w.failuresPage()->markIgnoredAction(),
                            w.failuresPage()->markResolvedAction(), w.failuresPage()->undoAction()})
        QVERIFY(notRefused(action)); // off only until rows are selected
    QVERIFY(notRefused(w.usersPage()->retryButton()));
    QVERIFY(notRefused(w.verifyCountersAction()));
}

QTEST_MAIN(RolesConsoleTest)
#include "tst_roles_console.moc"
