#include "tst_bulk.h"

#include "failure_record_writer.h"

#include <QLocale>
#include <QTest>

void BulkTest::initTestCase()
{
    // Thousands separators on, as most operators see them.
    QLocale::setDefault(QLocale(QLocale::English, QLocale::UnitedStates));
    m_server = mc::test::TestServer::fromEnvironment();
    // The server must be there: a missing server fails the suite, it never skips it.
    auto probe = mc::openStore(m_server.admin.toString());
    QVERIFY2(probe.ok(), qPrintable(QStringLiteral("%1 server not reachable at %2: %3")
                                        .arg(m_server.backend, m_server.admin.redacted(),
                                             probe.ok() ? QString() : probe.error().message)));
}

void BulkTest::payloadIsTextOnlyWhenItsBytesComeBack()
{
    using mc::payloadText;
    const QByteArray json = R"({"title":"Dviratis 🚲","price":"12,50 €"})";
    QCOMPARE(payloadText(json).base64, false);
    QCOMPARE(payloadText(json).text.toUtf8(), json);

    const QByteArray bom = "\xEF\xBB\xBF{\"a\":1}";
    QCOMPARE(payloadText(bom).base64, false);
    QCOMPARE(payloadText(bom).text.toUtf8(), bom); // the mark is kept, not swallowed

    for (const QByteArray &binary : {QByteArray("\xFF\xFE\x00\x01", 4), QByteArray("a\0b", 3),
                                     QByteArray("\xC3\x28"), QByteArray("\xED\xA0\x80")}) {
        const mc::PayloadText text = payloadText(binary);
        QVERIFY2(text.base64, binary.toHex().constData());
        QCOMPARE(QByteArray::fromBase64(text.text.toLatin1()), binary);
    }
    QCOMPARE(payloadText(QByteArray()).base64, false);
    QCOMPARE(mc::isoUtc(mc::test::kT0 + 5), QStringLiteral("2025-11-24T16:00:00.005Z"));
}

QTEST_MAIN(BulkTest)
