#include "tst_controls.h"

#include <QSettings>
#include <QTest>

void ControlsTest::initTestCase()
{
    // The tests' settings stay out of the user's.
    QVERIFY(m_settingsDir.isValid());
    QSettings::setDefaultFormat(QSettings::IniFormat);
    QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, m_settingsDir.path());
    QCoreApplication::setOrganizationName(QStringLiteral("MigrationConsoleTests"));
    QCoreApplication::setApplicationName(QStringLiteral("tst_controls"));
    QLocale::setDefault(QLocale::c());

    m_server = mc::test::TestServer::fromEnvironment();
    // The server must be there: a missing server fails the suite, it never skips it.
    auto probe = mc::openStore(m_server.admin.toString());
    QVERIFY2(probe.ok(), qPrintable(QStringLiteral("%1 server not reachable at %2: %3")
                                        .arg(m_server.backend, m_server.admin.redacted(),
                                             probe.ok() ? QString() : probe.error().message)));
}

QTEST_MAIN(ControlsTest)
