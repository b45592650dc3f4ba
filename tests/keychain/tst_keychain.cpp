// "Remember password" in the connect dialog against a real keychain (tests/keychain/session.sh
// starts gnome-keyring-daemon under dbus-run-session), and the same dialog when no keychain
// service runs: it says so, asks each time and keeps nothing in plaintext. Every settings file
// the console writes is searched for the password. With a server (MC_TEST_BACKEND): the console
// started with --db and no password logs in with the one the keychain remembers.

#include "connect_dialog.h"
#include "contract_fixture.h"
#include "database.h"
#include "live_overview.h"
#include "main_window.h"
#include "dialog_screenshot.h"
#include "connection_profile.h"
#include "password_keychain.h"

#include <QCheckBox>
#include <QAbstractItemView>
#include <QComboBox>
#include <QDirIterator>
#include <QLabel>
#include <QLineEdit>
#include <QProcess>
#include <QSettings>
#include <QSignalSpy>
#include <QTest>

using namespace mc;
using mc::widgets::ConnectDialog;
using mc::test::TestDatabase;
using mc::test::TestServer;

namespace {

const QString kPassword = QStringLiteral("Tr0ub4dor&3 {kept}");
const QString kUrl = QStringLiteral("postgresql://ops@db.example:5432/merge?sslmode=verify-full");

// Every file under the scratch home (settings, profiles, logs): none may hold the password.
QStringList filesHolding(const QString &secret)
{
    QStringList holding;
    QDirIterator it(qEnvironmentVariable("MC_TEST_SCRATCH"), QDir::Files | QDir::Hidden,
                    QDirIterator::Subdirectories);
    while (it.hasNext()) {
        QFile file(it.next());
        if (file.open(QIODevice::ReadOnly) && file.readAll().contains(secret.toUtf8()))
            holding << file.fileName();
    }
    return holding;
}

// What the Secret Service holds for the key, asked through libsecret's own tool.
QString secretToolLookup(const QString &key)
{
    QProcess tool;
    tool.start(QStringLiteral("secret-tool"),
               {QStringLiteral("lookup"), QStringLiteral("server"), PasswordKeychain::serviceName(),
                QStringLiteral("user"), key});
    if (!tool.waitForFinished(10000))
        return QStringLiteral("(secret-tool did not finish)");
    return QString::fromUtf8(tool.readAllStandardOutput());
}

} // namespace

class KeychainTest : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void rememberedPasswordIsFoundNextTimeAndForgotten();
    void withoutAServiceTheDialogSaysSoAndAsksEachTime();
    void consoleConnectsWithTheRememberedPassword();

private:
    bool withService() const { return m_mode == QLatin1String("secret-service"); }
    // A dialog as File › Connect opens it, with the "prod" profile chosen.
    std::unique_ptr<ConnectDialog> openDialog(PasswordKeychain &keychain);

    QString m_mode;
    std::unique_ptr<QSettings> m_settings;
    std::unique_ptr<ProfileStore> m_store;
};

void KeychainTest::initTestCase()
{
    m_mode = qEnvironmentVariable("MC_TEST_KEYCHAIN_MODE");
    QVERIFY2(!m_mode.isEmpty() && !qEnvironmentVariable("MC_TEST_SCRATCH").isEmpty(),
             "run through tests/keychain/session.sh");
    // The console's own settings file, under the scratch XDG_CONFIG_HOME.
    QCoreApplication::setOrganizationName(consoleSettingsOrganization());
    QCoreApplication::setApplicationName(consoleSettingsApplication());
    m_settings = std::make_unique<QSettings>();
    QVERIFY(m_settings->fileName().startsWith(qEnvironmentVariable("MC_TEST_SCRATCH")));
    ProfileStore store(*m_settings);
    QVERIFY(store.save({QStringLiteral("prod"), kUrl, EnvironmentClass::Production, true}).ok());
    QVERIFY(store.save({QStringLiteral("stage"),
                        QStringLiteral("mariadb://ops@stage.example:3306/merge?ssl-mode=VERIFY_CA"),
                        EnvironmentClass::Staging, false})
                .ok());
    QVERIFY(store.save({QStringLiteral("laptop"), QStringLiteral("postgresql://me@127.0.0.1/merge"),
                        EnvironmentClass::Development, false})
                .ok());
}

std::unique_ptr<ConnectDialog> KeychainTest::openDialog(PasswordKeychain &keychain)
{
    m_store = std::make_unique<ProfileStore>(*m_settings);
    auto dialog = std::make_unique<ConnectDialog>(QStringList{}, m_store->profiles());
    dialog->setProfileStore(m_store.get());
    dialog->setKeychain(&keychain);
    dialog->profileField()->setCurrentIndex(1);
    return dialog;
}

void KeychainTest::rememberedPasswordIsFoundNextTimeAndForgotten()
{
    QVERIFY(withService());
    const QString key = PasswordKeychain::keyFor(kUrl);
    QCOMPARE(key, QStringLiteral("postgresql://ops@db.example:5432/merge"));
    {
        PasswordKeychain keychain;
        auto dialog = openDialog(keychain);
        QTRY_COMPARE(keychain.availability(), PasswordKeychain::Availability::Available);
        QVERIFY(dialog->rememberField()->isVisibleTo(dialog.get()));
        QVERIFY(dialog->rememberField()->isEnabled());
        QVERIFY(!dialog->rememberField()->isChecked()); // nothing remembered yet
        QVERIFY(dialog->passwordField()->text().isEmpty());
        dialog->passwordField()->setText(kPassword);
        dialog->rememberField()->setChecked(true);
        QSignalSpy remembered(&keychain, &PasswordKeychain::remembered);
        dialog->accept();
        QVERIFY(remembered.wait(10000));
        QCOMPARE(remembered.first().first().toString(), key);
        QVERIFY(dialog->url().contains(QLatin1String("Tr0ub4dor")));
    }
    // In the Secret Service itself, under the console's service name.
    QCOMPARE(secretToolLookup(key), kPassword);
    m_settings->sync();
    QCOMPARE(filesHolding(kPassword), QStringList{});
    QCOMPARE(filesHolding(QStringLiteral("Tr0ub4dor")), QStringList{});

    // Next start: a new keychain client, the same profile — the password is filled in.
    {
        PasswordKeychain keychain;
        auto dialog = openDialog(keychain);
        QTRY_COMPARE(dialog->passwordField()->text(), kPassword);
        QVERIFY(dialog->rememberField()->isChecked());
        QVERIFY(dialog->keychainNote()->isHidden());
        if (!qEnvironmentVariableIsEmpty("MC_SCREENSHOTS_DIR")) {
            dialog->resize(720, dialog->sizeHint().height());
            QVERIFY(test::saveDialogScreenshot(dialog.get(), QStringLiteral("connect-profiles.png")));
            dialog->profileField()->showPopup();
            QVERIFY(test::saveDialogScreenshot(dialog.get(), QStringLiteral("connect-profiles-list.png"),
                                               dialog->profileField()->view()->window()));
            dialog->profileField()->hidePopup();
        }
        // The same server typed by hand (other parameters) finds it too.
        dialog->profileField()->setCurrentIndex(0);
        dialog->setUrl(QStringLiteral("postgresql://other@db.example:5432/merge"));
        QTRY_VERIFY(dialog->passwordField()->text().isEmpty());
        QVERIFY(!dialog->rememberField()->isChecked());
        dialog->setUrl(QStringLiteral("postgresql://ops@db.example:5432/merge"));
        QTRY_COMPARE(dialog->passwordField()->text(), kPassword);
        // Unticked on Connect: forgotten.
        dialog->rememberField()->setChecked(false);
        QSignalSpy forgotten(&keychain, &PasswordKeychain::forgotten);
        dialog->accept();
        QVERIFY(forgotten.wait(10000));
    }
    QCOMPARE(secretToolLookup(key), QString());
    {
        PasswordKeychain keychain;
        QSignalSpy read(&keychain, &PasswordKeychain::passwordRead);
        auto dialog = openDialog(keychain);
        QTRY_VERIFY(!read.isEmpty() && read.last().first().toString() == key);
        QVERIFY(dialog->passwordField()->text().isEmpty());
        QVERIFY(!dialog->rememberField()->isChecked());
    }
    QCOMPARE(filesHolding(kPassword), QStringList{});
}

void KeychainTest::withoutAServiceTheDialogSaysSoAndAsksEachTime()
{
    QVERIFY(!withService());
    for (int start = 0; start < 2; ++start) {
        PasswordKeychain keychain;
        auto dialog = openDialog(keychain);
        QTRY_COMPARE_WITH_TIMEOUT(keychain.availability(),
                                  PasswordKeychain::Availability::Unavailable, 30000);
        QVERIFY(!dialog->keychainNote()->isHidden());
        QCOMPARE(dialog->keychainNote()->text(),
                 QStringLiteral("No keychain service is running: the password will be asked "
                                "each time."));
        QVERIFY(!dialog->rememberField()->isEnabled());
        QVERIFY(!dialog->rememberField()->isChecked());
        QVERIFY(dialog->passwordField()->text().isEmpty()); // asked again at every start
        if (start == 0 && m_mode == QLatin1String("no-service"))
            QVERIFY(test::saveDialogScreenshot(dialog.get(), QStringLiteral("connect-no-keychain.png")));
        dialog->passwordField()->setText(kPassword);
        dialog->rememberField()->setChecked(true); // even forced on, nothing is written
        QSignalSpy remembered(&keychain, &PasswordKeychain::remembered);
        dialog->accept();
        QTest::qWait(200);
        QCOMPARE(remembered.count(), 0);
        QVERIFY(dialog->url().contains(QLatin1String("Tr0ub4dor"))); // used for this connection
    }
    m_settings->sync();
    QCOMPARE(filesHolding(kPassword), QStringList{});
    QCOMPARE(filesHolding(QStringLiteral("Tr0ub4dor")), QStringList{});
}

void KeychainTest::consoleConnectsWithTheRememberedPassword()
{
    QVERIFY(withService());
    const TestServer server = TestServer::fromEnvironment();
    TestDatabase db(server);
    db.installedStore();
    ConnectionUrl url = db.connectionUrlAs(QStringLiteral("qa"));
    const QString password = url.settings.password;
    url.settings.password.clear(); // the server refuses this login without it (scripts/db)
    {
        PasswordKeychain earlier; // remembered at an earlier start
        QSignalSpy remembered(&earlier, &PasswordKeychain::remembered);
        earlier.remember(PasswordKeychain::keyFor(url.toString()), password);
        QVERIFY(remembered.wait(10000));
    }
    Database database;
    LiveOverview live(database.polling());
    widgets::MainWindow window(&database, &live);
    window.connectRemembering(url.toString()); // as `migration-console --db URL` does
    QTRY_VERIFY_WITH_TIMEOUT(database.status().isConnected(), 15'000);
    QCOMPARE(database.status().server.databaseUser, QStringLiteral("mc_test_qa"));
    database.close();
    m_settings->sync();
    // The test login's password is its name: look for it as a password (the recent list keeps
    // the URL with the user name only).
    QCOMPARE(filesHolding(QLatin1Char(':') + password + QLatin1Char('@')), QStringList{});
    QCOMPARE(filesHolding(QStringLiteral("password=") + password), QStringList{});
    const QStringList named = filesHolding(password);
    QVERIFY2(named.size() == 1 && named.first().endsWith(QLatin1String(".conf")),
             qPrintable(named.join(QLatin1Char(' '))));
}

QTEST_MAIN(KeychainTest)
#include "tst_keychain.moc"
