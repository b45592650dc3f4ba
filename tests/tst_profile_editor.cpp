// The profile editor as an operator uses it: a new production profile turns read-only on, TLS
// files land in the URL under each backend's parameter names, a password in the URL is refused
// (nothing saved), renames and deletes, a service file imported; and File › Connect's Profiles…
// button, after which the dialog lists what the editor saved.

#include "connect_dialog.h"
#include "keychain/dialog_screenshot.h"
#include "connection_url.h"
#include "profile_editor.h"

#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QSettings>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

using namespace mc;
using mc::widgets::ConnectDialog;
using mc::widgets::ProfileEditor;

class ProfileEditorTest : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void createsAProductionProfileReadOnlyWithItsTlsFiles();
    void refusesAPasswordAndKeepsNothing();
    void renamesAndDeletes();
    void importsAServiceFile();
    void connectDialogOpensTheEditorAndListsWhatItSaved();

private:
    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<QSettings> m_settings;
};

void ProfileEditorTest::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    m_settings = std::make_unique<QSettings>(m_dir->filePath(QStringLiteral("console.ini")),
                                             QSettings::IniFormat);
}

void ProfileEditorTest::createsAProductionProfileReadOnlyWithItsTlsFiles()
{
    ProfileStore store(*m_settings);
    ProfileEditor editor(store);
    QCOMPARE(editor.list()->count(), 0);
    editor.nameField()->setText(QStringLiteral("eu-prod"));
    editor.urlField()->setText(QStringLiteral("mariadb://lead@db.eu:3306/merge?ssl-mode=VERIFY_IDENTITY"));
    QVERIFY(!editor.readOnlyField()->isChecked());
    editor.classField()->setCurrentIndex(editor.classField()->findText(QStringLiteral("production")));
    QVERIFY(editor.readOnlyField()->isChecked()); // production opens read-only by default
    editor.caField()->setText(QStringLiteral("/etc/mc/ca.pem"));
    editor.certField()->setText(QStringLiteral("/etc/mc/me.pem"));
    editor.keyField()->setText(QStringLiteral("/etc/mc/me.key"));
    QVERIFY2(editor.saveCurrent(), qPrintable(editor.messageLabel()->text()));

    const auto saved = store.find(QStringLiteral("eu-prod"));
    QVERIFY(saved);
    QCOMPARE(saved->environmentClass, EnvironmentClass::Production);
    QVERIFY(saved->readOnly);
    const auto url = ConnectionUrl::parse(saved->url);
    QVERIFY(url.ok());
    QCOMPARE(url->settings.sslMode, QStringLiteral("VERIFY_IDENTITY"));
    QCOMPARE(url->settings.sslRootCert, QStringLiteral("/etc/mc/ca.pem"));
    QCOMPARE(url->settings.sslCert, QStringLiteral("/etc/mc/me.pem"));
    QCOMPARE(url->settings.sslKey, QStringLiteral("/etc/mc/me.key"));
    QVERIFY(saved->url.contains(QLatin1String("ssl-ca=")));
    QCOMPARE(editor.list()->count(), 1);

    // PostgreSQL names them sslrootcert/sslcert/sslkey; reopening shows them in their fields.
    editor.startNew();
    QVERIFY(editor.caField()->text().isEmpty());
    editor.nameField()->setText(QStringLiteral("pg-stage"));
    editor.urlField()->setText(QStringLiteral("postgresql://ops@db.stage/merge?sslmode=verify-full"));
    editor.classField()->setCurrentIndex(editor.classField()->findText(QStringLiteral("staging")));
    QVERIFY(!editor.readOnlyField()->isChecked());
    editor.caField()->setText(QStringLiteral("/etc/mc/stage-ca.pem"));
    QVERIFY(editor.saveCurrent());
    QCOMPARE(store.profiles().size(), 2);
    QVERIFY(store.find(QStringLiteral("pg-stage"))->url.contains(
        QLatin1String("sslrootcert=/etc/mc/stage-ca.pem")));
    ProfileEditor reopened(store);
    reopened.select(QStringLiteral("pg-stage"));
    QCOMPARE(reopened.caField()->text(), QStringLiteral("/etc/mc/stage-ca.pem"));
    QVERIFY(!reopened.urlField()->text().contains(QLatin1String("sslrootcert")));
    QCOMPARE(reopened.classField()->currentText(), QStringLiteral("staging"));
    reopened.select(QStringLiteral("eu-prod"));
    QVERIFY(reopened.readOnlyField()->isChecked());
    QCOMPARE(reopened.keyField()->text(), QStringLiteral("/etc/mc/me.key"));
    QVERIFY(mc::test::saveDialogScreenshot(&reopened, QStringLiteral("profile-editor.png")));
}

void ProfileEditorTest::refusesAPasswordAndKeepsNothing()
{
    ProfileStore store(*m_settings);
    ProfileEditor editor(store);
    editor.nameField()->setText(QStringLiteral("leaky"));
    editor.urlField()->setText(QStringLiteral("postgresql://ops:s3cr%7Bet@db/merge"));
    QVERIFY(!editor.saveCurrent());
    QVERIFY2(editor.messageLabel()->text().contains(QLatin1String("no password")),
             qPrintable(editor.messageLabel()->text()));
    QVERIFY(!editor.messageLabel()->text().contains(QLatin1String("s3cr")));
    editor.caField()->setText(QStringLiteral("/ca.pem")); // the TLS path parses the URL itself
    QVERIFY(!editor.saveCurrent());
    QVERIFY(!editor.messageLabel()->text().contains(QLatin1String("s3cr")));
    editor.urlField()->setText(QStringLiteral("mariadb://ops@db/merge?ssl=true"));
    QVERIFY(!editor.saveCurrent());
    QVERIFY2(editor.messageLabel()->text().contains(QLatin1String("ssl")),
             qPrintable(editor.messageLabel()->text()));
    QVERIFY(store.profiles().isEmpty());
    m_settings->sync();
    QFile file(m_settings->fileName());
    QVERIFY(!file.open(QIODevice::ReadOnly) || !file.readAll().contains("s3cr"));
}

void ProfileEditorTest::renamesAndDeletes()
{
    ProfileStore store(*m_settings);
    QVERIFY(store.save({QStringLiteral("a"), QStringLiteral("postgresql://u@h/m"),
                        EnvironmentClass::Development, false}).ok());
    QVERIFY(store.save({QStringLiteral("b"), QStringLiteral("postgresql://u@h2/m"),
                        EnvironmentClass::Staging, false}).ok());
    ProfileEditor editor(store);
    editor.select(QStringLiteral("a"));
    editor.nameField()->setText(QStringLiteral("a-renamed"));
    QVERIFY(editor.saveCurrent());
    QStringList names;
    for (const ConnectionProfile &p : store.profiles())
        names << p.name;
    QCOMPARE(names, (QStringList{QStringLiteral("b"), QStringLiteral("a-renamed")}));
    editor.select(QStringLiteral("b"));
    editor.deleteCurrent();
    QCOMPARE(store.profiles().size(), 1);
    QCOMPARE(store.profiles().first().name, QStringLiteral("a-renamed"));
    QCOMPARE(editor.list()->count(), 1);
    QVERIFY(editor.messageLabel()->text().contains(QLatin1String("Deleted profile b")));
}

void ProfileEditorTest::importsAServiceFile()
{
    const QString path = m_dir->filePath(QStringLiteral("pg_service.conf"));
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write("[merge-prod]\nhost=db.example\nuser=lead\npassword=s3cret\nsslmode=require\n"
               "[merge-dev]\nhost=localhost\n");
    file.close();
    ProfileStore store(*m_settings);
    ProfileEditor editor(store);
    editor.importServiceFile(path);
    QVERIFY2(editor.messageLabel()->text().contains(QLatin1String("Imported 2 profile(s)")),
             qPrintable(editor.messageLabel()->text()));
    QCOMPARE(editor.list()->count(), 2);
    QCOMPARE(editor.nameField()->text(), QStringLiteral("merge-prod"));
    editor.importServiceFile(m_dir->filePath(QStringLiteral("missing.conf")));
    QVERIFY(editor.messageLabel()->text().contains(QLatin1String("Cannot read")));
    QCOMPARE(store.profiles().size(), 2);
    m_settings->sync();
    QFile settings(m_settings->fileName());
    QVERIFY(settings.open(QIODevice::ReadOnly));
    QVERIFY(!settings.readAll().contains("s3cret"));
}

void ProfileEditorTest::connectDialogOpensTheEditorAndListsWhatItSaved()
{
    ProfileStore store(*m_settings);
    ConnectDialog dialog(QStringList{}, store.profiles());
    dialog.setProfileStore(&store);
    QVERIFY(dialog.profilesButton()->isVisibleTo(&dialog));
    QCOMPARE(dialog.profileField()->count(), 1); // "(no profile: type a URL)"
    bool edited = false;
    QTimer::singleShot(0, this, [&] {
        auto *editor = qobject_cast<ProfileEditor *>(QApplication::activeModalWidget());
        QVERIFY(editor);
        editor->nameField()->setText(QStringLiteral("prod"));
        editor->urlField()->setText(QStringLiteral("postgresql://lead@db/merge"));
        editor->classField()->setCurrentIndex(
            editor->classField()->findText(QStringLiteral("production")));
        edited = editor->saveCurrent();
        editor->reject();
    });
    dialog.profilesButton()->click();
    QVERIFY(edited);
    QCOMPARE(dialog.profileField()->count(), 2);
    QCOMPARE(dialog.profileField()->itemText(1), QStringLiteral("prod — production, read-only"));
    dialog.profileField()->setCurrentIndex(1);
    QVERIFY(ConnectionUrl::parse(dialog.url())->settings.readOnly);
}

QTEST_MAIN(ProfileEditorTest)
#include "tst_profile_editor.moc"
