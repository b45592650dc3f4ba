// The Audit view on a real database: every action with its reason, filters that narrow to
// exactly the matching entries, paging on scroll, and exports that read back exactly.

#include "tst_support.h"

#include "audit_exporter.h"
#include "audit_log_model.h"
#include "audit_page.h"
#include "support_helpers.h"
#include "view_host.h"

#include <QAbstractItemModelTester>
#include <QCheckBox>
#include <QComboBox>
#include <QDateTimeEdit>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>

using namespace mc;
using namespace mc::test;
using mc::test::AuditView;

namespace {

void showPage(QWidget &page, QSize size = {1280, 800})
{
    page.resize(size);
    page.show();
    QVERIFY(QTest::qWaitForWindowExposed(&page));
}

// Waits until the view shows the first page of its current filter and nothing is loading.
bool waitForLoaded(AuditView &page)
{
    return QTest::qWaitFor(
        [&] { return !page.model()->isLoading() && page.model()->errorText().isEmpty(); },
        10'000);
}

QList<qint64> shownIds(AuditView &page)
{
    QList<qint64> ids;
    for (const AuditEntry &entry : page.model()->entries())
        ids << entry.id;
    return ids;
}

QueueChange queueChange(int parallelism, const QString &reason, const QString &by)
{
    QueueChange change;
    change.queue = QStringLiteral("serialize");
    change.parallelism = parallelism;
    change.reason = reason;
    change.by = Operator{by};
    return change;
}

QList<qint64> idsWhere(const QList<AuditEntry> &entries,
                       const std::function<bool(const AuditEntry &)> &keep)
{
    QList<qint64> ids;
    for (const AuditEntry &entry : entries)
        if (keep(entry))
            ids << entry.id;
    return ids;
}

QByteArray readAll(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

// Exports the page's current filter and waits for the outcome.
bool exportAndWait(AuditView &page, const QString &path, AuditExportFormat format,
                   QString *message)
{
    QSignalSpy done(&page, &AuditView::exportFinished);
    if (!page.exportTo(path, format))
        return false;
    if (!done.wait(30'000))
        return false;
    *message = done[0][1].toString();
    return done[0][0].toBool();
}

} // namespace

void SupportTest::auditShowsEveryActionWithItsReason()
{
    TestDatabase db(m_server);
    auto store = db.installedStore();
    auto writer = db.openWriter();
    seedCatalogue(*writer);
    addUsers(*writer, QStringLiteral("lt"), 1, 2, UserStatus::Failed);
    NewFailure failure;
    failure.user = {QStringLiteral("lt"), 2};
    failure.modelId = 2;
    failure.errorClass = QStringLiteral("Timeout");
    failure.message = QStringLiteral("slow");
    const qint64 failureId = writer->addFailure(failure);

    REQUIRE_OK(store->updateQueue(queueChange(6, QStringLiteral("more workers for the night"),
                                              QStringLiteral("alice"))));
    RolloutChange rollout{QStringLiteral("merge"), QStringLiteral("lt"), 1000, {},
                          QStringLiteral("lt to 10 %: the error rate is low"),
                          Operator{QStringLiteral("bob")}};
    REQUIRE_OK(store->setRollout(rollout));
    RetryRequest retry;
    retry.users = std::vector<UserKey>{{QStringLiteral("lt"), 1}};
    retry.reason = QStringLiteral("SUP-9 card fixed");
    retry.by = Operator{QStringLiteral("carol")};
    REQUIRE_OK(store->retryUsers(retry, {}));
    ResolutionChange ignore{{failureId}, Resolution::Ignored, {},
                            QStringLiteral("known flaky upstream"),
                            Operator{QStringLiteral("dave")}};
    REQUIRE_OK(store->setResolution(ignore));
    ResolutionChange reopen{{failureId}, Resolution::Open, Resolution::Ignored,
                            QStringLiteral("undo: not flaky after all"),
                            Operator{QStringLiteral("dave")}};
    REQUIRE_OK(store->setResolution(reopen));
    const QList<AuditEntry> expected = allAuditEntries(*store);
    QCOMPARE(expected.size(), 6);

    AuditView page;
    // (The tester asks for more rows itself, so it stays out of the paging test.)
    QAbstractItemModelTester tester(page.model(),
                                    QAbstractItemModelTester::FailureReportingMode::QtTest);
    showPage(page);
    page.setDatabase(db.url());
    QTRY_COMPARE(page.model()->rowCount(), 6);
    QVERIFY(waitForLoaded(page));
    const QAbstractItemModel *model = page.table()->model();
    QCOMPARE(columnTexts(model, AuditLogModel::Action),
             (QStringList{"reopen_failures", "resolve_failures", "retry_users", "set_rollout",
                          "set_queue", "install_schema"}));
    QStringList reasons;
    for (const AuditEntry &entry : expected)
        reasons << entry.reason;
    QCOMPARE(columnTexts(model, AuditLogModel::Reason), reasons);
    QCOMPARE(reasons[4], QStringLiteral("more workers for the night"));
    QCOMPARE(model->index(4, AuditLogModel::Who).data().toString(),
             QStringLiteral("alice (db: %1)").arg(expected[4].databaseUser));
    QCOMPARE(model->index(4, AuditLogModel::Change).data().toString(),
             QStringLiteral("parallelism 4 → 6"));
    QCOMPARE(model->index(4, AuditLogModel::Target).data().toString(), expected[4].target);
    QCOMPARE(model->index(2, AuditLogModel::Change).data().toString(),
             QStringLiteral("status failed → pending; users lt:1"));
    QCOMPARE(model->index(0, AuditLogModel::When).data(Qt::ToolTipRole).toString(),
             QDateTime::fromMSecsSinceEpoch(expected[0].at, Qt::UTC).toString(Qt::ISODateWithMs));
    QCOMPARE(page.statusLabel()->text(), QStringLiteral("6 entries."));

    // The selected entry in full: both states as indented JSON, and the reason.
    page.table()->setCurrentIndex(model->index(2, AuditLogModel::Change));
    const QString detail = page.detail()->toPlainText();
    QVERIFY(detail.contains(QStringLiteral("Reason:  SUP-9 card fixed")));
    QVERIFY(detail.contains(QStringLiteral("\"users\": [\n        \"lt:1\"\n    ]")));
    QVERIFY(detail.contains(QStringLiteral("carol (OS user, claimed)")));
    QVERIFY(model->index(2, AuditLogModel::Change).data(Qt::ToolTipRole).toString()
                .contains(QStringLiteral("\"status\": \"pending\"")));
}

void SupportTest::auditFiltersNarrowToExactlyTheMatchingEntries()
{
    TestDatabase db(m_server);
    auto store = db.installedStore();
    auto writer = db.openWriter();
    seedCatalogue(*writer);
    for (int i = 1; i <= 6; ++i)
        REQUIRE_OK(store->updateQueue(queueChange(4 + i, QStringLiteral("step %1").arg(i),
                                                  i % 2 ? QStringLiteral("alice")
                                                        : QStringLiteral("bob"))));
    for (int i = 1; i <= 2; ++i)
        REQUIRE_OK(store->setRollout({QStringLiteral("merge"), QStringLiteral("lt"), 500 + i * 100,
                                      {}, QStringLiteral("rollout %1").arg(i),
                                      Operator{QStringLiteral("alice")}}));
    // One entry an hour, oldest first, so time filters have edges to find.
    QList<AuditEntry> all = allAuditEntries(*store);
    QCOMPARE(all.size(), 9);
    for (int i = 0; i < all.size(); ++i) {
        const EpochMs at = kT0 - EpochMs(i) * 3'600'000;
        setAuditTime(*writer, all[i].id, at);
        all[i].at = at;
    }

    AuditView page;
    showPage(page);
    page.setDatabase(db.url());
    QTRY_COMPARE(page.model()->rowCount(), 9);

    // By action, from the list of known actions.
    page.actionBox()->setCurrentIndex(page.actionBox()->findText(QStringLiteral("set_queue")));
    QTest::mouseClick(page.refreshButton(), Qt::LeftButton);
    QVERIFY(waitForLoaded(page));
    QList<qint64> expected =
        idsWhere(all, [](const AuditEntry &e) { return e.action == QLatin1String("set_queue"); });
    QCOMPARE(expected.size(), 6);
    QCOMPARE(shownIds(page), expected);

    // By action typed freely, and by operator (exact, OS or database user).
    page.actionBox()->setCurrentText(QStringLiteral("set_rollout"));
    QTest::keyClicks(page.operatorEdit(), QStringLiteral("alice"));
    QTest::keyClick(page.operatorEdit(), Qt::Key_Return);
    QVERIFY(waitForLoaded(page));
    expected = idsWhere(all, [](const AuditEntry &e) {
        return e.action == QLatin1String("set_rollout") && e.osUser == QLatin1String("alice");
    });
    QCOMPARE(expected.size(), 2);
    QCOMPARE(shownIds(page), expected);

    page.actionBox()->setCurrentIndex(0); // any action
    QTest::mouseClick(page.refreshButton(), Qt::LeftButton);
    QVERIFY(waitForLoaded(page));
    expected = idsWhere(all, [](const AuditEntry &e) {
        return e.osUser == QLatin1String("alice");
    });
    QCOMPARE(expected.size(), 5);
    QCOMPARE(shownIds(page), expected);

    page.operatorEdit()->setText(QStringLiteral("alic"));
    QTest::mouseClick(page.refreshButton(), Qt::LeftButton);
    QVERIFY(waitForLoaded(page));
    QCOMPARE(page.model()->rowCount(), 0);
    QCOMPARE(page.statusLabel()->text(), QStringLiteral("No audit entries match this filter."));

    // By time: since is inclusive, until exclusive.
    page.operatorEdit()->clear();
    const EpochMs since = kT0 - 5 * 3'600'000;
    const EpochMs until = kT0 - 2 * 3'600'000;
    QTest::mouseClick(page.sinceCheck(), Qt::LeftButton);
    page.sinceEdit()->setDateTime(QDateTime::fromMSecsSinceEpoch(since));
    QTest::mouseClick(page.untilCheck(), Qt::LeftButton);
    page.untilEdit()->setDateTime(QDateTime::fromMSecsSinceEpoch(until));
    QTest::mouseClick(page.refreshButton(), Qt::LeftButton);
    QVERIFY(waitForLoaded(page));
    expected = idsWhere(all, [&](const AuditEntry &e) { return e.at >= since && e.at < until; });
    QCOMPARE(expected.size(), 3);
    QCOMPARE(shownIds(page), expected);

    // All three together.
    page.actionBox()->setCurrentText(QStringLiteral("set_queue"));
    page.operatorEdit()->setText(QStringLiteral("bob"));
    QTest::mouseClick(page.refreshButton(), Qt::LeftButton);
    QVERIFY(waitForLoaded(page));
    expected = idsWhere(all, [&](const AuditEntry &e) {
        return e.action == QLatin1String("set_queue") && e.osUser == QLatin1String("bob")
               && e.at >= since && e.at < until;
    });
    QVERIFY(!expected.isEmpty());
    QCOMPARE(shownIds(page), expected);
}

void SupportTest::auditPagingLoadsMoreOnScroll()
{
    TestDatabase db(m_server);
    auto store = db.installedStore();
    auto writer = db.openWriter();
    insertAuditEntries(*writer, 50, QStringLiteral("set_queue"), QStringLiteral("alice"), kT0);
    const QList<qint64> all = idsOf(allAuditEntries(*store));
    QCOMPARE(all.size(), 51);

    AuditView page;
    showPage(page, {1100, 420}); // room for fewer rows than a page holds
    page.model()->setPageSize(20);
    QSignalSpy pages(page.model(), &AuditLogModel::pageLoaded);
    page.setDatabase(db.url());
    QTRY_COMPARE(pages.size(), 1);
    QCOMPARE(pages[0][0].toInt(), 20);
    QTest::qWait(300);
    QCOMPARE(page.model()->rowCount(), 20); // nothing more until the table scrolls
    QVERIFY(page.model()->hasMore());
    QCOMPARE(page.statusLabel()->text(),
             QStringLiteral("20 newest entries shown; older ones load as you scroll."));

    for (int scrolls = 0; scrolls < 10 && page.model()->rowCount() < 51; ++scrolls) {
        const int before = page.model()->rowCount();
        page.table()->scrollToBottom();
        QTRY_VERIFY(page.model()->rowCount() > before);
    }
    QCOMPARE(page.model()->rowCount(), 51);
    QCOMPARE(pages.size(), 3);
    QVERIFY(waitForLoaded(page));
    QVERIFY(!page.model()->hasMore());
    QCOMPARE(shownIds(page), all); // newest first, none twice, none missing
    QCOMPARE(page.statusLabel()->text(), QStringLiteral("51 entries."));
}

void SupportTest::exportWritesExactlyTheFilteredEntries()
{
    TestDatabase db(m_server);
    auto store = db.installedStore();
    auto writer = db.openWriter();
    // More than one export page of the filtered entries, between others that must stay out.
    insertAuditEntries(*writer, 700, QStringLiteral("set_queue"), QStringLiteral("alice"), kT0);
    insertAuditEntries(*writer, 60, QStringLiteral("set_queue"), QStringLiteral("bob"), kT0);
    insertAuditEntries(*writer, 600, QStringLiteral("set_queue"), QStringLiteral("alice"), kT0);
    insertAuditEntries(*writer, 40, QStringLiteral("set_rollout"), QStringLiteral("alice"), kT0);
    AuditQuery filter;
    filter.action = QStringLiteral("set_queue");
    filter.actor = QStringLiteral("alice");
    const QList<AuditEntry> expected = allAuditEntries(*store, filter);
    QCOMPARE(expected.size(), 1300);

    AuditView page;
    showPage(page);
    page.setDatabase(db.url());
    QVERIFY(waitForLoaded(page));
    page.actionBox()->setCurrentText(QStringLiteral("set_queue"));
    page.operatorEdit()->setText(QStringLiteral("alice"));
    QTest::mouseClick(page.refreshButton(), Qt::LeftButton);
    QVERIFY(waitForLoaded(page));

    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString csvPath = dir.filePath(QStringLiteral("audit.csv"));
    QFile old(csvPath); // an older export of the same name is replaced
    QVERIFY(old.open(QIODevice::WriteOnly) && old.write("old") == 3);
    old.close();
    QString message;
    QVERIFY2(exportAndWait(page, csvPath, AuditExportFormat::Csv, &message), qPrintable(message));
    QCOMPARE(message,
             QStringLiteral("Exported %1 entries to %2").arg(QLocale().toString(1300), csvPath));
    QCOMPARE(page.exportLabel()->text(), message);
    QVERIFY(!QFile::exists(csvPath + QStringLiteral(".partial")));
    QString error;
    const QList<QStringList> records = parseCsv(readAll(csvPath), &error);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QCOMPARE(records.size(), 1 + expected.size());
    QCOMPARE(records[0], auditExportColumns());
    for (int i = 0; i < expected.size(); ++i) {
        const AuditEntry &e = expected[i];
        QCOMPARE(records[i + 1],
                 (QStringList{QString::number(e.id),
                              QDateTime::fromMSecsSinceEpoch(e.at, Qt::UTC)
                                  .toString(Qt::ISODateWithMs),
                              e.databaseUser, e.osUser, e.action, e.target, e.before, e.after,
                              e.reason}));
    }

    const QString jsonPath = dir.filePath(QStringLiteral("audit.json"));
    QVERIFY2(exportAndWait(page, jsonPath, AuditExportFormat::Json, &message), qPrintable(message));
    QJsonParseError parseError;
    const QJsonDocument json = QJsonDocument::fromJson(readAll(jsonPath), &parseError);
    QCOMPARE(parseError.error, QJsonParseError::NoError);
    const QJsonArray array = json.array();
    QCOMPARE(array.size(), expected.size());
    for (int i = 0; i < expected.size(); ++i) {
        const QJsonObject o = array[i].toObject();
        QCOMPARE(o.value("id").toInteger(), expected[i].id);
        QCOMPARE(o.value("at_ms").toInteger(), expected[i].at);
        QCOMPARE(o.value("os_user").toString(), expected[i].osUser);
        QCOMPARE(o.value("action").toString(), expected[i].action);
        QCOMPARE(o.value("target").toString(), expected[i].target);
        QCOMPARE(o.value("reason").toString(), expected[i].reason);
    }

    // A file that cannot be written says so; nothing is left behind.
    const QString badPath = dir.filePath(QStringLiteral("missing/audit.csv"));
    QVERIFY(!exportAndWait(page, badPath, AuditExportFormat::Csv, &message));
    QVERIFY(message.startsWith(QStringLiteral("Export failed: Cannot write")));
    QVERIFY(!QFile::exists(badPath));
}

void SupportTest::hostileReasonsRoundTrip()
{
    TestDatabase db(m_server);
    auto store = db.installedStore();
    auto writer = db.openWriter();
    seedCatalogue(*writer);
    QStringList reasons{QStringLiteral("a, b"), QStringLiteral("say \"no\""),
                        QStringLiteral("two\r\nlines"), QStringLiteral("=HYPERLINK(\"x\")"),
                        QStringLiteral("trailing\n")};
    const QStringList naughty = naughtyStrings();
    for (int i = 0; i < naughty.size(); i += 9)
        if (!naughty[i].trimmed().isEmpty())
            reasons << naughty[i];
    QVERIFY(reasons.size() > 50);
    for (int i = 0; i < reasons.size(); ++i)
        REQUIRE_OK(store->updateQueue(queueChange(i % 2 ? 4 : 5, reasons[i],
                                                  QStringLiteral("hostile"))));
    QStringList newestFirst;
    for (auto it = reasons.crbegin(); it != reasons.crend(); ++it)
        newestFirst << *it;

    AuditView page;
    showPage(page);
    page.setDatabase(db.url());
    page.operatorEdit()->setText(QStringLiteral("hostile"));
    QTest::mouseClick(page.refreshButton(), Qt::LeftButton);
    QVERIFY(waitForLoaded(page));
    QTRY_COMPARE(page.model()->rowCount(), int(reasons.size()));
    QCOMPARE(columnTexts(page.model(), AuditLogModel::Reason, Qt::ToolTipRole), newestFirst);
    for (int row = 0; row < page.model()->rowCount(); ++row) // one line each in the table
        QVERIFY(!page.model()->index(row, AuditLogModel::Reason).data().toString().contains('\n'));

    QTemporaryDir dir;
    QString message;
    const QString csvPath = dir.filePath(QStringLiteral("hostile.csv"));
    QVERIFY2(exportAndWait(page, csvPath, AuditExportFormat::Csv, &message), qPrintable(message));
    QString error;
    const QList<QStringList> records = parseCsv(readAll(csvPath), &error);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QCOMPARE(records.size(), reasons.size() + 1);
    for (int i = 0; i < newestFirst.size(); ++i)
        QCOMPARE(records[i + 1].value(8), newestFirst[i]);

    const QString jsonPath = dir.filePath(QStringLiteral("hostile.json"));
    QVERIFY2(exportAndWait(page, jsonPath, AuditExportFormat::Json, &message), qPrintable(message));
    const QJsonArray array = QJsonDocument::fromJson(readAll(jsonPath)).array();
    QCOMPARE(array.size(), reasons.size());
    for (int i = 0; i < newestFirst.size(); ++i)
        QCOMPARE(array[i].toObject().value("reason").toString(), newestFirst[i]);
}
