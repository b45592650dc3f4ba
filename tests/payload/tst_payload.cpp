#include "tst_payload.h"

#include <QApplication>
#include <QLocale>
#include <QTest>

namespace {

QtMessageHandler g_testLog = nullptr;

// The offscreen platform says this every time a top-level window's size limits change; it says
// nothing about the viewer.
void dropOffscreenNoise(QtMsgType type, const QMessageLogContext &context, const QString &message)
{
    if (message == QLatin1StringView("This plugin does not support propagateSizeHints()"))
        return;
    g_testLog(type, context, message);
}

} // namespace

void PayloadTest::initTestCase()
{
    g_testLog = qInstallMessageHandler(dropOffscreenNoise);
    QLocale::setDefault(QLocale::c());
    m_server = mc::test::TestServer::fromEnvironment();
    // The server must be there: a missing server fails the suite, it never skips it.
    auto probe = mc::openStore(m_server.admin.toString());
    QVERIFY2(probe.ok(), qPrintable(QStringLiteral("%1 server not reachable at %2: %3")
                                        .arg(m_server.backend, m_server.admin.redacted(),
                                             probe.ok() ? QString() : probe.error().message)));
}

QTEST_MAIN(PayloadTest)
