// The actions write exactly what they say: retry moves the users of the selected rows (and only
// those still failed), marks change only open records, undo reopens only what the mark changed.
// Each test writes to a database of its own; outcomes are read back with plain SQL.

#include "tst_failures.h"

#include "failure_actions.h"
#include "failure_filter_bar.h"
#include "failure_table_model.h"
#include "failures_page.h"
#include "message_banner.h"
#include "reason_dialog.h"

#include <QAction>
#include <QApplication>
#include <QItemSelectionModel>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QTableView>
#include <QTest>

using namespace mc;
using namespace mc::test;

namespace {

// Three failures for each user, a minute apart, newest user last.
QList<qint64> addFailuresFor(FleetWriter &writer, const QList<UserKey> &users)
{
    QList<qint64> ids;
    EpochMs at = kT0;
    for (const UserKey &user : users)
        for (int i = 0; i < 3; ++i) {
            NewFailure f;
            f.user = user;
            f.modelId = 1 + i;
            f.recordId = QStringLiteral("%1-%2").arg(user.toString()).arg(i);
            f.errorClass = QStringLiteral("KeyError");
            f.message = QStringLiteral("key not found: %1").arg(i);
            f.failedAt = at;
            at += 60'000;
            ids << writer.addFailure(f);
        }
    return ids;
}

void selectRows(QTableView *table, const QList<int> &rows)
{
    QItemSelectionModel *selection = table->selectionModel();
    selection->setCurrentIndex(table->model()->index(rows.first(), 0),
                               QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    for (int row : rows)
        selection->select(table->model()->index(row, 0),
                          QItemSelectionModel::Select | QItemSelectionModel::Rows);
}

int rowOf(widgets::FailuresPage &page, qint64 id)
{
    return page.failureModel()->rowOfId(id);
}

QString resolutionShown(widgets::FailuresPage &page, qint64 id)
{
    return page.failureModel()
        ->index(rowOf(page, id), FailureTableModel::ResolutionColumn)
        .data()
        .toString();
}

// As the database holds it, read with plain SQL: a marked resolution, or retried because its
// user was retried after it failed (docs/SCHEMA.md, Retried records).
QString resolutionStored(FleetWriter &writer, qint64 id)
{
    const sql::Rows rows = writer.connection().query(
        QStringLiteral("SELECT COALESCE(f.resolution, CASE WHEN u.retry_count > f.retry_count "
                       "THEN 'retried' ELSE 'open' END) FROM failed_records f JOIN "
                       "user_migrations u ON u.source_portal = f.source_portal AND "
                       "u.source_user_id = f.source_user_id WHERE f.id = $1"),
        {id});
    return rows.text(0, 0);
}

// Confirms the open confirmation with this reason.
bool confirm(widgets::FailuresPage &page, const QString &reason)
{
    widgets::ReasonDialog *dialog = page.actions()->openDialog();
    if (!dialog)
        return false;
    dialog->reasonEdit()->setText(reason);
    dialog->confirmButton()->click();
    return waitUntil([&] { return !page.actions()->isBusy(); });
}

} // namespace

void FailuresTest::retrySelectedRowsMovesExactlyTheirUsers()
{
    TestDatabase db(m_server);
    db.installedStore();
    auto writer = db.openWriter();
    seedCatalogue(*writer);
    addUsers(*writer, QStringLiteral("lt"), 1, 6, UserStatus::Failed);
    addUsers(*writer, QStringLiteral("lt"), 7, 1, UserStatus::Completed);
    addUsers(*writer, QStringLiteral("de"), 1, 3, UserStatus::Failed);
    QList<UserKey> users;
    for (int id = 1; id <= 7; ++id)
        users << UserKey{QStringLiteral("lt"), id};
    for (int id = 1; id <= 3; ++id)
        users << UserKey{QStringLiteral("de"), id};
    const QList<qint64> ids = addFailuresFor(*writer, users);

    auto page = openPage(db.url());
    QCOMPARE(page->failureModel()->rowCount(), 30);
    QVERIFY(!page->retryUsersAction()->isEnabled()); // nothing selected
    // All three rows of lt:2, one of lt:7 (completed meanwhile) and one of de:3.
    const UserKey lt2{QStringLiteral("lt"), 2}, lt7{QStringLiteral("lt"), 7},
        de3{QStringLiteral("de"), 3};
    QList<int> rows{rowOf(*page, ids[3]), rowOf(*page, ids[4]), rowOf(*page, ids[5]),
                    rowOf(*page, ids[18]), rowOf(*page, ids[29])};
    selectRows(page->table(), rows);
    QVERIFY(page->retryUsersAction()->isEnabled());
    page->retryUsersAction()->trigger();
    widgets::ReasonDialog *dialog = page->actions()->openDialog();
    QVERIFY(dialog);
    QVERIFY2(dialog->question().contains(QStringLiteral("3 users")), qPrintable(dialog->question()));
    QVERIFY2(dialog->question().contains(QStringLiteral("5 failed records")),
             qPrintable(dialog->question()));
    const QString reason = QStringLiteral("retry after fix #4711 — «ünïcode» 'quoted'");
    QVERIFY(confirm(*page, reason));

    QCOMPARE(statusOf(*writer, lt2), QStringLiteral("pending"));
    QCOMPARE(statusOf(*writer, de3), QStringLiteral("pending"));
    QCOMPARE(statusOf(*writer, lt7), QStringLiteral("completed"));
    for (const UserKey &user : std::as_const(users))
        if (!(user == lt2 || user == de3 || user == lt7))
            QCOMPARE(statusOf(*writer, user), QStringLiteral("failed"));
    const QString report = page->messageBar()->text();
    QVERIFY2(report.contains(QStringLiteral("2 moved to pending, 1 no longer failed")),
             qPrintable(report));
    QVERIFY2(report.contains(QStringLiteral("0 not found")), qPrintable(report));
    QVERIFY(scalar(*writer,
                   QStringLiteral("SELECT COUNT(*) FROM audit_log WHERE action = 'retry_users' "
                                  "AND reason = $1"),
                   {reason})
            > 0);
    QCOMPARE(scalar(*writer,
                    QStringLiteral("SELECT COUNT(*) FROM audit_log WHERE action = 'retry_users' "
                                   "AND reason <> $1"),
                    {reason}),
             0);
    // The moved users' records show as retried, as stored; the others stay open.
    for (int i : {3, 4, 5, 27, 28, 29}) {
        QCOMPARE(resolutionStored(*writer, ids[i]), QStringLiteral("retried"));
        QCOMPARE(resolutionShown(*page, ids[i]), QStringLiteral("retried"));
    }
    for (int i : {0, 18, 26})
        QCOMPARE(resolutionShown(*page, ids[i]), QStringLiteral("open"));
    // Recounted: the retried records left the filter of open ones.
    WAIT_FOR(page->countText() == countWords(24));
}

void FailuresTest::markIgnoredThenUndoReopensOnlyWhatTheMarkChanged()
{
    TestDatabase db(m_server);
    db.installedStore();
    auto writer = db.openWriter();
    seedCatalogue(*writer);
    addUsers(*writer, QStringLiteral("lt"), 1, 5, UserStatus::Failed);
    QList<UserKey> users;
    for (int id = 1; id <= 5; ++id)
        users << UserKey{QStringLiteral("lt"), id};
    addFailuresFor(*writer, users);
    auto somebodyElse = db.openStore();

    auto page = openPage(db.url());
    FailureFilter all;
    all.includeResolved = true;
    page->setFilter(all);
    WAIT_FOR(settled(*page));
    QCOMPARE(page->failureModel()->rowCount(), 15);
    QList<qint64> chosen;
    for (int row = 0; row < 8; ++row)
        chosen << page->failureModel()->failureAt(row).id;
    const qint64 markedBefore = chosen[3];  // somebody else ignored it before our mark
    const qint64 changedAfter = chosen[5];  // somebody else resolves it after our mark
    Operator other{QStringLiteral("somebody-else")};
    REQUIRE_OK(somebodyElse->setResolution({{markedBefore}, Resolution::Ignored, std::nullopt,
                                            QStringLiteral("looked at it"), other}));

    selectRows(page->table(), {0, 1, 2, 3, 4, 5, 6, 7});
    QVERIFY(!page->undoAction()->isEnabled());
    page->markIgnoredAction()->trigger();
    widgets::ReasonDialog *dialog = page->actions()->openDialog();
    QVERIFY(dialog);
    QVERIFY2(dialog->question().contains(QStringLiteral("8 failed records")),
             qPrintable(dialog->question()));
    const QString reason = QStringLiteral("known upstream bug, ticket 99");
    QVERIFY(confirm(*page, reason));
    for (qint64 id : std::as_const(chosen)) {
        QCOMPARE(resolutionStored(*writer, id), QStringLiteral("ignored"));
        if (id != markedBefore) // what others did shows on refresh
            QCOMPARE(resolutionShown(*page, id), QStringLiteral("ignored"));
    }
    QVERIFY(page->actions()->lastMark());
    QCOMPARE(page->actions()->lastMark()->ids.size(), size_t(7)); // not the one already ignored
    QVERIFY2(page->messageBar()->text().contains(QStringLiteral("Marked 7 failed records ignored")),
             qPrintable(page->messageBar()->text()));
    QCOMPARE(scalar(*writer,
                    QStringLiteral("SELECT COUNT(*) FROM audit_log WHERE action = "
                                   "'resolve_failures' AND reason = $1"),
                    {reason}),
             1);

    // Meanwhile somebody else turns one of ours from ignored to resolved.
    REQUIRE_OK(somebodyElse->setResolution({{changedAfter}, Resolution::Open,
                                            Resolution::Ignored, QStringLiteral("recheck"),
                                            other}));
    REQUIRE_OK(somebodyElse->setResolution({{changedAfter}, Resolution::Resolved, std::nullopt,
                                            QStringLiteral("fixed by hand"), other}));

    QVERIFY(page->undoAction()->isEnabled());
    page->undoAction()->trigger();
    QVERIFY(!page->actions()->openDialog()); // undo needs no second confirmation
    WAIT_FOR(!page->actions()->isBusy());
    for (qint64 id : std::as_const(chosen)) {
        const QString expected = id == markedBefore   ? QStringLiteral("ignored")
                                 : id == changedAfter ? QStringLiteral("resolved")
                                                      : QStringLiteral("open");
        QCOMPARE(resolutionStored(*writer, id), expected);
        if (id != changedAfter && id != markedBefore) // others' changes show on refresh
            QCOMPARE(resolutionShown(*page, id), expected);
    }
    QVERIFY2(page->messageBar()->text().contains(QStringLiteral("Reopened 6 failed records")),
             qPrintable(page->messageBar()->text()));
    QVERIFY(!page->undoAction()->isEnabled());
    QCOMPARE(scalar(*writer,
                    QStringLiteral("SELECT COUNT(*) FROM audit_log WHERE action = "
                                   "'reopen_failures' AND reason = $1"),
                    {QStringLiteral("Undo of: ") + reason}),
             1);

    page->refreshAction()->trigger();
    WAIT_FOR(settled(*page));
    for (qint64 id : std::as_const(chosen))
        QCOMPARE(resolutionShown(*page, id), resolutionStored(*writer, id));
    QCOMPARE(resolutionShown(*page, changedAfter), QStringLiteral("resolved"));
    QCOMPARE(resolutionShown(*page, markedBefore), QStringLiteral("ignored"));
}

void FailuresTest::confirmationsNeedAReasonAndCancelChangesNothing()
{
    auto page = openPage(m_db->url());
    selectRows(page->table(), {0, 1, 2});
    const qint64 audits = scalar(*m_writer, QStringLiteral("SELECT COUNT(*) FROM audit_log"));
    for (QAction *action : {page->retryUsersAction(), page->markResolvedAction()}) {
        action->trigger();
        widgets::ReasonDialog *dialog = page->actions()->openDialog();
        QVERIFY(dialog);
        QVERIFY(!page->retryUsersAction()->isEnabled()); // one confirmation at a time
        QVERIFY(!dialog->confirmButton()->isEnabled());
        dialog->reasonEdit()->setText(QStringLiteral("   \t "));
        QVERIFY(!dialog->confirmButton()->isEnabled()); // white space is no reason
        dialog->reasonEdit()->setText(QStringLiteral("why not"));
        QVERIFY(dialog->confirmButton()->isEnabled());
        dialog->reject();
        WAIT_FOR(!page->actions()->openDialog());
        QVERIFY(!page->actions()->isBusy());
        QVERIFY(action->isEnabled());
    }
    QTest::qWait(50);
    QCOMPARE(scalar(*m_writer, QStringLiteral("SELECT COUNT(*) FROM audit_log")), audits);
    QCOMPARE(resolutionShown(*page, page->failureModel()->failureAt(0).id),
             QStringLiteral("open"));
}

void FailuresTest::retryAllAndExportHandOverTheCurrentFilter()
{
    auto page = openPage(m_db->url());
    QSignalSpy retryAll(page.get(), &widgets::FailuresPage::retryAllRequested);
    QSignalSpy exported(page.get(), &widgets::FailuresPage::exportRequested);
    FailureFilter wanted;
    wanted.modelId = 2;
    wanted.portal = QStringLiteral("de");
    wanted.searchText = QStringLiteral("Validation");
    page->setFilter(wanted);
    QVERIFY(page->retryAllAction()->isEnabled());
    page->retryAllAction()->trigger();
    page->exportAction()->trigger();
    QCOMPARE(retryAll.count(), 1);
    QCOMPARE(exported.count(), 1);
    QVERIFY(widgets::sameFilter(retryAll.first().first().value<FailureFilter>(), wanted));
    QVERIFY(widgets::sameFilter(exported.first().first().value<FailureFilter>(), wanted));
    QVERIFY(widgets::sameFilter(page->filter(), wanted));
}

void FailuresTest::disconnectedPageShowsNothingAndOffersNoActions()
{
    FailuresView page;
    page.resize(1000, 700);
    page.show();
    QCOMPARE(page.countText(), QStringLiteral("not connected"));
    for (QAction *action : {page.retryUsersAction(), page.markIgnoredAction(),
                            page.markResolvedAction(), page.undoAction(), page.retryAllAction(),
                            page.exportAction(), page.refreshAction()})
        QVERIFY2(!action->isEnabled(), qPrintable(action->objectName()));

    page.setDatabase(m_db->url());
    WAIT_FOR(settled(page));
    QVERIFY(page.failureModel()->rowCount() > 0);
    QVERIFY(page.refreshAction()->isEnabled());
    page.setDatabase(QString());
    QCOMPARE(page.failureModel()->rowCount(), 0);
    QCOMPARE(page.countText(), QStringLiteral("not connected"));
    QVERIFY(!page.retryAllAction()->isEnabled());
    QVERIFY(!page.messageBar()->isVisible());

    // An unreachable server is a message on the page, not a modal box and not a freeze.
    page.setDatabase(QStringLiteral("postgresql://nobody@127.0.0.1:1/none"));
    WAIT_FOR(page.messageBar()->isVisible());
    QCOMPARE(page.messageBar()->kind(), widgets::MessageBanner::Kind::Error);
    QVERIFY(!QApplication::activeModalWidget());
}
