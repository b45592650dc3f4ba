// Verified TLS against the real servers that `MC_DB_TLS=1 scripts/db start` runs with a
// throwaway CA (MC_TEST_TLS_CA; MC_TEST_TLS_OTHER_CA signed nothing): the right CA connects and
// reports *verified* (store, migctl status --json, the status bar); the wrong CA fails with a
// clear message; an encrypted but unverified and a plain connection say so; unknown parameters
// and values exit 2 naming them, before connecting.

#include "connection_indicator.h"
#include "contract_fixture.h"
#include "database.h"
#include "migctl_runner.h"

#include <QRegularExpression>
#include <QTest>

using namespace mc;
using namespace mc::test;

#define EXPECT_EXIT(run, code)                                                                  \
    QVERIFY2((run).exitCode == (code) && !(run).crashed, qPrintable((run).describe()))

class TlsTest : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void rightCaConnectsVerified();
    void wrongCaFailsWithAClearMessage();
    void encryptedButNotVerifiedAndPlainSaySo();
    void migctlReportsTlsAndRefusesUnknownParameters();
    void statusBarShowsVerified();

private:
    ConnectionUrl withTls(const QString &mode, const QString &ca) const;
    ConnectionUrl verified(ConnectionUrl url) const; // the strictest mode, the right CA

    TestServer m_server;
    QString m_ca;
    QString m_otherCa;
    bool m_pg = true;
};

void TlsTest::initTestCase()
{
    m_server = TestServer::fromEnvironment();
    m_pg = m_server.admin.backend == sql::Backend::PostgreSQL;
    m_ca = qEnvironmentVariable("MC_TEST_TLS_CA");
    m_otherCa = qEnvironmentVariable("MC_TEST_TLS_OTHER_CA");
    if (m_ca.isEmpty() || m_otherCa.isEmpty())
        QFAIL("MC_TEST_TLS_CA and MC_TEST_TLS_OTHER_CA are not set: start the servers with "
              "MC_DB_TLS=1 scripts/db start and export $(scripts/db ca), $(scripts/db other-ca) "
              "(scripts/test does)");
}

ConnectionUrl TlsTest::withTls(const QString &mode, const QString &ca) const
{
    ConnectionUrl url = m_server.admin;
    url.settings.sslMode = mode;
    url.settings.sslRootCert = ca;
    return url;
}

ConnectionUrl TlsTest::verified(ConnectionUrl url) const
{
    url.settings.sslMode = m_pg ? QStringLiteral("verify-full") : QStringLiteral("VERIFY_IDENTITY");
    url.settings.sslRootCert = m_ca;
    return url;
}

void TlsTest::rightCaConnectsVerified()
{
    const ConnectionUrl url = verified(m_server.admin);
    // Through the text form, as an operator gives it.
    auto store = openStore(url.toString());
    QVERIFY2(store.ok(), qPrintable(store.ok() ? QString() : store.error().message));
    auto info = store.value()->serverInfo();
    QVERIFY(info.ok());
    QVERIFY(info->tls.enabled);
    QVERIFY(info->tls.verified);
    QCOMPARE(tlsDescription(info->tls), QStringLiteral("verified"));
}

void TlsTest::wrongCaFailsWithAClearMessage()
{
    for (const QString &mode : m_pg ? QStringList{"verify-ca", "verify-full"}
                                    : QStringList{"VERIFY_CA", "VERIFY_IDENTITY"}) {
        auto store = openStore(withTls(mode, m_otherCa).toString());
        QVERIFY2(!store.ok(), qPrintable(mode));
        QCOMPARE(store.error().kind, StoreError::Kind::Connection);
        QVERIFY2(store.error().message.contains(QLatin1String("certificate was not accepted")),
                 qPrintable(store.error().message));
        QVERIFY2(store.error().message.contains(m_pg ? QLatin1String("sslrootcert")
                                                     : QLatin1String("ssl-ca")),
                 qPrintable(store.error().message));
    }
}

void TlsTest::encryptedButNotVerifiedAndPlainSaySo()
{
    auto encrypted = openStore(
        withTls(m_pg ? QStringLiteral("require") : QStringLiteral("REQUIRED"), {}).toString());
    QVERIFY2(encrypted.ok(), qPrintable(encrypted.ok() ? QString() : encrypted.error().message));
    auto info = encrypted.value()->serverInfo();
    QVERIFY(info.ok());
    QCOMPARE(tlsDescription(info->tls), QStringLiteral("encrypted, not verified"));

    auto plain = openStore(
        withTls(m_pg ? QStringLiteral("disable") : QStringLiteral("DISABLED"), {}).toString());
    QVERIFY(plain.ok());
    auto plainInfo = plain.value()->serverInfo();
    QVERIFY(plainInfo.ok());
    QCOMPARE(tlsDescription(plainInfo->tls), QStringLiteral("not encrypted"));
}

void TlsTest::migctlReportsTlsAndRefusesUnknownParameters()
{
    TestDatabase db(m_server);
    db.installedStore();
    const ConnectionUrl url = verified(db.connectionUrl());
    MigctlRunner migctl(url.toString());
    const MigctlRun status = migctl.run({QStringLiteral("status"), QStringLiteral("--json")});
    EXPECT_EXIT(status, 0);
    const QJsonObject tls = status.json().value(QStringLiteral("tls")).toObject();
    QCOMPARE(tls.value(QStringLiteral("enabled")).toBool(), true);
    QCOMPARE(tls.value(QStringLiteral("verified")).toBool(), true);

    const QString base = db.url();
    const QString mariadbBase = QString(base).replace(QRegularExpression("^[a-z]+:"),
                                                      QStringLiteral("mariadb:"));
    const QList<std::pair<QString, QString>> refused{
        {base + QStringLiteral("?ssl=true"), QStringLiteral("\"ssl\"")},
        {base + QStringLiteral("?sslmode=REQUIRED"),
         m_pg ? QStringLiteral("sslmode=REQUIRED") : QStringLiteral("\"sslmode\"")},
        {base + QStringLiteral("?bogus=1"), QStringLiteral("\"bogus\"")},
        {mariadbBase + QStringLiteral("?ssl-mode=PREFERRED"), QStringLiteral("ssl-mode=PREFERRED")},
    };
    for (const auto &[badUrl, named] : refused) {
        const MigctlRun run = migctl.run({QStringLiteral("--db"), badUrl, QStringLiteral("status")});
        EXPECT_EXIT(run, 2);
        QVERIFY2(run.err.contains(named.toUtf8()), qPrintable(run.describe()));
    }
}

void TlsTest::statusBarShowsVerified()
{
    TestDatabase db(m_server);
    db.installedStore();
    const ConnectionUrl url = verified(db.connectionUrl());
    Database database;
    database.open(url.toString());
    QTRY_VERIFY_WITH_TIMEOUT(database.status().isConnected(), 15'000);
    widgets::ConnectionIndicator indicator;
    indicator.showStatus(database.status());
    QVERIFY2(indicator.text().contains(QLatin1String("TLS verified")), qPrintable(indicator.text()));
    database.close();
}

QTEST_MAIN(TlsTest)
#include "tst_tls.moc"
