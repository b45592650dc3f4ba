// Hostile payloads stored as failed records in the real server, read back the way the console
// reads them (MergeStore::failure), and shown in the viewer.

#include "tst_payload.h"

#include "payload_text_view.h"
#include "payload_viewer.h"

#include <QDir>
#include <QElapsedTimer>
#include <QLabel>
#include <QLineEdit>
#include <QTest>
#include <QTreeView>

using namespace mc;
using namespace mc::test;
using mc::widgets::PayloadTextView;
using mc::widgets::PayloadViewer;
using Tab = PayloadViewer::Tab;

namespace {

struct StoredPayload
{
    QString name;
    QByteArray bytes;
    qint64 id = 0;
};

// One user with a failed record per payload, as a worker would write them.
void storeFailures(FleetWriter &writer, QList<StoredPayload> &payloads, const QString &contentType)
{
    seedCatalogue(writer);
    NewUser user;
    user.user = {QStringLiteral("lt"), 1};
    user.status = UserStatus::Failed;
    writer.addUsers({user});
    for (StoredPayload &payload : payloads) {
        NewFailure failure;
        failure.user = user.user;
        failure.modelId = 2;
        failure.recordId = payload.name.left(60);
        failure.payload = payload.bytes;
        failure.contentType = contentType;
        failure.errorClass = QStringLiteral("JSON::ParserError");
        failure.message = QStringLiteral("could not create the record");
        payload.id = writer.addFailure(failure);
    }
}

} // namespace

void PayloadTest::jsonTestSuiteStoredAndShown()
{
    const QDir dir(QStringLiteral(MC_CORPORA_DIR "/JSONTestSuite/test_parsing"));
    const QStringList names = dir.entryList({QStringLiteral("*.json")}, QDir::Files, QDir::Name);
    QVERIFY2(names.size() == 318, qPrintable(QStringLiteral("expected the 318 files of %1, found %2")
                                                 .arg(dir.path())
                                                 .arg(names.size())));
    QList<StoredPayload> payloads;
    for (const QString &name : names) {
        QFile file(dir.filePath(name));
        QVERIFY2(file.open(QIODevice::ReadOnly), qPrintable(file.fileName()));
        payloads.append({name, file.readAll()});
    }

    TestDatabase db(m_server);
    auto store = db.installedStore();
    auto writer = db.openWriter();
    storeFailures(*writer, payloads, QStringLiteral("application/json"));

    PayloadViewer viewer;
    viewer.resize(800, 500);
    auto *tree = viewer.findChild<QTreeView *>(QStringLiteral("treeView"));
    QVERIFY(tree);
    int valid = 0;
    int invalid = 0;
    for (const StoredPayload &payload : payloads) {
        const auto detail = store->failure(payload.id);
        REQUIRE_OK(detail);
        QVERIFY2(detail->payload == payload.bytes, qPrintable(payload.name)); // byte for byte

        QElapsedTimer clock;
        clock.start();
        viewer.setPayload(detail->payload, detail->contentType);
        if (!viewer.isShown())
            viewer.load();
        QTRY_VERIFY2_WITH_TIMEOUT(viewer.isShown(), qPrintable(payload.name), 10'000);
        QVERIFY(!viewer.grab().isNull()); // draws the tab in front
        const QString summary = viewer.summary();
        const QString label =
            viewer.findChild<QLabel *>(QStringLiteral("payloadClass"))->text();
        QVERIFY2(label.contains(summary), qPrintable(payload.name));
        if (payload.name.startsWith(u'y')) {
            QVERIFY2(summary == QStringLiteral("valid JSON"),
                     qPrintable(payload.name + QStringLiteral(": ") + summary));
            viewer.setCurrentTab(Tab::Tree);
            tree->expandRecursively(tree->model()->index(0, 0), 3);
            QVERIFY(!viewer.grab().isNull());
            ++valid;
        } else if (payload.name.startsWith(u'n')) {
            QVERIFY2(summary.startsWith(QStringLiteral("invalid JSON at byte ")),
                     qPrintable(payload.name + QStringLiteral(": ") + summary));
            QVERIFY(viewer.isTabAvailable(Tab::Pretty) || viewer.isTabAvailable(Tab::Hex));
            ++invalid;
        }
        for (Tab tab : {Tab::Pretty, Tab::Raw, Tab::Hex}) {
            if (viewer.isTabAvailable(tab)) {
                viewer.setCurrentTab(tab);
                QVERIFY(!viewer.grab().isNull());
            }
        }
        QVERIFY2(clock.elapsed() < 5'000, qPrintable(payload.name + QStringLiteral(" is slow")));
    }
    QCOMPARE(valid, 95);
    QCOMPARE(invalid, 188);
}

void PayloadTest::naughtyStringsShownExactlyAndFound()
{
    const QStringList strings = naughtyStrings();
    QVERIFY(strings.size() > 500);
    QList<StoredPayload> payloads;
    for (const QString &s : strings)
        payloads.append({s, s.toUtf8()});

    TestDatabase db(m_server);
    auto store = db.installedStore();
    auto writer = db.openWriter();
    storeFailures(*writer, payloads, QStringLiteral("application/json"));

    PayloadViewer viewer;
    viewer.resize(800, 400);
    auto *search = viewer.findChild<QLineEdit *>(QStringLiteral("payloadSearch"));
    auto *raw = viewer.findChild<PayloadTextView *>(QStringLiteral("rawView"));
    QVERIFY(search && raw);
    for (const StoredPayload &payload : payloads) {
        const auto detail = store->failure(payload.id);
        REQUIRE_OK(detail);
        viewer.setPayload(detail->payload, detail->contentType);
        QVERIFY(viewer.isShown());
        const QString &expected = payload.name;
        // Raw shows exactly the text the record holds, row by row as drawn.
        QVERIFY2(viewer.isTabAvailable(Tab::Raw), qPrintable(expected));
        viewer.setCurrentTab(Tab::Raw);
        QVERIFY2(raw->shownText() == expected, qPrintable(expected));
        QVERIFY2(raw->rows()->allText() == expected, qPrintable(expected));

        // The viewer's search finds the string in itself.
        search->setText(expected);
        QVERIFY2(raw->matchCount() >= 1, qPrintable(expected));
        QCOMPARE(raw->currentMatchRange()->start, 0);
        QCOMPARE(raw->currentMatchRange()->length, expected.size());
        QVERIFY(!viewer.grab().isNull());
    }
}
