// The payload core on small cases: expected values are written out here, never taken from the
// code under test.

#include "tst_payload_units.h"

#include "hex_rows.h"
#include "json_format.h"
#include "json_string.h"
#include "json_tree_model.h"
#include "payload_class.h"
#include "payload_search.h"
#include "text_rows.h"

#include <QAbstractItemModelTester>
#include <QLocale>
#include <QTest>

using namespace mc::payload;

namespace {

QString spanText(const FormattedText &formatted, SpanKind kind, int nth = 0)
{
    for (const TextSpan &span : formatted.spans) {
        if (span.kind == kind && nth-- == 0)
            return formatted.text.mid(span.start, span.length);
    }
    return QStringLiteral("<none>");
}

} // namespace

void PayloadUnitsTest::initTestCase()
{
    QLocale::setDefault(QLocale::c()); // numbers as the expected values write them
}

void PayloadUnitsTest::scannerFollowsRfc8259_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<qsizetype>("errorAt"); // -1: valid
    QTest::addColumn<QString>("reason");    // a part of the reason

    auto valid = [](const char *name, const QByteArray &json) {
        QTest::newRow(name) << json << qsizetype(-1) << QString();
    };
    auto invalid = [](const char *name, const QByteArray &json, qsizetype at, const char *why) {
        QTest::newRow(name) << json << at << QString::fromUtf8(why);
    };
    valid("empty array", "[]");
    valid("object", R"({"a": 1, "b": [true, false, null], "c": {}})");
    valid("scalar at top level", " 1 ");
    valid("string at top level", R"("x")");
    valid("whitespace of all four kinds", "\t\r\n [ 1 ] \n");
    valid("numbers", "[0, -0, 1.5, -12.25e+10, 1E-5, 0e0, 123456789012345678901234567890]");
    valid("escapes", R"(["\" \\ \/ \b \f \n \r \t \u00e9 \uD83D\uDE00"])");
    valid("lone surrogate escape (grammar allows it)", R"(["\ud800"])");
    valid("UTF-8 two to four bytes", "[\"\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80\"]");
    valid("noncharacter U+FFFF", "[\"\xEF\xBF\xBF\"]");
    valid("duplicate keys (grammar allows them)", R"({"a":1,"a":2})");

    invalid("empty", "", 0, "the payload is empty");
    invalid("only whitespace", "  ", 2, "only whitespace");
    invalid("trailing comma in array", "[1,]", 3, "unexpected ']'");
    invalid("trailing comma in object", R"({"a":1,})", 7, "unexpected '}', expected a key");
    invalid("missing colon", R"({"a" 1})", 5, "expected ':'");
    invalid("single-quoted key", "{'a':1}", 1, "expected a key in double quotes");
    invalid("missing comma", "[1 2]", 3, "expected ',' or ']'");
    invalid("unclosed array", "[1, [2]", 7, "'[' opened at byte 0 is not closed");
    invalid("extra close", "[1]]", 3, "after the end of the JSON value");
    invalid("leading zero", "01", 1, "leading zeros");
    invalid("lone minus", "-", 1, "a digit must follow '-'");
    invalid("dot without digits", "1.", 2, "a digit must follow '.'");
    invalid("leading dot", ".5", 0, "unexpected '.'");
    invalid("plus sign", "+1", 0, "unexpected '+'");
    invalid("exponent without digits", "1e+", 3, "exponent");
    invalid("hex number", "0x1F", 1, "unexpected 'x' after the end");
    invalid("NaN", "NaN", 0, "unexpected 'N'");
    invalid("truncated literal", "nul", 3, "unexpected end in 'null'");
    invalid("wrong literal", "[tru]", 4, "in 'true'");
    invalid("capitalised literal", "True", 0, "unexpected 'T'");
    invalid("bad escape", R"(["\x"])", 3, "invalid escape");
    invalid("short unicode escape", R"(["\u12G4"])", 6, "4 hex digits");
    invalid("raw newline in string", "[\"a\nb\"]", 3, "control character U+000A");
    invalid("raw tab in string", "[\"a\tb\"]", 3, "control character U+0009");
    invalid("unterminated string", R"(["abc)", 5, "string opened at byte 1 is not closed");
    invalid("byte order mark", "\xEF\xBB\xBF{}", 0, "byte order mark");
    invalid("comment", "[1 /* x */]", 3, "unexpected '/'");
    invalid("NUL outside a string", QByteArray("[\0]", 3), 1, "control character U+0000");
    invalid("invalid UTF-8 lead byte", "[\"\xFF\"]", 2, "invalid UTF-8 byte 0xff");
    invalid("overlong encoding", "[\"\xC0\xAF\"]", 2, "invalid UTF-8");
    invalid("encoded surrogate", "[\"\xED\xA0\x80\"]", 2, "invalid UTF-8");
    invalid("above U+10FFFF", "[\"\xF4\x90\x80\x80\"]", 2, "invalid UTF-8");
    invalid("truncated sequence", "[\"\xE2\x82\"]", 2, "invalid UTF-8");
    invalid("non-ASCII outside a string", "[\xC3\xA9]", 1, "'\xC3\xA9' (U+00E9)");
}

void PayloadUnitsTest::scannerFollowsRfc8259()
{
    QFETCH(QByteArray, json);
    QFETCH(qsizetype, errorAt);
    QFETCH(QString, reason);
    const JsonScanResult result = scanJson(json);
    if (errorAt < 0) {
        QVERIFY2(result.isValid(), qPrintable(result.error.reason));
        return;
    }
    QVERIFY(!result.isValid());
    QCOMPARE(result.error.byteOffset, errorAt);
    QVERIFY2(result.error.reason.contains(reason), qPrintable(result.error.reason));
}

void PayloadUnitsTest::deepNestingCostsNoCallStack()
{
    // A million levels: a recursive parser would overflow its stack long before.
    const qsizetype depth = 1'000'000;
    const QByteArray nested = QByteArray(depth, '[') + QByteArray(depth, ']');
    const JsonScanResult ok = scanJson(nested);
    QVERIFY(ok.isValid());
    QCOMPARE(ok.maxDepth, depth);

    const JsonScanResult open = scanJson(QByteArray(depth, '['));
    QCOMPARE(open.error.byteOffset, depth);
    QVERIFY(open.error.reason.contains(QStringLiteral("'[' opened at byte 999999 is not closed")));

    // Pretty-printing deep nesting stays linear: indentation stops growing at kMaxIndentDepth.
    const qsizetype prettyDepth = 100'000;
    const auto pretty =
        prettyPrintJson(QByteArray(prettyDepth, '[') + QByteArray(prettyDepth, ']'));
    QVERIFY(pretty);
    QVERIFY(pretty->text.startsWith(QStringLiteral("[\n  [\n    [")));
    QVERIFY(pretty->text.size() < prettyDepth * 2 * (kMaxIndentDepth * 2 + 2));
    QCOMPARE(pretty->text.count(u'\n'), prettyDepth * 2 - 2);
}

void PayloadUnitsTest::prettyPrintIndentsByTwoAndKeepsTokens()
{
    const QByteArray json = R"({"id":42,"name":"Caf\u00e9 \"x\"","tags":[],"price":-1.50E+2,)"
                            R"("meta":{},"items":[{"sku":"A-1","qty":1},null,true],)"
                            "\"city\":\"Vilnius \xE2\x82\xAC\"}";
    const auto pretty = prettyPrintJson(json);
    QVERIFY(pretty);
    const QString expected = QStringLiteral(R"({
  "id": 42,
  "name": "Caf\u00e9 \"x\"",
  "tags": [],
  "price": -1.50E+2,
  "meta": {},
  "items": [
    {
      "sku": "A-1",
      "qty": 1
    },
    null,
    true
  ],
  "city": "Vilnius €"
})");
    QCOMPARE(pretty->text, expected);
    QCOMPARE(prettyPrintJson("  7  ")->text, QStringLiteral("7"));
    QCOMPARE(prettyPrintJson("[[],{}]")->text, QStringLiteral("[\n  [],\n  {}\n]"));
    QVERIFY(!prettyPrintJson("[1,]"));
}

void PayloadUnitsTest::prettyPrintColoursTokens()
{
    const auto pretty = prettyPrintJson("{\"k\xC3\xBC\":[\"v\",1.5,false,null]}");
    QVERIFY(pretty);
    QCOMPARE(spanText(*pretty, SpanKind::Key), QStringLiteral("\"kü\""));
    QCOMPARE(spanText(*pretty, SpanKind::String), QStringLiteral("\"v\""));
    QCOMPARE(spanText(*pretty, SpanKind::Number), QStringLiteral("1.5"));
    QCOMPARE(spanText(*pretty, SpanKind::Literal, 0), QStringLiteral("false"));
    QCOMPARE(spanText(*pretty, SpanKind::Literal, 1), QStringLiteral("null"));
    for (size_t i = 1; i < pretty->spans.size(); ++i)
        QVERIFY(pretty->spans[i - 1].start + pretty->spans[i - 1].length <= pretty->spans[i].start);
}

void PayloadUnitsTest::invalidJsonMarksTheErrorInTheText()
{
    // The error offset is in bytes; in the text it is in UTF-16 units: "ü" is 2 bytes, 1 unit,
    // "😀" 4 bytes, 2 units.
    const QByteArray bytes = "{\"\xC3\xBC\xF0\x9F\x98\x80\": [1, 2,], \"more\": 3}";
    const QString text = QString::fromUtf8(bytes);
    const JsonScanResult scan = scanJson(bytes);
    QCOMPARE(scan.error.byteOffset, 17);
    QCOMPARE(scan.error.reason, QStringLiteral("unexpected ']'"));
    QCOMPARE(scan.error.textOffset, 14);
    const FormattedText marked = highlightInvalidJson(bytes, text, scan.error);
    QCOMPARE(marked.text, text);
    QCOMPARE(spanText(marked, SpanKind::Error), QStringLiteral("]"));
    QCOMPARE(spanText(marked, SpanKind::Key), QStringLiteral("\"ü😀\""));
    QCOMPARE(spanText(marked, SpanKind::Number, 1), QStringLiteral("2"));
    QCOMPARE(spanText(marked, SpanKind::AfterError), QStringLiteral(", \"more\": 3}"));
}

void PayloadUnitsTest::stringsDecodeEscapesAndSurrogates()
{
    QCOMPARE(decodeJsonString(R"("plain")"), QStringLiteral("plain"));
    QCOMPARE(decodeJsonString(R"("a\"b\\c\/d\b\f\n\r\t")"), QStringLiteral("a\"b\\c/d\b\f\n\r\t"));
    QCOMPARE(decodeJsonString(R"("\u00e9\u20AC")"), QStringLiteral("é€"));
    QCOMPARE(decodeJsonString(R"("\uD83D\uDE00!")"), QStringLiteral("😀!"));
    QCOMPARE(decodeJsonString(R"("\ud800x")"), QStringLiteral("\uFFFDx"));
    QCOMPARE(decodeJsonString(R"("\udc00")"), QStringLiteral("\uFFFD"));
    QCOMPARE(decodeJsonString(R"("\u0000")"), QString(QChar(0)));
    QCOMPARE(decodeJsonString("\"\xE2\x82\xAC\""), QStringLiteral("€"));
    QCOMPARE(decodeJsonStringBody(R"(abc\u00)"), QStringLiteral("abc")); // cut off escape
    QCOMPARE(previewString(QStringLiteral("a\nb\u2028c"), 100), QStringLiteral("a\\nb\\u2028c"));
    QCOMPARE(previewString(QStringLiteral("abcdef"), 3), QStringLiteral("abc…"));
}

void PayloadUnitsTest::payloadsAreClassified_data()
{
    QTest::addColumn<QByteArray>("payload");
    QTest::addColumn<QString>("contentType");
    QTest::addColumn<int>("kind");
    QTest::addColumn<QString>("summary");

    const auto json = QStringLiteral("application/json");
    QTest::newRow("valid JSON") << QByteArray(R"({"a":1})") << json
                                << int(PayloadKind::ValidJson) << QStringLiteral("valid JSON");
    QTest::newRow("JSON with charset")
        << QByteArray("[1]") << QStringLiteral("application/json; charset=utf-8")
        << int(PayloadKind::ValidJson) << QStringLiteral("valid JSON");
    QTest::newRow("vendor JSON") << QByteArray("[1") << QStringLiteral("application/vnd.api+json")
                                 << int(PayloadKind::InvalidJson)
                                 << QStringLiteral("invalid JSON at byte 2: unexpected end: '[' "
                                                   "opened at byte 0 is not closed");
    QTest::newRow("no content type: JSON expected")
        << QByteArray("{\"a\":]") << QString() << int(PayloadKind::InvalidJson)
        << QStringLiteral("invalid JSON at byte 5: unexpected ']'");
    QTest::newRow("invalid JSON and not UTF-8")
        << QByteArray("{\"a\":\"caf\xE9\"}") << json << int(PayloadKind::InvalidJson)
        << QStringLiteral("invalid JSON at byte 9: invalid UTF-8 byte 0xe9 in a string "
                          "(binary / not UTF-8)");
    QTest::newRow("plain text") << QByteArray("line one\nline two") << QStringLiteral("text/plain")
                                << int(PayloadKind::Text) << QStringLiteral("text");
    QTest::newRow("empty JSON") << QByteArray() << json << int(PayloadKind::InvalidJson)
                                << QStringLiteral("invalid JSON at byte 0: the payload is empty");
    QTest::newRow("empty text") << QByteArray() << QStringLiteral("text/plain")
                                << int(PayloadKind::Text) << QStringLiteral("empty");
    QTest::newRow("JSON under another type") << QByteArray("[1, 2]") << QStringLiteral("text/plain")
                                             << int(PayloadKind::ValidJson)
                                             << QStringLiteral("valid JSON");
    QTest::newRow("not UTF-8") << QByteArray("ab\x80z") << QStringLiteral("application/octet-stream")
                               << int(PayloadKind::Binary)
                               << QStringLiteral("binary / not UTF-8 (first at byte 2)");
    QTest::newRow("NUL bytes") << QByteArray("ab\0z", 4) << QStringLiteral("text/csv")
                               << int(PayloadKind::Binary)
                               << QStringLiteral("binary (NUL byte at 2)");
}

void PayloadUnitsTest::payloadsAreClassified()
{
    QFETCH(QByteArray, payload);
    QFETCH(QString, contentType);
    QFETCH(int, kind);
    QFETCH(QString, summary);
    const PayloadClass result = classifyPayload(payload, contentType);
    QCOMPARE(int(result.kind), kind);
    QCOMPARE(result.summary(), summary);
}

void PayloadUnitsTest::hexDumpLooksLikeHexdumpC()
{
    const QByteArray bytes("Hello, world\n\0\xff\x7f" "abc", 19);
    const HexRows rows(bytes);
    QCOMPARE(rows.rowCount(), 2);
    // What `hexdump -C` prints for these bytes.
    QCOMPARE(rows.rowText(0),
             QStringLiteral("00000000  48 65 6c 6c 6f 2c 20 77  6f 72 6c 64 0a 00 ff 7f  "
                            "|Hello, world....|"));
    QCOMPARE(rows.rowText(1),
             QStringLiteral("00000010  61 62 63                                          |abc|"));
    QCOMPARE(hexDump(bytes), rows.rowText(0) + u'\n' + rows.rowText(1));
    QCOMPARE(HexRows(QByteArray()).rowCount(), 0);

    // A match of bytes 14..17 marks both the hex and the ASCII columns of each row.
    const std::vector<SearchMatch> matches = findAllInBytes(bytes, "\xff\x7f" "a", Qt::CaseSensitive, 10);
    QCOMPARE(matches.size(), size_t(1));
    QCOMPARE(matches[0].start, 14);
    const std::vector<RowSpan> first = rows.matchSpans(0, matches, 0);
    QCOMPARE(first.size(), size_t(2));
    QCOMPARE(rows.rowText(0).mid(first[0].column, first[0].length), QStringLiteral("ff 7f"));
    QCOMPARE(rows.rowText(0).mid(first[1].column, first[1].length), QStringLiteral(".."));
    const std::vector<RowSpan> second = rows.matchSpans(1, matches, 0);
    QCOMPARE(rows.rowText(1).mid(second[0].column, second[0].length), QStringLiteral("61"));
    QCOMPARE(second[0].kind, SpanKind::CurrentMatch);
}

void PayloadUnitsTest::searchFindsEveryOccurrenceAndSteps()
{
    const QString text = QStringLiteral("Order ORDER order; orderly");
    auto starts = [](const std::vector<SearchMatch> &matches) {
        QList<qsizetype> out;
        for (const SearchMatch &m : matches)
            out << m.start;
        return out;
    };
    QCOMPARE(starts(findAllInText(text, u"order", Qt::CaseInsensitive, 100)),
             (QList<qsizetype>{0, 6, 12, 19}));
    QCOMPARE(starts(findAllInText(text, u"order", Qt::CaseSensitive, 100)),
             (QList<qsizetype>{12, 19}));
    QCOMPARE(starts(findAllInText(text, u"order", Qt::CaseInsensitive, 2)), (QList<qsizetype>{0, 6}));
    QCOMPARE(starts(findAllInText(QStringLiteral("aaaa"), u"aa", Qt::CaseSensitive, 10)),
             (QList<qsizetype>{0, 2})); // not overlapping
    QVERIFY(findAllInText(text, u"", Qt::CaseSensitive, 10).empty());
    QCOMPARE(starts(findAllInBytes("xABxabx", "ab", Qt::CaseInsensitive, 10)),
             (QList<qsizetype>{1, 4}));

    QCOMPARE(findNext(text, u"order", 0, Qt::CaseSensitive), 12);
    QCOMPARE(findNext(text, u"order", 13, Qt::CaseSensitive), 19);
    QCOMPARE(findNext(text, u"order", 20, Qt::CaseSensitive), -1);
    QCOMPARE(findPrevious(text, u"order", 19, Qt::CaseSensitive), 12);
    QCOMPARE(findPrevious(text, u"order", 12, Qt::CaseSensitive), -1);
    QCOMPARE(findPrevious(text, u"ORDER", text.size(), Qt::CaseInsensitive), 19);

    QCOMPARE(stepMatch(3, -1, true), 0);
    QCOMPARE(stepMatch(3, -1, false), 2);
    QCOMPARE(stepMatch(3, 2, true), 0);
    QCOMPARE(stepMatch(3, 0, false), 2);
    QCOMPARE(stepMatch(0, 0, true), -1);
}

void PayloadUnitsTest::longLinesWrapIntoNumberedRows()
{
    // Line 1: 20 characters with a surrogate pair across the wrap column; line 2 empty; line 3.
    const QString line1 = QStringLiteral("abcdefg😀hijklmnopqr");
    const QString text = line1 + QStringLiteral("\n\nend");
    const WrappedText rows(text, std::vector<TextSpan>{}, 8);
    QCOMPARE(rows.lineCount(), 3);
    QCOMPARE(rows.rowText(0), QStringLiteral("abcdefg")); // the pair goes to the next row whole
    QCOMPARE(rows.rowText(1), QStringLiteral("😀hijklm")); // 8 UTF-16 units
    QCOMPARE(rows.rowText(2), QStringLiteral("nopqr"));
    QCOMPARE(rows.rowText(3), QString());
    QCOMPARE(rows.rowText(4), QStringLiteral("end"));
    QCOMPARE(rows.rowCount(), 5);
    QCOMPARE(rows.rowLabel(0), QStringLiteral("1"));
    QVERIFY(rows.continuesPreviousRow(1));
    QCOMPARE(rows.rowLabel(1), QStringLiteral("↪"));
    QCOMPARE(rows.rowLabel(3), QStringLiteral("2"));
    QCOMPARE(rows.rowLabel(4), QStringLiteral("3"));
    QCOMPARE(rows.rowOfPosition(text.indexOf(u'h')), 1);
    QCOMPARE(rows.allText(), text);
    QCOMPARE(rows.copyText({1, 2}, {4, 1}), QStringLiteral("hijklmnopqr\n\ne"));
    QCOMPARE(rows.copyText({4, 1}, {1, 2}), QStringLiteral("hijklmnopqr\n\ne"));

    const WrappedText empty(QString{});
    QCOMPARE(empty.rowCount(), 1);
    QCOMPARE(empty.allText(), QString());
}

void PayloadUnitsTest::treeModelMakesNodesWhenAsked()
{
    QByteArray json = R"({"order": {"id": 7, "note": "a\nb \u00e9"}, "li\nnes": [)";
    for (int i = 0; i < 1200; ++i)
        json += (i ? "," : "") + QByteArray::number(i);
    json += R"(], "empty": [], "ok": true, "none": null})";
    JsonTreeModel model(std::make_shared<JsonTree>(json));
    QCOMPARE(model.rowCount(), 1);
    const QModelIndex root = model.index(0, 0);
    QCOMPARE(root.data().toString(), QStringLiteral("(root)"));
    QCOMPARE(model.index(0, 2).data().toString(), QStringLiteral("{5 keys}"));
    QCOMPARE(model.rowCount(root), 0); // nothing made before it is asked for
    QVERIFY(model.canFetchMore(root));
    model.fetchMore(root);
    QCOMPARE(model.rowCount(root), 5);
    QVERIFY(!model.canFetchMore(root));

    auto cell = [&](const QModelIndex &parent, int row, int column) {
        return model.index(row, column, parent).data().toString();
    };
    QCOMPARE(cell(root, 0, 0), QStringLiteral("order"));
    QCOMPARE(cell(root, 0, 1), QStringLiteral("object"));
    QCOMPARE(cell(root, 1, 0), QStringLiteral("li\\nnes")); // a key on one line
    QCOMPARE(cell(root, 1, 2), QStringLiteral("[1200 items]"));
    QCOMPARE(cell(root, 2, 2), QStringLiteral("[0 items]"));
    QCOMPARE(cell(root, 3, 1), QStringLiteral("boolean"));
    QCOMPARE(cell(root, 4, 2), QStringLiteral("null"));
    QVERIFY(!model.hasChildren(model.index(2, 0, root)));

    const QModelIndex order = model.index(0, 0, root);
    model.fetchMore(order);
    QCOMPARE(cell(order, 0, 2), QStringLiteral("7"));
    QCOMPARE(cell(order, 1, 0), QStringLiteral("note"));
    QCOMPARE(cell(order, 1, 2), QStringLiteral("\"a\\nb é\""));
    QCOMPARE(model.parent(model.index(1, 0, order)), order);

    // A big array comes in batches.
    const QModelIndex lines = model.index(1, 0, root);
    model.fetchMore(lines);
    QCOMPARE(model.rowCount(lines), int(JsonTreeModel::kBatch));
    while (model.canFetchMore(lines))
        model.fetchMore(lines);
    QCOMPARE(model.rowCount(lines), 1200);
    QCOMPARE(cell(lines, 1199, 0), QStringLiteral("[1199]"));
    QCOMPARE(cell(lines, 1199, 2), QStringLiteral("1199"));

    // The model tester checks a second model as everything in it is fetched.
    JsonTreeModel checked(std::make_shared<JsonTree>(json));
    QAbstractItemModelTester tester(&checked,
                                    QAbstractItemModelTester::FailureReportingMode::QtTest);
    QList<QModelIndex> pending{checked.index(0, 0)};
    int nodes = 0;
    while (!pending.isEmpty()) {
        const QModelIndex index = pending.takeLast();
        ++nodes;
        while (checked.canFetchMore(index))
            checked.fetchMore(index);
        for (int row = 0; row < checked.rowCount(index); ++row)
            pending << checked.index(row, 0, index);
    }
    QCOMPARE(nodes, 1 + 5 + 2 + 1200);
}

QTEST_GUILESS_MAIN(PayloadUnitsTest)
