#include "tst_payload.h"

#include <QApplication>
#include <QLocale>
#include <QTest>

void PayloadTest::initTestCase()
{
    QLocale::setDefault(QLocale::c());
    m_server = mc::test::TestServer::fromEnvironment();
    // The server must be there: a missing server fails the suite, it never skips it.
    auto probe = mc::openStore(m_server.admin.toString());
    QVERIFY2(probe.ok(), qPrintable(QStringLiteral("%1 server not reachable at %2: %3")
                                        .arg(m_server.backend, m_server.admin.redacted(),
                                             probe.ok() ? QString() : probe.error().message)));
}

QTEST_MAIN(PayloadTest)
