// No text made from a database URL repeats its password: the parser's errors (malformed URLs
// included), the redacted form, free-text redaction, the logger's file and stderr, and the
// console's refusal of a password on its command line. Strict URL parameters. No server needed.

#include "connection_url.h"
#include "logging.h"
#include "url_secret.h"

#include <QFile>
#include <QProcess>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>

#include <spdlog/logger.h>

using namespace mc;

namespace {

const QString kSecret = QStringLiteral("s3cr"); // every password below contains it

} // namespace

class SecretsTest : public QObject
{
    Q_OBJECT

private slots:
    void parserNeverRepeatsThePassword_data();
    void parserNeverRepeatsThePassword();
    void passwordsWithUrlCharactersParse();
    void unknownParametersAndValuesAreErrorsNamingThem_data();
    void unknownParametersAndValuesAreErrorsNamingThem();
    void tlsParametersReachTheSettings();
    void freeTextLosesEveryPassword_data();
    void freeTextLosesEveryPassword();
    void loggerMasksPasswordsInFileAndStderr();
    void consoleRefusesAPasswordOnItsCommandLine();
};

void SecretsTest::parserNeverRepeatsThePassword_data()
{
    QTest::addColumn<QString>("url");
    QTest::newRow("lone % in password") << "postgresql://ops:50%s3cr@db/merge";
    QTest::newRow("{ in password, bad port") << "postgresql://ops:a{s3cr}c@db:99999/merge";
    QTest::newRow("bad port") << "postgresql://ops:s3cret@db:abc/merge";
    QTest::newRow("IPv6 unclosed") << "mariadb://ops:s3cret@[::1/merge";
    QTest::newRow("IPv6 bare") << "mariadb://ops:s3cret@::1:3306/merge";
    QTest::newRow("space and lone % in password") << "postgresql://ops:a s3cr%zz@db/merge";
    QTest::newRow("no database") << "postgresql://ops:s3cret@db";
    QTest::newRow("unknown parameter") << "mariadb://ops:s3cret@db/merge?bogus=1";
    QTest::newRow("bad scheme") << "oracle://ops:s3cret@db/merge";
    QTest::newRow("user only, bad port") << "postgresql://s3cr@db:x/merge";
}

void SecretsTest::parserNeverRepeatsThePassword()
{
    QFETCH(QString, url);
    auto parsed = ConnectionUrl::parse(url);
    QVERIFY2(!parsed.ok(), qPrintable(url));
    QCOMPARE(parsed.error().kind, StoreError::Kind::InvalidInput);
    QVERIFY2(!parsed.error().message.contains(kSecret), qPrintable(parsed.error().message));
    QVERIFY(parsed.error().message.startsWith(QLatin1String("Invalid database URL: ")));
}

void SecretsTest::passwordsWithUrlCharactersParse()
{
    // What libpq accepts, we accept: '{', '}', '#', '/' and '@' in the password.
    auto braces = ConnectionUrl::parse(QStringLiteral("postgresql://ops:a{b}c@db/merge"));
    QVERIFY(braces.ok());
    QCOMPARE(braces->settings.password, QStringLiteral("a{b}c"));
    QVERIFY(!braces->redacted().contains(QLatin1String("a{b}c")));
    auto at = ConnectionUrl::parse(
        QStringLiteral("postgresql://ops:p@ss/w#rd@[::1]:6543/merge?sslrootcert=/c/a@b.pem"));
    QVERIFY2(at.ok(), qPrintable(at.ok() ? QString() : at.error().message));
    QCOMPARE(at->settings.password, QStringLiteral("p@ss/w#rd"));
    QCOMPARE(at->settings.host, QStringLiteral("::1"));
    QCOMPARE(at->settings.port, 6543);
    QCOMPARE(at->settings.sslRootCert, QStringLiteral("/c/a@b.pem"));
    auto again = ConnectionUrl::parse(at->toString());
    QVERIFY(again.ok());
    QCOMPARE(again->settings.password, at->settings.password);

    auto userOnly = ConnectionUrl::parse(QStringLiteral("mariadb://ops@db/merge"));
    QVERIFY(userOnly.ok());
    QCOMPARE(userOnly->settings.user, QStringLiteral("ops"));
    QVERIFY(userOnly->settings.password.isEmpty());
}

void SecretsTest::unknownParametersAndValuesAreErrorsNamingThem_data()
{
    QTest::addColumn<QString>("url");
    QTest::addColumn<QString>("named");
    QTest::newRow("mariadb ssl=true") << "mariadb://mc@h/m?ssl=true" << "\"ssl\"";
    QTest::newRow("mariadb sslmode") << "mariadb://mc@h/m?sslmode=REQUIRED" << "\"sslmode\"";
    QTest::newRow("mariadb bogus") << "mysql://mc@h/m?bogus=1" << "\"bogus\"";
    QTest::newRow("mariadb bad mode") << "mariadb://mc@h/m?ssl-mode=PREFERRED" << "ssl-mode=PREFERRED";
    QTest::newRow("pg bogus") << "postgresql://u@h/m?bogus=1" << "\"bogus\"";
    QTest::newRow("pg bad mode") << "postgresql://u@h/m?sslmode=REQUIRED" << "sslmode=REQUIRED";
    QTest::newRow("pg mariadb name") << "postgresql://u@h/m?ssl-ca=/ca.pem" << "\"ssl-ca\"";
    QTest::newRow("pg socket") << "postgresql://u@h/m?socket=/tmp/s" << "\"socket\"";
}

void SecretsTest::unknownParametersAndValuesAreErrorsNamingThem()
{
    QFETCH(QString, url);
    QFETCH(QString, named);
    auto parsed = ConnectionUrl::parse(url);
    QVERIFY2(!parsed.ok(), qPrintable(url));
    QCOMPARE(parsed.error().kind, StoreError::Kind::InvalidInput);
    QVERIFY2(parsed.error().message.contains(named), qPrintable(parsed.error().message));
}

void SecretsTest::tlsParametersReachTheSettings()
{
    auto pg = ConnectionUrl::parse(QStringLiteral(
        "postgresql://u@h/m?sslmode=verify-full&sslrootcert=/ca.pem&sslcert=/c.pem&sslkey=/k.pem"));
    QVERIFY(pg.ok());
    QCOMPARE(pg->settings.sslMode, QStringLiteral("verify-full"));
    QCOMPARE(pg->settings.sslRootCert, QStringLiteral("/ca.pem"));
    QCOMPARE(pg->settings.sslCert, QStringLiteral("/c.pem"));
    QCOMPARE(pg->settings.sslKey, QStringLiteral("/k.pem"));
    auto maria = ConnectionUrl::parse(QStringLiteral(
        "mariadb://u@h/m?ssl-mode=verify_identity&ssl-ca=/ca.pem&ssl-cert=/c.pem&ssl-key=/k.pem"));
    QVERIFY(maria.ok());
    QCOMPARE(maria->settings.sslMode, QStringLiteral("VERIFY_IDENTITY"));
    QCOMPARE(maria->settings.sslRootCert, QStringLiteral("/ca.pem"));
    QCOMPARE(maria->settings.sslKey, QStringLiteral("/k.pem"));
    // What toString() writes, parse() reads back, with the backend's own parameter names.
    auto again = ConnectionUrl::parse(maria->toString());
    QVERIFY2(again.ok(), qPrintable(maria->toString()));
    QCOMPARE(again->settings.sslCert, QStringLiteral("/c.pem"));
    QVERIFY(maria->toString().contains(QLatin1String("ssl-mode=VERIFY_IDENTITY")));
}

void SecretsTest::freeTextLosesEveryPassword_data()
{
    QTest::addColumn<QString>("text");
    QTest::newRow("QUrl error") << R"(Invalid port; source was "postgresql://ops:a{s3cr}@db:x/m")";
    QTest::newRow("two URLs") << "from mariadb://a:s3cr1@h/m to postgresql://b:xs3cr@h/m";
    QTest::newRow("space in password") << "opening postgresql://ops:a s3cr@db/merge now";
    QTest::newRow("conninfo") << "host=db password='a s3cr' dbname=m";
    QTest::newRow("conninfo bare") << "host=db password=s3cr dbname=m";
}

void SecretsTest::freeTextLosesEveryPassword()
{
    QFETCH(QString, text);
    const QString clean = redactSecrets(text);
    QVERIFY2(!clean.contains(kSecret), qPrintable(clean));
    QVERIFY2(clean.contains(QLatin1String("***")), qPrintable(clean));
    // What carries no secret is left as it was.
    const QString plain = QStringLiteral("connected to postgresql://ops@db:5432/merge as ops");
    QCOMPARE(redactSecrets(plain), plain);
}

void SecretsTest::loggerMasksPasswordsInFileAndStderr()
{
    if (qEnvironmentVariableIsSet("MC_SECRETS_LOG_CHILD")) {
        // The child: logs through the real setup to its file and stderr.
        initLogging(QStringLiteral("tst_secrets"), QStringLiteral("info"));
        log()->error("could not open postgresql://ops:a{{s3cr}}c@db:x/merge: {}",
                     "password=s3cret rejected");
        log()->flush();
        return;
    }
    QTemporaryDir home;
    QVERIFY(home.isValid());
    QProcess child;
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert(QStringLiteral("XDG_DATA_HOME"), home.path());
    environment.insert(QStringLiteral("MC_SECRETS_LOG_CHILD"), QStringLiteral("1"));
    child.setProcessEnvironment(environment);
    child.start(QCoreApplication::applicationFilePath(),
                {QStringLiteral("loggerMasksPasswordsInFileAndStderr")});
    QVERIFY(child.waitForFinished(30'000));
    const QByteArray stderrText = child.readAllStandardError();
    QVERIFY2(stderrText.contains("could not open postgresql://ops:***@db:x/merge"),
             stderrText.constData());
    QVERIFY2(!stderrText.contains(kSecret.toUtf8()), stderrText.constData());
    QFile file(home.path() + QStringLiteral("/migration-console/logs/tst_secrets.log"));
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QByteArray logged = file.readAll();
    QVERIFY2(logged.contains("could not open"), logged.constData());
    QVERIFY2(!logged.contains(kSecret.toUtf8()), logged.constData());
}

void SecretsTest::consoleRefusesAPasswordOnItsCommandLine()
{
    // A server that would see the console connect: it must not.
    QTcpServer server;
    QVERIFY(server.listen(QHostAddress::LocalHost));
    const QString url = QStringLiteral("postgresql://u:s3cret@127.0.0.1:%1/db").arg(server.serverPort());
    QProcess console;
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
    console.setProcessEnvironment(environment);
    console.start(QStringLiteral(MC_CONSOLE_BINARY), {QStringLiteral("--db"), url});
    QVERIFY(console.waitForFinished(30'000));
    QCOMPARE(console.exitStatus(), QProcess::NormalExit);
    QCOMPARE(console.exitCode(), 2);
    const QString advice = QString::fromLocal8Bit(console.readAllStandardError());
    QVERIFY2(advice.contains(QLatin1String("MC_DB_PASSWORD")), qPrintable(advice));
    QVERIFY2(advice.contains(QLatin1String("profile")), qPrintable(advice));
    QVERIFY2(advice.contains(QLatin1String("asks")), qPrintable(advice));
    QVERIFY2(!advice.contains(kSecret), qPrintable(advice));
    QVERIFY(!server.hasPendingConnections());
    QVERIFY(!server.waitForNewConnection(0));
}

QTEST_GUILESS_MAIN(SecretsTest)
#include "tst_secrets.moc"
