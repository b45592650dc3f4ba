// Filters, set through the controls an operator uses, narrow the table to exactly the rows plain
// SQL (or what the test wrote) selects, after scrolling to the end; the count label agrees.

#include "tst_failures.h"

#include "error_group_model.h"
#include "error_groups_panel.h"
#include "failure_count.h"
#include "failure_filter_bar.h"
#include "failure_table_model.h"
#include "failures_page.h"
#include "message_banner.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDateTimeEdit>
#include <QLabel>
#include <QLineEdit>
#include <QSignalSpy>
#include <QTableView>
#include <QTest>
#include <QToolButton>

using namespace mc;
using namespace mc::test;

namespace {

// The table (scrolled to its end) and the count label show exactly these ids.
bool showsExactly(widgets::FailuresPage &page, const QList<qint64> &expected, QString *why)
{
    if (!waitUntil([&] { return settled(page); })) {
        *why = QStringLiteral("the page did not settle");
        return false;
    }
    if (!scrollToEnd(page)) {
        *why = QStringLiteral("scrolling stalled");
        return false;
    }
    const QList<qint64> shown = shownIds(page);
    if (shown != expected) {
        *why = QStringLiteral("%1 rows shown, %2 expected").arg(shown.size()).arg(expected.size());
        return false;
    }
    if (page.countText() != countWords(expected.size())) {
        *why = QStringLiteral("count says '%1', %2 rows expected")
                   .arg(page.countText())
                   .arg(expected.size());
        return false;
    }
    return true;
}

void choose(QComboBox *box, const QVariant &data)
{
    const int index = data.isValid() ? box->findData(data) : 0;
    QVERIFY2(index >= 0, qPrintable(data.toString()));
    box->setCurrentIndex(index);
}

} // namespace

#define SHOWS_EXACTLY(page, expected)                                                           \
    do {                                                                                        \
        QString why;                                                                            \
        QVERIFY2(showsExactly(page, expected, &why), qPrintable(why));                          \
    } while (false)

void FailuresTest::eachFilterNarrowsTheTableToWhatSqlSelects()
{
    auto page = openPage(m_db->url());
    widgets::FailureFilterBar *bar = page->filterBar();
    WAIT_FOR(bar->modelBox()->count() == 5 && bar->portalBox()->count() == 3
             && bar->errorClassBox()->count() > 1);
    const QString open = QStringLiteral(" AND resolution IS NULL");

    choose(bar->modelBox(), 2);
    QCOMPARE(page->filter().modelId, std::optional<int>(2));
    SHOWS_EXACTLY(*page, idsWhere(*m_writer, QStringLiteral("model_id = 2") + open));

    choose(bar->errorClassBox(), QStringLiteral("KeyError"));
    SHOWS_EXACTLY(*page, idsWhere(*m_writer,
                                  QStringLiteral("model_id = 2 AND error_class = $1") + open,
                                  {QStringLiteral("KeyError")}));

    // Error classes are exact and case-sensitive: "timeout" is not "Net::ReadTimeout".
    choose(bar->modelBox(), QVariant());
    choose(bar->errorClassBox(), QStringLiteral("timeout"));
    SHOWS_EXACTLY(*page, idsWhere(*m_writer, QStringLiteral("error_class = $1") + open,
                                  {QStringLiteral("timeout")}));

    choose(bar->errorClassBox(), QVariant());
    choose(bar->portalBox(), QStringLiteral("de"));
    SHOWS_EXACTLY(*page, idsWhere(*m_writer, QStringLiteral("source_portal = $1") + open,
                                  {QStringLiteral("de")}));

    // A time range: since is inclusive, until exclusive.
    choose(bar->portalBox(), QVariant());
    const EpochMs since = kT0 - 10 * 3'600'000;
    const EpochMs until = kT0 - 5 * 3'600'000;
    bar->sinceEdit()->setDateTime(QDateTime::fromMSecsSinceEpoch(since));
    bar->untilEdit()->setDateTime(QDateTime::fromMSecsSinceEpoch(until));
    bar->sinceCheck()->setChecked(true);
    bar->untilCheck()->setChecked(true);
    QCOMPARE(page->filter().since, std::optional<EpochMs>(since));
    QCOMPARE(page->filter().until, std::optional<EpochMs>(until));
    SHOWS_EXACTLY(*page, idsWhere(*m_writer,
                                  QStringLiteral("failed_at >= {ts:$1} AND failed_at < {ts:$2}")
                                      + open,
                                  {since, until}));
    bar->untilCheck()->setChecked(false);
    SHOWS_EXACTLY(*page, idsWhere(*m_writer, QStringLiteral("failed_at >= {ts:$1}") + open,
                                  {since}));
    bar->sinceCheck()->setChecked(false);

    // Free text: a literal part of the error class, message or record id, ASCII letters in
    // either case unless Match case is on.
    const QString open1 = QStringLiteral("resolution IS NULL");
    bar->textEdit()->setText(QStringLiteral("timeout"));
    QTest::keyClick(bar->textEdit(), Qt::Key_Return);
    const QList<qint64> anyCase = idsWithText(*m_writer, m_server.backend,
                                              QStringLiteral("timeout"), false, open1);
    SHOWS_EXACTLY(*page, anyCase);
    bar->matchCaseBox()->setChecked(true);
    QVERIFY(page->filter().matchCase);
    const QList<qint64> exact = idsWithText(*m_writer, m_server.backend,
                                            QStringLiteral("timeout"), true, open1);
    QVERIFY(exact.size() < anyCase.size()); // "Net::ReadTimeout" is only found in either case
    SHOWS_EXACTLY(*page, exact);
    SHOWS_EXACTLY(*page, expectedIds(m_seed, [](const SeededFailure &s) {
                      return s.resolution.isEmpty()
                             && (s.failure.message.contains(QStringLiteral("timeout"))
                                 || s.failure.errorClass.contains(QStringLiteral("timeout"))
                                 || s.failure.recordId.contains(QStringLiteral("timeout")));
                  }));
    bar->matchCaseBox()->setChecked(false);

    bar->includeResolvedBox()->setChecked(true);
    SHOWS_EXACTLY(*page, idsWithText(*m_writer, m_server.backend, QStringLiteral("timeout"),
                                     false));
    QVERIFY(idsWithText(*m_writer, m_server.backend, QStringLiteral("timeout"), false,
                        QStringLiteral("resolution IS NOT NULL"))
                .size()
            > 0);

    // All at once.
    choose(bar->modelBox(), 3);
    choose(bar->portalBox(), QStringLiteral("lt"));
    bar->textEdit()->setText(QStringLiteral("Validation failed"));
    QTest::keyClick(bar->textEdit(), Qt::Key_Return);
    SHOWS_EXACTLY(*page, idsWithText(*m_writer, m_server.backend,
                                     QStringLiteral("Validation failed"), false,
                                     QStringLiteral("model_id = 3 AND source_portal = 'lt'")));

    // Clear filter: every open record again.
    bar->clearAllButton()->click();
    QVERIFY(bar->filter().isEmpty());
    QCOMPARE(bar->modelBox()->currentIndex(), 0);
    QCOMPARE(bar->textEdit()->text(), QString());
    SHOWS_EXACTLY(*page, idsWhere(*m_writer, QStringLiteral("resolution IS NULL")));
}

void FailuresTest::typedTextWaitsForAPauseAndEnterAppliesAtOnce()
{
    auto page = openPage(m_db->url());
    widgets::FailureFilterBar *bar = page->filterBar();
    QSignalSpy resets(page->failureModel(), &QAbstractItemModel::modelReset);
    bar->textEdit()->setFocus();
    QTest::keyClicks(bar->textEdit(), QStringLiteral("Net::Read"));
    QCOMPARE(resets.count(), 0); // no query per keystroke
    WAIT_FOR(resets.count() == 1);
    QCOMPARE(page->filter().searchText, QStringLiteral("Net::Read"));
    QTest::qWait(widgets::FailureFilterBar::kTypingPauseMs + 100);
    QCOMPARE(resets.count(), 1);
    SHOWS_EXACTLY(*page, idsWithText(*m_writer, m_server.backend, QStringLiteral("Net::Read"),
                                     false, QStringLiteral("resolution IS NULL")));

    QTest::keyClicks(bar->textEdit(), QStringLiteral("Timeout with"));
    QTest::keyClick(bar->textEdit(), Qt::Key_Return);
    QCOMPARE(resets.count(), 2); // Enter applies at once …
    QTest::qWait(widgets::FailureFilterBar::kTypingPauseMs + 100);
    QCOMPARE(resets.count(), 2); // … and the pause does not apply it again
    QCOMPARE(page->filter().searchText, QStringLiteral("Net::ReadTimeout with"));
}

void FailuresTest::clickingAGroupFiltersByItAndTheChipClearsIt()
{
    auto page = openPage(m_db->url());
    WAIT_FOR(page->groupModel()->rowCount() > 2);
    widgets::FailureFilterBar *bar = page->filterBar();
    QVERIFY(!bar->groupChip()->isVisible());

    QTableView *groupsTable = page->groupsPanel()->table();
    const QModelIndex second = groupsTable->model()->index(1, ErrorGroupModel::Pattern);
    const QString fingerprint = second.data(ErrorGroupModel::FingerprintRole).toString();
    const ErrorGroup group = *page->groupModel()->group(fingerprint);
    QTest::mouseClick(groupsTable->viewport(), Qt::LeftButton, {},
                      groupsTable->visualRect(second).center());
    QCOMPARE(page->filter().fingerprint, fingerprint);
    QVERIFY(bar->groupChip()->isVisible());
    QVERIFY(bar->groupLabel()->toolTip().contains(group.errorClass));
    const QList<qint64> expected = idsWhere(
        *m_writer, QStringLiteral("fingerprint = $1 AND resolution IS NULL"), {fingerprint});
    QCOMPARE(qint64(expected.size()), group.unresolved);
    SHOWS_EXACTLY(*page, expected);
    for (const FailureRow &row : page->failureModel()->failures())
        QCOMPARE(row.errorClass, group.errorClass);

    // The group combines with the other filters.
    bar->includeResolvedBox()->setChecked(true);
    QCOMPARE(page->filter().fingerprint, fingerprint);
    SHOWS_EXACTLY(*page, idsWhere(*m_writer, QStringLiteral("fingerprint = $1"), {fingerprint}));

    bar->clearGroupButton()->click();
    QVERIFY(!bar->groupChip()->isVisible());
    QVERIFY(page->filter().fingerprint.isEmpty());
    QVERIFY(page->filter().includeResolved);
    SHOWS_EXACTLY(*page, idsWhere(*m_writer, QStringLiteral("1 = 1")));
}

void FailuresTest::naughtyFilterTextShowsWhatPlainSqlSelectsInBothModes()
{
    auto page = openPage(m_db->url());
    QLineEdit *text = page->filterBar()->textEdit();
    QCheckBox *matchCase = page->filterBar()->matchCaseBox();
    QStringList wrong;
    int matchedSome = 0;
    for (const bool exact : {false, true}) {
        matchCase->setChecked(exact);
        for (const QString &naughty : std::as_const(m_naughty)) {
            text->setText(naughty);
            QTest::keyClick(text, Qt::Key_Return);
            if (page->filter().searchText != naughty || page->filter().matchCase != exact) {
                wrong << QStringLiteral("not kept exactly: %1").arg(naughty);
                continue;
            }
            const QList<qint64> expected = idsWithText(*m_writer, m_server.backend, naughty,
                                                       exact, QStringLiteral("resolution IS NULL"));
            if (!expected.isEmpty())
                ++matchedSome;
            QString why;
            if (!showsExactly(*page, expected, &why))
                wrong << QStringLiteral("%1 (%2): %3")
                             .arg(naughty, exact ? QStringLiteral("match case")
                                                 : QStringLiteral("any case"),
                                  why);
            if (wrong.size() > 10)
                break;
        }
    }
    QVERIFY2(wrong.isEmpty(), qPrintable(wrong.join(QLatin1Char('\n'))));
    QVERIFY(matchedSome > 200); // the seed carries many of them
    QVERIFY(!page->messageBar()->isVisible());
}

void FailuresTest::setFilterFromAnotherViewShowsAndAppliesIt()
{
    auto page = openPage(m_db->url());
    widgets::FailureFilterBar *bar = page->filterBar();
    WAIT_FOR(bar->modelBox()->count() == 5);
    FailureFilter wanted;
    wanted.modelId = 3;
    wanted.errorClass = QStringLiteral("KeyError");
    wanted.portal = QStringLiteral("lt");
    wanted.since = kT0 - 20 * 3'600'000;
    wanted.searchText = QStringLiteral("field_");
    wanted.includeResolved = true;
    page->setFilter(wanted);
    QCOMPARE(bar->modelBox()->currentData().toInt(), 3);
    QCOMPARE(bar->errorClassBox()->currentText(), QStringLiteral("KeyError"));
    QCOMPARE(bar->portalBox()->currentText(), QStringLiteral("lt"));
    QVERIFY(bar->sinceCheck()->isChecked());
    QCOMPARE(bar->sinceEdit()->dateTime().toMSecsSinceEpoch(), *wanted.since);
    QVERIFY(!bar->untilCheck()->isChecked());
    QCOMPARE(bar->textEdit()->text(), QStringLiteral("field_"));
    QVERIFY(bar->includeResolvedBox()->isChecked());
    SHOWS_EXACTLY(*page,
                  idsWhere(*m_writer,
                           QStringLiteral("model_id = 3 AND error_class = 'KeyError' AND "
                                          "source_portal = 'lt' AND failed_at >= {ts:$1} AND "
                                          "(POSITION('field_' IN message) > 0 OR "
                                          "POSITION('field_' IN record_id) > 0)"),
                           {*wanted.since}));

    // A class the database does not know (yet) is shown as chosen, and selects nothing.
    FailureFilter unknown;
    unknown.errorClass = QStringLiteral("NoSuchError");
    page->setFilter(unknown);
    QCOMPARE(bar->errorClassBox()->currentText(), QStringLiteral("NoSuchError"));
    QCOMPARE(bar->modelBox()->currentIndex(), 0);
    SHOWS_EXACTLY(*page, QList<qint64>());
    QCOMPARE(page->countText(), QStringLiteral("0 failed records"));
}
