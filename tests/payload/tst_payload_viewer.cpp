// The payload viewer as QA sees it, offscreen: what the header says, which tabs there are, what
// the views show, search, copy, and a huge payload that must not freeze the window.

#include "tst_payload.h"

#include "hex_rows.h"
#include "json_tree_model.h"
#include "payload_text_view.h"
#include "payload_viewer.h"

#include <QApplication>
#include <QClipboard>
#include <QElapsedTimer>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QScrollBar>
#include <QSignalSpy>
#include <QTest>
#include <QThreadPool>
#include <QTimer>
#include <QToolButton>
#include <QTreeView>

using namespace mc::payload;
using mc::widgets::PayloadTextView;
using mc::widgets::PayloadViewer;
using Tab = PayloadViewer::Tab;

namespace {

const QString kJson = QStringLiteral("application/json");

template<typename T>
T *child(const PayloadViewer &viewer, const char *name)
{
    T *found = viewer.findChild<T *>(QLatin1StringView(name));
    if (!found)
        qFatal("no %s in the payload viewer", name);
    return found;
}

PayloadTextView *view(const PayloadViewer &viewer, const char *name)
{
    return child<PayloadTextView>(viewer, name);
}

// An order export like the serializer writes, `count` orders, on one line.
QByteArray ordersJson(int count, int linesPerOrder = 3)
{
    QByteArray json = "[";
    for (int i = 0; i < count; ++i) {
        if (i)
            json += ',';
        json += R"({"id":)" + QByteArray::number(100000 + i) + R"(,"user":{"portal":"lt","id":)"
                + QByteArray::number(i % 977) + R"(},"status":"paid","lines":[)";
        for (int l = 0; l < linesPerOrder; ++l) {
            json += (l ? "," : "") + QByteArray(R"({"sku":"SKU-)") + QByteArray::number(l * 7 + i)
                    + R"(","qty":)" + QByteArray::number(l + 1)
                    + R"(,"price":19.99,"gift":false,"note":null})";
        }
        json += R"(],"comment":"Dėkui! \u00e9 \"quoted\""})";
    }
    return json + ']';
}

// The dump written independently of HexRows: "%08x", two groups of eight, then the ASCII.
QString expectedHexDump(const QByteArray &bytes)
{
    QStringList rows;
    for (qsizetype offset = 0; offset < bytes.size(); offset += 16) {
        QString row = QString::asprintf("%08llx  ", static_cast<unsigned long long>(offset));
        QString ascii;
        for (qsizetype i = 0; i < 16; ++i) {
            if (offset + i < bytes.size()) {
                const auto b = static_cast<uchar>(bytes[offset + i]);
                row += QString::asprintf("%02x ", b);
                ascii += b >= 32 && b < 127 ? QChar(b) : QChar(u'.');
            } else {
                row += QStringLiteral("   ");
            }
            if (i == 7)
                row += u' ';
        }
        rows << row + QStringLiteral(" |") + ascii + u'|';
    }
    return rows.join(u'\n');
}

} // namespace

void PayloadTest::binaryPayloadShowsItsHexDump()
{
    QByteArray bytes;
    for (int b = 0; b < 256; ++b)
        bytes += char(b);
    PayloadViewer viewer;
    viewer.setPayload(bytes, QStringLiteral("application/octet-stream"));
    QVERIFY(viewer.isShown());
    QCOMPARE(viewer.summary(), QStringLiteral("binary / not UTF-8 (first at byte 128)"));
    QVERIFY(child<QLabel>(viewer, "payloadClass")->text().contains(QStringLiteral("binary / not UTF-8")));
    QVERIFY(child<QLabel>(viewer, "payloadSize")->text().contains(QStringLiteral("256 bytes")));
    QCOMPARE(viewer.currentTab(), Tab::Hex);
    QVERIFY(viewer.isTabAvailable(Tab::Hex));
    QVERIFY(!viewer.isTabAvailable(Tab::Pretty));
    QVERIFY(!viewer.isTabAvailable(Tab::Tree));
    QVERIFY(!viewer.isTabAvailable(Tab::Raw));

    const PayloadTextView *hex = view(viewer, "hexView");
    QCOMPARE(hex->rows()->rowCount(), 16);
    QCOMPARE(hex->shownText(), expectedHexDump(bytes));
    QCOMPARE(hex->rows()->rowText(4),
             QStringLiteral("00000040  40 41 42 43 44 45 46 47  48 49 4a 4b 4c 4d 4e 4f  "
                            "|@ABCDEFGHIJKLMNO|"));
    QVERIFY(!viewer.grab().isNull());

    // Search in the hex tab looks for the bytes of the text.
    child<QLineEdit>(viewer, "payloadSearch")->setText(QStringLiteral("KLM"));
    QCOMPARE(hex->matchCount(), 2); // KLM and klm
    QCOMPARE(hex->currentMatchRange()->start, 0x4b);
    QCOMPARE(child<QLabel>(viewer, "matchCount")->text(), QStringLiteral("1 of 2"));
    QTest::mouseClick(child<QToolButton>(viewer, "matchCase"), Qt::LeftButton);
    QCOMPARE(hex->matchCount(), 1);
}

void PayloadTest::invalidUtf8IsLabelled()
{
    // Latin-1 where UTF-8 belongs: "café" with a lone 0xE9.
    const QByteArray latin1("{\"name\": \"caf\xE9\"}");
    PayloadViewer viewer;
    viewer.setPayload(latin1, kJson);
    QCOMPARE(viewer.classification().kind, PayloadKind::InvalidJson);
    QCOMPARE(viewer.summary(), QStringLiteral("invalid JSON at byte 13: invalid UTF-8 byte 0xe9 "
                                              "in a string (binary / not UTF-8)"));
    QCOMPARE(viewer.currentTab(), Tab::Hex); // not UTF-8: the bytes are what can be trusted
    QVERIFY(!viewer.isTabAvailable(Tab::Raw));
    QVERIFY(viewer.isTabAvailable(Tab::Pretty)); // the text, with the bad byte marked
    QCOMPARE(view(viewer, "prettyView")->shownText(), QStringLiteral("{\"name\": \"caf\uFFFD\"}"));
    QCOMPARE(view(viewer, "hexView")->shownText(), expectedHexDump(latin1));

    viewer.setPayload(latin1, QStringLiteral("text/plain"));
    QCOMPARE(viewer.classification().kind, PayloadKind::Binary);
    QVERIFY(viewer.summary().startsWith(QStringLiteral("binary / not UTF-8")));
    QCOMPARE(viewer.currentTab(), Tab::Hex);

    viewer.setPayload(QByteArray("a\0b", 3), QStringLiteral("text/plain"));
    QCOMPARE(viewer.summary(), QStringLiteral("binary (NUL byte at 1)"));
}

void PayloadTest::invalidJsonShowsTheTextWithTheErrorMarked()
{
    // Long enough that the error is far down: the Pretty tab must scroll to it.
    QByteArray json = "{\n";
    for (int i = 0; i < 300; ++i)
        json += "  \"field" + QByteArray::number(i) + "\": " + QByteArray::number(i) + ",\n";
    json += "  \"last\": [1, 2,]\n}";
    const qsizetype errorAt = json.indexOf(",]") + 1;
    PayloadViewer viewer;
    viewer.resize(700, 400);
    viewer.setPayload(json, kJson);
    QCOMPARE(viewer.summary(),
             QStringLiteral("invalid JSON at byte %1: unexpected ']'").arg(errorAt));
    QCOMPARE(viewer.currentTab(), Tab::Pretty);
    QVERIFY(!viewer.isTabAvailable(Tab::Tree));
    QVERIFY(viewer.isTabAvailable(Tab::Raw));

    const PayloadTextView *pretty = view(viewer, "prettyView");
    QCOMPARE(pretty->shownText(), QString::fromUtf8(json)); // the text as it is, not reformatted
    const qsizetype errorRow = 301;
    QVERIFY(pretty->firstVisibleRow() <= errorRow);
    QVERIFY(pretty->firstVisibleRow() + pretty->visibleRowCount() > errorRow);
    bool marked = false;
    for (const RowSpan &span : pretty->rows()->rowSpans(errorRow)) {
        if (span.kind == SpanKind::Error)
            marked = pretty->rows()->rowText(errorRow).mid(span.column, span.length) == u"]";
    }
    QVERIFY2(marked, "the ']' is marked as the error");
    QCOMPARE(view(viewer, "rawView")->shownText(), QString::fromUtf8(json));
    QVERIFY(!viewer.grab().isNull());
}

void PayloadTest::searchCountsAndStepsThroughMatches()
{
    PayloadViewer viewer;
    viewer.resize(800, 500);
    viewer.setPayload(ordersJson(40), kJson);
    QCOMPARE(viewer.summary(), QStringLiteral("valid JSON"));
    QCOMPARE(viewer.currentTab(), Tab::Pretty);
    auto *search = child<QLineEdit>(viewer, "payloadSearch");
    auto *count = child<QLabel>(viewer, "matchCount");
    const PayloadTextView *pretty = view(viewer, "prettyView");

    search->setText(QStringLiteral("\"status\""));
    QCOMPARE(pretty->matchCount(), 40);
    QCOMPARE(count->text(), QStringLiteral("1 of 40"));
    QTest::mouseClick(child<QToolButton>(viewer, "findNext"), Qt::LeftButton);
    QCOMPARE(count->text(), QStringLiteral("2 of 40"));
    QTest::mouseClick(child<QToolButton>(viewer, "findPrevious"), Qt::LeftButton);
    QTest::mouseClick(child<QToolButton>(viewer, "findPrevious"), Qt::LeftButton);
    QCOMPARE(count->text(), QStringLiteral("40 of 40")); // wraps around
    // The current match is on screen.
    const qsizetype row = pretty->rows()->rowOfUnit(pretty->currentMatchRange()->start);
    QVERIFY(row >= pretty->firstVisibleRow()
            && row < pretty->firstVisibleRow() + pretty->visibleRowCount());

    search->setText(QStringLiteral("PAID"));
    QCOMPARE(pretty->matchCount(), 40); // case-insensitive by default
    QTest::mouseClick(child<QToolButton>(viewer, "matchCase"), Qt::LeftButton);
    QCOMPARE(pretty->matchCount(), 0);
    QCOMPARE(count->text(), QStringLiteral("no matches"));

    // A new search starts from what is on screen; Enter steps through the matches.
    search->setText(QStringLiteral("Dėkui"));
    QCOMPARE(count->text(), QStringLiteral("40 of 40")); // the view is at the last order
    search->clear();
    pretty->verticalScrollBar()->setValue(0);
    search->setText(QStringLiteral("Dėkui"));
    QCOMPARE(count->text(), QStringLiteral("1 of 40"));
    QTest::keyClick(search, Qt::Key_Return);
    QCOMPARE(count->text(), QStringLiteral("2 of 40"));
    viewer.setCurrentTab(Tab::Raw);
    QCOMPARE(view(viewer, "rawView")->matchCount(), 40);
    QCOMPARE(pretty->matchCount(), 0); // only the tab in front keeps matches
    viewer.setCurrentTab(Tab::Tree);
    QVERIFY(!search->isEnabled());
}

void PayloadTest::treeTabShowsTheDocument()
{
    PayloadViewer viewer;
    viewer.resize(800, 500);
    viewer.show();
    QVERIFY(QTest::qWaitForWindowExposed(&viewer));
    viewer.setPayload(ordersJson(3), kJson);
    QVERIFY(viewer.isTabAvailable(Tab::Tree));
    viewer.setCurrentTab(Tab::Tree);
    auto *tree = child<QTreeView>(viewer, "treeView");
    QAbstractItemModel *model = tree->model();
    QVERIFY(model);
    const QModelIndex root = model->index(0, 0);
    QVERIFY(tree->isExpanded(root));
    QCOMPARE(model->index(0, 2).data().toString(), QStringLiteral("[3 items]"));
    QCOMPARE(model->rowCount(root), 3);
    const QModelIndex order = model->index(0, 0, root);
    tree->expand(order);
    QCOMPARE(model->rowCount(order), 5);
    QCOMPARE(model->index(0, 0, order).data().toString(), QStringLiteral("id"));
    QCOMPARE(model->index(0, 2, order).data().toString(), QStringLiteral("100000"));
    QCOMPARE(model->index(4, 2, order).data().toString(),
             QStringLiteral("\"Dėkui! é \"quoted\"\""));
    QCOMPARE(model->index(3, 2, order).data().toString(), QStringLiteral("[3 items]"));
    QVERIFY(!viewer.grab().isNull());
}

void PayloadTest::copyTakesTheTextOrTheHexDump()
{
    PayloadViewer viewer;
    const QByteArray text = "{\"a\": \"\xE2\x82\xAC\"}\r\n";
    viewer.setPayload(text, kJson);
    QTest::mouseClick(child<QPushButton>(viewer, "copyPayload"), Qt::LeftButton);
    QCOMPARE(QApplication::clipboard()->text(), QString::fromUtf8(text));

    const QByteArray binary("\x00\x01\x02PNG\xff", 7);
    viewer.setPayload(binary, QStringLiteral("image/png"));
    QTest::mouseClick(child<QPushButton>(viewer, "copyPayload"), Qt::LeftButton);
    QCOMPARE(QApplication::clipboard()->text(), expectedHexDump(binary));

    // Selecting in a view copies what is selected.
    PayloadTextView *hex = view(viewer, "hexView");
    hex->selectAll();
    hex->copy();
    QCOMPARE(QApplication::clipboard()->text(), expectedHexDump(binary));
}

void PayloadTest::hugePayloadWaitsForLoadAndTheWindowKeepsAnswering()
{
    QByteArray huge = ordersJson(1, 1);
    huge.chop(1);
    const QByteArray more = ordersJson(1, 4).mid(1).chopped(1);
    while (huge.size() < 20 * 1024 * 1024)
        huge += ',' + more;
    huge += ']';
    QVERIFY(scanJson(huge).isValid());

    PayloadViewer viewer;
    viewer.resize(900, 650);
    viewer.show();
    QVERIFY(QTest::qWaitForWindowExposed(&viewer));
    viewer.setPayload(huge, kJson);
    QVERIFY(!viewer.isShown()); // nothing rendered before Load
    QVERIFY(child<QLabel>(viewer, "payloadSize")->text().contains(QStringLiteral("20.0 MiB")));
    auto *load = child<QPushButton>(viewer, "loadPayload");
    QVERIFY(load->isVisible());

    // The GUI thread keeps answering: a 20 ms timer ticks on time while the payload formats,
    // while it is put on screen, and while the user looks around in it.
    QElapsedTimer clock;
    qint64 lastTick = 0;
    qint64 worstGap = 0;
    QTimer ticker;
    ticker.setInterval(20);
    QObject::connect(&ticker, &QTimer::timeout, [&] {
        const qint64 now = clock.elapsed();
        worstGap = qMax(worstGap, now - lastTick);
        lastTick = now;
    });
    clock.start();
    ticker.start();
    QSignalSpy busy(&viewer, &PayloadViewer::busyChanged);
    QTest::mouseClick(load, Qt::LeftButton);
    QVERIFY(viewer.isBusy());
    QVERIFY(child<QWidget>(viewer, "payloadBusy")->isVisible());
    QVERIFY(child<QLabel>(viewer, "payloadClass")->text().contains(QStringLiteral("formatting")));
    QTRY_VERIFY_WITH_TIMEOUT(viewer.isShown(), 60'000);
    const qint64 formatMs = clock.elapsed();
    QVERIFY(!viewer.isBusy());
    QCOMPARE(busy.count(), 2);
    QCOMPARE(viewer.summary(), QStringLiteral("valid JSON"));

    PayloadTextView *pretty = view(viewer, "prettyView");
    QVERIFY(pretty->rows()->rowCount() > 500'000);
    QTest::qWait(100);
    pretty->scrollToUnit(pretty->rows()->unitsOfRow(pretty->rows()->rowCount() - 1).first);
    QTest::qWait(50);
    child<QLineEdit>(viewer, "payloadSearch")->setText(QStringLiteral("\"SKU-21\""));
    QTRY_VERIFY_WITH_TIMEOUT(!pretty->searching(), 30'000);
    QVERIFY(pretty->matchCount() >= 1);
    viewer.setCurrentTab(Tab::Tree);
    QTest::qWait(50);
    viewer.setCurrentTab(Tab::Raw);
    QTRY_VERIFY_WITH_TIMEOUT(!view(viewer, "rawView")->searching(), 30'000);
    viewer.setCurrentTab(Tab::Hex);
    QTest::qWait(100);
    ticker.stop();
    qInfo("20 MiB: shown after %lld ms; longest gap between 20 ms ticks: %lld ms", formatMs,
          worstGap);
    QVERIFY2(worstGap < 100, qPrintable(QStringLiteral("the GUI thread stalled for %1 ms").arg(worstGap)));
}

void PayloadTest::newPayloadDiscardsTheOldOneStillFormatting()
{
    const QByteArray first = ordersJson(9000);  // over a megabyte: waits for Load
    QByteArray second = ordersJson(9100);
    QVERIFY(first.size() > PayloadViewer::kLoadThreshold);
    PayloadViewer viewer;
    QSignalSpy shown(&viewer, &PayloadViewer::payloadShown);

    // A small payload arrives while a big one formats: the small one stays.
    viewer.setPayload(first, kJson);
    viewer.load();
    QVERIFY(viewer.isBusy());
    viewer.setPayload(QByteArray(R"({"b":1})"), kJson);
    QVERIFY(viewer.isShown());
    QThreadPool::globalInstance()->waitForDone();
    QTest::qWait(50);
    QCOMPARE(view(viewer, "prettyView")->shownText(), QStringLiteral("{\n  \"b\": 1\n}"));
    QCOMPARE(viewer.payload(), QByteArray(R"({"b":1})"));
    QCOMPARE(shown.count(), 1);
    QVERIFY(!viewer.isBusy());

    // Two big ones: only the second is shown.
    shown.clear();
    viewer.setPayload(first, kJson);
    viewer.load();
    second.replace("\"paid\"", "\"refunded\"");
    viewer.setPayload(second, kJson);
    viewer.load();
    QTRY_VERIFY_WITH_TIMEOUT(viewer.isShown(), 30'000);
    QThreadPool::globalInstance()->waitForDone();
    QTest::qWait(50);
    QCOMPARE(shown.count(), 1);
    QVERIFY(view(viewer, "rawView")->rows()->allText() == QString::fromUtf8(second));

    viewer.clear();
    QVERIFY(!viewer.isShown());
    QCOMPARE(child<QLabel>(viewer, "payloadClass")->text(), QStringLiteral("No payload"));
}
