// Passwords kept out of the URL, the profile and the environment. PostgreSQL: libpq reads the
// password from the .pgpass file PGPASSFILE points to (scripts/db makes the test logins give
// their password over TCP), for migctl and for the console's connect path (the connect dialog
// with its password left empty, then the Database handle). MariaDB has no .pgpass: the same
// URL fails with a clear message and MC_DB_PASSWORD gives it instead.

#include "connect_dialog.h"
#include "contract_fixture.h"
#include "database.h"
#include "migctl_runner.h"

#include <QFile>
#include <QLineEdit>
#include <QTemporaryDir>
#include <QTest>

using namespace mc;
using namespace mc::test;

#define EXPECT_EXIT(run, code)                                                                  \
    QVERIFY2((run).exitCode == (code) && !(run).crashed, qPrintable((run).describe()))

class PgpassTest : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void migctlFindsThePasswordInPgpass();
    void consoleConnectsWithThePasswordFromPgpass();

private:
    // The qa login's URL to a fresh database: no password in it.
    ConnectionUrl urlWithoutPassword(const TestDatabase &db) const;
    // A .pgpass for the qa login (mode 0600, as libpq requires), PGPASSFILE pointing at it.
    void writePgpass(const ConnectionUrl &url);

    TestServer m_server;
    bool m_pg = true;
    std::unique_ptr<QTemporaryDir> m_dir;
};

void PgpassTest::initTestCase()
{
    m_server = TestServer::fromEnvironment();
    m_pg = m_server.admin.backend == sql::Backend::PostgreSQL;
}

void PgpassTest::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    // Nothing else may give the password: only the file under test.
    for (const char *name : {"PGPASSWORD", "MC_DB_PASSWORD", "PGSERVICE", "PGSERVICEFILE"})
        qunsetenv(name);
    qputenv("PGPASSFILE", m_dir->filePath(QStringLiteral("none")).toUtf8());
}

ConnectionUrl PgpassTest::urlWithoutPassword(const TestDatabase &db) const
{
    ConnectionUrl url = db.connectionUrlAs(QStringLiteral("qa"));
    url.settings.password.clear();
    return url;
}

void PgpassTest::writePgpass(const ConnectionUrl &url)
{
    const QString path = m_dir->filePath(QStringLiteral("pgpass"));
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    // host:port:database:user:password — the password is the login's name (scripts/db).
    file.write(QStringLiteral("# the merge database\n%1:%2:%3:%4:%4\n")
                   .arg(url.settings.host)
                   .arg(url.settings.port)
                   .arg(url.settings.database, url.settings.user)
                   .toUtf8());
    file.close();
    QVERIFY(file.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner));
    qputenv("PGPASSFILE", path.toUtf8());
}

void PgpassTest::migctlFindsThePasswordInPgpass()
{
    TestDatabase db(m_server);
    db.installedStore();
    const ConnectionUrl url = urlWithoutPassword(db);
    QVERIFY(!url.toString().contains(QLatin1String(":mc_test_qa@")));
    {
        // Without it the server refuses the login: the password really is needed.
        const MigctlRun refused = MigctlRunner(url.toString()).run({QStringLiteral("whoami")});
        EXPECT_EXIT(refused, 1);
        QVERIFY2(refused.err.contains("password"), qPrintable(refused.describe()));
    }
    writePgpass(url);
    if (m_pg) {
        const MigctlRun run = MigctlRunner(url.toString()).run({QStringLiteral("whoami"),
                                                                QStringLiteral("--json")});
        EXPECT_EXIT(run, 0);
        QCOMPARE(run.json().value(QStringLiteral("login")).toString(),
                 QStringLiteral("mc_test_qa"));
        return;
    }
    // MariaDB: .pgpass is libpq's and is not read; MC_DB_PASSWORD gives the password instead.
    EXPECT_EXIT(MigctlRunner(url.toString()).run({QStringLiteral("whoami")}), 1);
    qputenv("MC_DB_PASSWORD", "mc_test_qa");
    const MigctlRun run = MigctlRunner(url.toString()).run({QStringLiteral("whoami"),
                                                            QStringLiteral("--json")});
    qunsetenv("MC_DB_PASSWORD");
    EXPECT_EXIT(run, 0);
    QCOMPARE(run.json().value(QStringLiteral("login")).toString(), QStringLiteral("mc_test_qa"));
}

void PgpassTest::consoleConnectsWithThePasswordFromPgpass()
{
    TestDatabase db(m_server);
    db.installedStore();
    const ConnectionUrl url = urlWithoutPassword(db);
    writePgpass(url);
    // File › Connect with the password field left empty.
    widgets::ConnectDialog dialog(QStringList{});
    dialog.setUrl(url.redacted());
    QVERIFY(dialog.passwordField()->text().isEmpty());
    const QString chosen = dialog.url();
    QVERIFY(!chosen.contains(QLatin1String(":mc_test_qa@")));

    Database database;
    database.open(chosen);
    if (m_pg) {
        QTRY_VERIFY_WITH_TIMEOUT(database.status().isConnected(), 15'000);
        QCOMPARE(database.status().server.databaseUser, QStringLiteral("mc_test_qa"));
    } else {
        // No .pgpass on MariaDB: a refused login, said plainly.
        QTRY_VERIFY_WITH_TIMEOUT(database.status().error.contains(QLatin1String("denied"),
                                                                  Qt::CaseInsensitive),
                                 15'000);
        QVERIFY(!database.status().isConnected());
    }
    database.close();
}

QTEST_MAIN(PgpassTest)
#include "tst_pgpass.moc"
