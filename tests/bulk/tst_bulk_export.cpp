// Export: a filter's records, exactly, as CSV and JSON that read back to what the database holds,
// hostile text included; a cancelled export leaves no file behind.

#include "tst_bulk.h"

#include "bulk_fixture.h"
#include "csv_reader.h"
#include "export_dialog.h"
#include "failure_export_job.h"
#include "view_host.h"

#include <QCheckBox>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProgressBar>
#include <QPushButton>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace mc;
using namespace mc::test;
using mc::widgets::ExportDialog;

namespace {

constexpr int kLongWait = 60'000;

QByteArray readAll(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return file.readAll();
}

// Every row the filter selects, by id, as the store pages them.
QMap<qint64, FailureRow> rowsOf(MergeStore &store, const FailureFilter &filter)
{
    QMap<qint64, FailureRow> rows;
    std::optional<FailureCursor> cursor;
    for (;;) {
        auto page = store.failures(filter, cursor, 500);
        if (!page)
            qFatal("failures: %s", qPrintable(page.error().message));
        for (const FailureRow &row : page->rows)
            rows.insert(row.id, row);
        if (!page->next)
            return rows;
        cursor = page->next;
    }
}

QByteArray decodePayload(const QString &encoding, const QString &text)
{
    return encoding == QLatin1String("base64") ? QByteArray::fromBase64(text.toLatin1())
                                               : text.toUtf8();
}

// Runs the dialog's export to `path` and waits for it to end.
void exportWith(ExportDialog &dialog, const QString &path, ExportFormat format, bool details)
{
    dialog.setPath(path);
    dialog.setFormat(format);
    dialog.detailsBox()->setChecked(details);
    dialog.setPageSize(50);
    dialog.show();
    QVERIFY(QTest::qWaitForWindowExposed(&dialog));
    QTest::mouseClick(dialog.exportButton(), Qt::LeftButton);
    QCOMPARE(dialog.state(), ExportDialog::State::Running);
    QTRY_COMPARE_WITH_TIMEOUT(dialog.state(), ExportDialog::State::Done, kLongWait);
    saveScreenshot(&dialog, QStringLiteral("export-done"));
    QVERIFY2(dialog.report().has_value(), "the export failed");
    QVERIFY(!dialog.report()->cancelled);
    QCOMPARE(dialog.report()->path, path);
    QVERIFY(!QFile::exists(partialPath(path)));
}

const QStringList kDetailColumns{
    "id",         "failed_at",   "portal",   "user_id",   "model",
    "record_id",  "phase",       "error_class", "message", "attempt",
    "resolution", "payload_size", "backtrace", "content_type", "payload_encoding",
    "payload"};

} // namespace

void BulkTest::exportHoldsExactlyTheFilterRowsAndHostileTextRoundTrips()
{
    TestDatabase db(m_server);
    auto store = db.installedStore();
    auto writer = db.openWriter();
    seedCatalogue(*writer);
    addUsers(*writer, QStringLiteral("lt"), 1, 50, UserStatus::Failed);
    addUsers(*writer, QStringLiteral("de"), 1, 5, UserStatus::Failed);

    QStringList messages = naughtyStrings();
    messages << QStringLiteral("line1\nline2\r\nline3\rline4") << QStringLiteral("\"quoted\", comma")
             << QStringLiteral("  leading and trailing  ") << QStringLiteral("tab\there")
             << QStringLiteral("\r\n") << QString() << QStringLiteral("\u0001\u001f control")
             << QStringLiteral("=cmd|' /C calc'!A0") << QString(3000, QChar(0x05D0));
    QHash<qint64, NewFailure> written;
    for (int i = 0; i < messages.size(); ++i) {
        NewFailure f;
        f.user = {QStringLiteral("lt"), 1 + i % 50};
        f.modelId = 2;
        f.recordId = QString::number(1000 + i);
        f.errorClass = QStringLiteral("Hostile::Text");
        f.message = messages[i];
        f.backtrace = QStringLiteral("app/items.rb:%1\n").arg(i) + messages[i];
        switch (i % 4) {
        case 0: f.payload = messages[i].toUtf8(); break;
        case 1: f.payload = QByteArray("\xFF\x00\xFE\x01 binary", 11); break;
        case 2: f.payload = "\xEF\xBB\xBF{\"bom\":true}"; break;
        default: break; // no payload
        }
        f.failedAt = kT0 + (i % 7) * 1000; // ties on failed_at: the id breaks them
        written.insert(writer->addFailure(f), f);
    }
    // Not the filter's: another model, another portal, and a record QA ignored.
    for (int i = 0; i < 20; ++i) {
        NewFailure other;
        other.user = {i % 2 ? QStringLiteral("lt") : QStringLiteral("de"), 1 + i % 5};
        other.modelId = i % 2 ? 3 : 2;
        other.errorClass = QStringLiteral("Other");
        other.message = QStringLiteral("not exported");
        writer->addFailure(other);
    }
    ResolutionChange ignore;
    ignore.failureIds = {written.keys().first()};
    ignore.reason = QStringLiteral("seen");
    ignore.by = tester();
    REQUIRE_OK(store->setResolution(ignore));

    FailureFilter filter;
    filter.portal = QStringLiteral("lt");
    filter.modelId = 2;
    const QList<qint64> ids = allFailureIds(*store, filter, 37);
    QCOMPARE(ids.size(), messages.size() - 1);
    const QMap<qint64, FailureRow> rows = rowsOf(*store, filter);
    QTemporaryDir dir;
    QVERIFY(dir.isValid());

    // CSV, read back by an independent RFC 4180 reader.
    const QString csvPath = dir.filePath(QStringLiteral("failures.csv"));
    {
        OpenDatabase opened(db.url());
        ExportDialog dialog(&opened.failures, filter);
        exportWith(dialog, csvPath, ExportFormat::Csv, true);
        QCOMPARE(dialog.report()->written, ids.size());
        QCOMPARE(dialog.report()->total, ids.size());
    }
    QString error;
    const QList<QStringList> records = readCsv(readAll(csvPath), &error);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QCOMPARE(records.size(), ids.size() + 1);
    QCOMPARE(records.first(), kDetailColumns);
    for (int r = 1; r < records.size(); ++r) {
        const QStringList &record = records[r];
        QCOMPARE(record.size(), kDetailColumns.size());
        const qint64 id = record[0].toLongLong();
        QCOMPARE(id, ids[r - 1]); // the same rows in the same (keyset) order
        const NewFailure &f = written[id];
        const FailureRow &row = rows[id];
        QCOMPARE(record[1], isoUtc(row.failedAt));
        QCOMPARE(record[2], QStringLiteral("lt"));
        QCOMPARE(record[3].toLongLong(), f.user.userId);
        QCOMPARE(record[4], QStringLiteral("items"));
        QCOMPARE(record[5], f.recordId);
        QCOMPARE(record[6], f.phase);
        QCOMPARE(record[7], f.errorClass);
        QCOMPARE(record[8], f.message);
        QCOMPARE(record[9].toInt(), f.attempt);
        QCOMPARE(record[10], QString());
        QCOMPARE(record[11].toLongLong(), qint64(f.payload.size()));
        QCOMPARE(record[12], f.backtrace);
        QCOMPARE(record[13], f.contentType);
        QCOMPARE(decodePayload(record[14], record[15]), f.payload);
    }

    // JSON, read back by Qt's parser.
    const QString jsonPath = dir.filePath(QStringLiteral("failures.json"));
    {
        OpenDatabase opened(db.url());
        ExportDialog dialog(&opened.failures, filter);
        exportWith(dialog, jsonPath, ExportFormat::Json, true);
    }
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(readAll(jsonPath), &parseError);
    QVERIFY2(parseError.error == QJsonParseError::NoError, qPrintable(parseError.errorString()));
    const QJsonArray array = document.array();
    QCOMPARE(array.size(), ids.size());
    for (int i = 0; i < array.size(); ++i) {
        const QJsonObject object = array[i].toObject();
        QCOMPARE(object.keys().size(), kDetailColumns.size());
        const qint64 id = object["id"].toInteger();
        QCOMPARE(id, ids[i]);
        const NewFailure &f = written[id];
        QCOMPARE(object["failed_at"].toString(), isoUtc(rows[id].failedAt));
        QCOMPARE(object["user_id"].toInteger(), f.user.userId);
        QCOMPARE(object["record_id"].toString(), f.recordId);
        QCOMPARE(object["message"].toString(), f.message);
        QCOMPARE(object["backtrace"].toString(), f.backtrace);
        QCOMPARE(object["payload_size"].toInteger(), qint64(f.payload.size()));
        QCOMPARE(object["payload_encoding"].toString(),
                 f.payload.contains('\xFF') ? QStringLiteral("base64") : QStringLiteral("utf-8"));
        QCOMPARE(decodePayload(object["payload_encoding"].toString(),
                               object["payload"].toString()),
                 f.payload);
    }
}

void BulkTest::exportWithoutDetailsNamesTheExcerpt()
{
    TestDatabase db(m_server);
    auto store = db.installedStore();
    auto writer = db.openWriter();
    seedCatalogue(*writer);
    addUsers(*writer, QStringLiteral("lt"), 1, 3, UserStatus::Failed);
    for (qint64 id = 1; id <= 3; ++id) {
        NewFailure f;
        f.user = {QStringLiteral("lt"), id};
        f.modelId = 2;
        f.errorClass = QStringLiteral("Err");
        f.message = QStringLiteral("first line, \"quoted\"\n") + QString(300, QLatin1Char('x'));
        f.payload = "{}";
        writer->addFailure(f);
    }
    const QMap<qint64, FailureRow> rows = rowsOf(*store, {});
    QTemporaryDir dir;
    QVERIFY(dir.isValid());

    // Through the job directly: the API the Failures page can use without the dialog.
    FailureExportJob job;
    job.open(db.url());
    QSignalSpy finished(&job, &FailureExportJob::finished);
    QSignalSpy progress(&job, &FailureExportJob::progress);
    for (ExportFormat format : {ExportFormat::Csv, ExportFormat::Json}) {
        finished.clear();
        const QString path = dir.filePath(format == ExportFormat::Csv ? "a.csv" : "a.json");
        job.start({}, path, ExportOptions{format, false, 2});
        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, kLongWait);
        QCOMPARE(finished[0][0].value<ExportReport>().written, 3);
        if (format == ExportFormat::Csv) {
            QString error;
            const QList<QStringList> records = readCsv(readAll(path), &error);
            QVERIFY2(error.isEmpty(), qPrintable(error));
            QCOMPARE(records.first(),
                     (QStringList{"id", "failed_at", "portal", "user_id", "model", "record_id",
                                  "phase", "error_class", "message_excerpt", "attempt",
                                  "resolution", "payload_size"}));
            QCOMPARE(records.size(), 4);
            for (int r = 1; r < records.size(); ++r)
                QCOMPARE(records[r][8], rows[records[r][0].toLongLong()].messageExcerpt);
        } else {
            const QJsonArray array = QJsonDocument::fromJson(readAll(path)).array();
            QCOMPARE(array.size(), 3);
            for (const QJsonValue &value : array) {
                const QJsonObject object = value.toObject();
                QVERIFY(!object.contains("payload"));
                QCOMPARE(object["message_excerpt"].toString(),
                         rows[object["id"].toInteger()].messageExcerpt);
            }
        }
    }
    QVERIFY(!progress.isEmpty());
    const ExportProgress last = progress.last()[0].value<ExportProgress>();
    QCOMPARE(last.written, 3);
    QCOMPARE(last.total, 3);

    // An empty filter result is still a valid document.
    FailureFilter none;
    none.errorClass = QStringLiteral("NoSuchClass");
    finished.clear();
    job.start(none, dir.filePath("empty.json"), ExportOptions{ExportFormat::Json, true, 10});
    QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, kLongWait);
    QCOMPARE(QJsonDocument::fromJson(readAll(dir.filePath("empty.json"))).array().size(), 0);
}

void BulkTest::cancelledExportLeavesNoFile()
{
    TestDatabase db(m_server);
    auto store = db.installedStore();
    auto writer = db.openWriter();
    seedCatalogue(*writer);
    addUsersWithFailures(*writer, QStringLiteral("lt"), 1, 3'000, UserStatus::Failed, 2,
                         QStringLiteral("boom"));
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(QStringLiteral("failures.csv"));
    {
        QFile previous(path);
        QVERIFY(previous.open(QIODevice::WriteOnly));
        previous.write("an earlier export\n");
    }

    // Stop pressed: the dialog stays and says nothing was written.
    {
        OpenDatabase opened(db.url());
        ExportDialog dialog(&opened.failures, {});
        dialog.setPath(path);
        dialog.detailsBox()->setChecked(true); // one read per record: slow enough to stop
        dialog.setPageSize(100);
        dialog.show();
        QVERIFY(QTest::qWaitForWindowExposed(&dialog));
        QTest::mouseClick(dialog.exportButton(), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(dialog.progressBar()->value() > 0, kLongWait);
        saveScreenshot(&dialog, QStringLiteral("export-running"));
        QTest::mouseClick(dialog.cancelButton(), Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(dialog.state(), ExportDialog::State::Done, kLongWait);
        saveScreenshot(&dialog, QStringLiteral("export-cancelled"));
        QVERIFY(dialog.report().has_value());
        QVERIFY(dialog.report()->cancelled);
        QVERIFY(dialog.report()->written < 3'000);
        QVERIFY(dialog.isVisible());
    }
    QCOMPARE(readAll(path), QByteArray("an earlier export\n"));
    QVERIFY(!QFile::exists(partialPath(path)));

    // The dialog closed and destroyed mid-export: the job stops and removes its partial file.
    {
        OpenDatabase opened(db.url());
        auto *dialog = new ExportDialog(&opened.failures, {});
        dialog->setPath(path);
        dialog->detailsBox()->setChecked(true);
        dialog->setPageSize(100);
        dialog->show();
        QTest::mouseClick(dialog->exportButton(), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(QFile::exists(partialPath(path)), kLongWait);
        QTRY_VERIFY_WITH_TIMEOUT(dialog->progressBar()->value() > 0, kLongWait);
        dialog->reject();
        delete dialog;
    }
    QTRY_VERIFY_WITH_TIMEOUT(!QFile::exists(partialPath(path)), kLongWait);
    QCOMPARE(readAll(path), QByteArray("an earlier export\n"));
    QCOMPARE(QDir(dir.path()).entryList(QDir::Files), QStringList{QStringLiteral("failures.csv")});
}
