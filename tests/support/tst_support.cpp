#include "tst_support.h"
#include "scratch_settings.h"

#include <QApplication>
#include <QSettings>
#include <QTest>

void SupportTest::initTestCase()
{
    QVERIFY(mc::test::useScratchSettings(m_dir, QStringLiteral("tst_support")));
    qputenv("USER", "support-tester"); // the OS user the views record as the operator

    m_server = mc::test::TestServer::fromEnvironment();
    // The server must be there: a missing server fails the suite, it never skips it.
    auto probe = mc::openStore(m_server.admin.toString());
    QVERIFY2(probe.ok(), qPrintable(QStringLiteral("%1 server not reachable at %2: %3")
                                        .arg(m_server.backend, m_server.admin.redacted(),
                                             probe.ok() ? QString() : probe.error().message)));
}

QTEST_MAIN(SupportTest)
