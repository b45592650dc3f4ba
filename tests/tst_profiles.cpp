// Connection profiles without a server: saved without a password, read back, read-only URLs,
// imported from a PostgreSQL service file (its password line never copied).

#include "connection_profile.h"
#include "connection_url.h"

#include <QFile>
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

void ProfilesTest::importsAPgServiceFileWithoutItsPassword()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("pg_service.conf"));
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write("# services\n"
               "[merge-prod]\nhost=db.example\nport=6543\ndbname=merge\nuser=lead\n"
               "password=s3cret\nsslmode=verify-full\nsslrootcert=/etc/ca.pem\n\n"
               "[merge-dev]\nhost=localhost\ndbname=merge_dev\n");
    file.close();
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

QTEST_GUILESS_MAIN(ProfilesTest)
#include "tst_profiles.moc"
