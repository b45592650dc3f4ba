// Connection profiles without a server: saved without a password, read back, read-only URLs,
// imported from a PostgreSQL service file (its password line never copied).

#include "connection_profile.h"
#include "connection_url.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSettings>
#include <QTemporaryDir>
#include <QTest>

using namespace mc;

class ProfilesTest : public QObject
{
    Q_OBJECT

private slots:
    void savedWithoutPasswordAndReadBack();
    void readOnlyProfilesOpenReadOnlySessions();
    void importsAPgServiceFileWithoutItsPassword();
    void serviceFileErrorsNameTheLine();
    void migctlImportsAServiceFileAndListsProfiles();
};

void ProfilesTest::savedWithoutPasswordAndReadBack()
{
    QTemporaryDir dir;
    QSettings settings(dir.filePath(QStringLiteral("console.ini")), QSettings::IniFormat);
    ProfileStore store(settings);
    ConnectionProfile withSecret{QStringLiteral("prod"),
                                 QStringLiteral("postgresql://ops:s3cret@db/merge"),
                                 EnvironmentClass::Production, true};
    auto refused = store.save(withSecret);
    QVERIFY(!refused.ok());
    QVERIFY(refused.error().message.contains(QLatin1String("no password")));
    QVERIFY(!refused.error().message.contains(QLatin1String("s3cret")));
    auto badParameter = store.save({QStringLiteral("x"), QStringLiteral("mariadb://u@h/m?ssl=true"),
                                    EnvironmentClass::Staging, false});
    QVERIFY(!badParameter.ok());

    QVERIFY(store.save({QStringLiteral("prod"), QStringLiteral("postgresql://ops@db/merge"),
                        EnvironmentClass::Production, true})
                .ok());
    QVERIFY(store.save({QStringLiteral("stage"), QStringLiteral("mariadb://ops@stage/merge"),
                        EnvironmentClass::Staging, false})
                .ok());
    QVERIFY(store.save({QStringLiteral("prod"), QStringLiteral("postgresql://lead@db/merge"),
                        EnvironmentClass::Production, true})
                .ok()); // replaces by name
    const auto all = store.profiles();
    QCOMPARE(all.size(), 2);
    QVERIFY(all[0].readOnly);
    QCOMPARE(all[0].url, QStringLiteral("postgresql://lead@db/merge"));
    QCOMPARE(all[1].environmentClass, EnvironmentClass::Staging);
    QVERIFY(store.find(QStringLiteral("stage")).has_value());
    QVERIFY(!store.find(QStringLiteral("nope")).has_value());
    // A production profile that does not say is read-only; others are not.
    settings.beginWriteArray(QStringLiteral("profiles"), 3);
    settings.setArrayIndex(2);
    settings.setValue(QStringLiteral("name"), QStringLiteral("hand-written"));
    settings.setValue(QStringLiteral("url"), QStringLiteral("postgresql://ops@db2/merge"));
    settings.setValue(QStringLiteral("class"), QStringLiteral("production"));
    settings.endArray();
    QVERIFY(store.find(QStringLiteral("hand-written"))->readOnly);
    QVERIFY(!store.find(QStringLiteral("stage"))->readOnly);
    settings.sync();
    QFile file(settings.fileName());
    QVERIFY(file.open(QIODevice::ReadOnly));
    QVERIFY(!file.readAll().contains("s3cret"));
}

void ProfilesTest::readOnlyProfilesOpenReadOnlySessions()
{
    ConnectionProfile profile{QStringLiteral("prod"), QStringLiteral("mariadb://ops@db/merge"),
                              EnvironmentClass::Production, true};
    auto parsed = ConnectionUrl::parse(profile.connectionUrl());
    QVERIFY(parsed.ok());
    QVERIFY(parsed->settings.readOnly);
    profile.readOnly = false;
    QCOMPARE(profile.connectionUrl(), profile.url);
}

namespace {

// Two services, the first with a password line that must never be copied.
const QByteArray kServiceFile = "# services\n"
                                "[merge-prod]\nhost=db.example\nport=6543\ndbname=merge\n"
                                "user=lead\npassword=s3cret\nsslmode=verify-full\n"
                                "sslrootcert=/etc/ca.pem\n\n"
                                "[merge-dev]\nhost=localhost\ndbname=merge_dev\n";

bool writeFile(const QString &path, const QByteArray &data)
{
    QFile file(path);
    return file.open(QIODevice::WriteOnly) && file.write(data) == data.size();
}

} // namespace

void ProfilesTest::importsAPgServiceFileWithoutItsPassword()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("pg_service.conf"));
    QVERIFY(writeFile(path, kServiceFile));
    qputenv("PGSERVICEFILE", path.toUtf8());
    QCOMPARE(defaultPgServiceFile(), path);
    auto imported = importPgServiceFile(defaultPgServiceFile());
    qunsetenv("PGSERVICEFILE");
    QVERIFY2(imported.ok(), qPrintable(imported.ok() ? QString() : imported.error().message));
    QCOMPARE(imported->size(), 2);
    const ConnectionProfile &prod = imported->at(0);
    QCOMPARE(prod.name, QStringLiteral("merge-prod"));
    QVERIFY(!prod.url.contains(QLatin1String("s3cret")));
    auto url = ConnectionUrl::parse(prod.url);
    QVERIFY(url.ok());
    QCOMPARE(url->settings.host, QStringLiteral("db.example"));
    QCOMPARE(url->settings.port, 6543);
    QCOMPARE(url->settings.user, QStringLiteral("lead"));
    QCOMPARE(url->settings.sslMode, QStringLiteral("verify-full"));
    QCOMPARE(url->settings.sslRootCert, QStringLiteral("/etc/ca.pem"));
    QVERIFY(url->settings.password.isEmpty());
    QCOMPARE(ConnectionUrl::parse(imported->at(1).url)->settings.database,
             QStringLiteral("merge_dev"));
}

void ProfilesTest::serviceFileErrorsNameTheLine()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("bad.conf"));
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write("[a]\nhost=h\nthis is not a setting\n");
    file.close();
    auto imported = importPgServiceFile(path);
    QVERIFY(!imported.ok());
    QVERIFY2(imported.error().message.contains(QLatin1String("line 3")),
             qPrintable(imported.error().message));
    QVERIFY(!importPgServiceFile(dir.filePath(QStringLiteral("missing.conf"))).ok());
}

namespace {

struct Run
{
    int exitCode = -1;
    QString out;
    QString err;
};

// migctl with the console's settings under `configHome` (XDG_CONFIG_HOME).
Run migctl(const QString &configHome, const QStringList &arguments,
           const QString &serviceFile = {})
{
    QProcess process;
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert(QStringLiteral("XDG_CONFIG_HOME"), configHome);
    environment.remove(QStringLiteral("PGSERVICEFILE"));
    if (!serviceFile.isEmpty())
        environment.insert(QStringLiteral("PGSERVICEFILE"), serviceFile);
    process.setProcessEnvironment(environment);
    process.start(QStringLiteral(MIGCTL_BINARY), arguments);
    if (!process.waitForFinished(30000))
        return {};
    return {process.exitCode(), QString::fromUtf8(process.readAllStandardOutput()),
            QString::fromUtf8(process.readAllStandardError())};
}

} // namespace

void ProfilesTest::migctlImportsAServiceFileAndListsProfiles()
{
    QTemporaryDir home;
    const QString path = home.filePath(QStringLiteral("pg_service.conf"));
    QVERIFY(writeFile(path, kServiceFile));

    Run empty = migctl(home.path(), {QStringLiteral("profile"), QStringLiteral("list")});
    QCOMPARE(empty.exitCode, 0);
    QVERIFY2(empty.err.contains(QLatin1String("No connection profiles")), qPrintable(empty.err));

    // FILE defaults to $PGSERVICEFILE.
    Run imported = migctl(home.path(),
                          {QStringLiteral("profile"), QStringLiteral("import-pg-service")}, path);
    QCOMPARE(imported.exitCode, 0);
    QVERIFY2(imported.out.contains(QLatin1String("Imported 2 profile(s)")), qPrintable(imported.out));

    Run listed = migctl(home.path(), {QStringLiteral("profile"), QStringLiteral("list"),
                                      QStringLiteral("--json")});
    QCOMPARE(listed.exitCode, 0);
    const QJsonArray profiles =
        QJsonDocument::fromJson(listed.out.toUtf8()).object().value(QStringLiteral("profiles")).toArray();
    QCOMPARE(profiles.size(), 2);
    QCOMPARE(profiles[0].toObject().value(QStringLiteral("name")).toString(),
             QStringLiteral("merge-prod"));
    QCOMPARE(profiles[0].toObject().value(QStringLiteral("url")).toString(),
             QStringLiteral("postgresql://lead@db.example:6543/merge?sslmode=verify-full&"
                            "sslrootcert=/etc/ca.pem"));
    Run table = migctl(home.path(), {QStringLiteral("profile"), QStringLiteral("list")});
    QVERIFY2(table.out.contains(QLatin1String("merge-dev")), qPrintable(table.out));

    // The file's password went nowhere: not the output, not the settings file.
    for (const Run &run : {imported, listed, table})
        QVERIFY(!(run.out + run.err).contains(QLatin1String("s3cret")));
    QSettings settings(home.filePath(consoleSettingsOrganization() + QLatin1Char('/')
                                     + consoleSettingsApplication() + QStringLiteral(".conf")),
                       QSettings::IniFormat);
    QCOMPARE(ProfileStore(settings).profiles().size(), 2);
    QFile written(settings.fileName());
    QVERIFY(written.open(QIODevice::ReadOnly));
    QVERIFY(!written.readAll().contains("s3cret"));

    // A broken file: exit 1 naming the line, nothing imported; an unknown verb: exit 2.
    const QString bad = home.filePath(QStringLiteral("bad.conf"));
    QVERIFY(writeFile(bad, "[x]\nhost=h\nnonsense\n"));
    Run broken = migctl(home.path(), {QStringLiteral("profile"), QStringLiteral("import-pg-service"),
                                      bad});
    QCOMPARE(broken.exitCode, 1);
    QVERIFY2(broken.err.contains(QLatin1String("line 3")), qPrintable(broken.err));
    QCOMPARE(ProfileStore(settings).profiles().size(), 2);
    QCOMPARE(migctl(home.path(), {QStringLiteral("profile"), QStringLiteral("frob")}).exitCode, 2);
}

QTEST_GUILESS_MAIN(ProfilesTest)
#include "tst_profiles.moc"
