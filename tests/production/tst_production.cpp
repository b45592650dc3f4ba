// The production guard on the real servers: the database's environment is set by migctl (audited)
// and read back by every client; a read-only session's write fails at the server; merge-sim
// refuses a production database with exit 2 and writes nothing.

#include "connection_profile.h"
#include "contract_fixture.h"
#include "database.h"
#include "environment_banner.h"
#include "live_overview.h"
#include "main_window.h"
#include "migctl_runner.h"
#include "reason_dialog.h"
#include "url_secret.h"

#include <QAction>
#include <QLineEdit>
#include <QProcess>
#include <QPushButton>
#include <QSettings>
#include <QTemporaryDir>
#include <QTest>

using namespace mc;
using namespace mc::test;

#define EXPECT_EXIT(run, code)                                                                  \
    QVERIFY2((run).exitCode == (code) && !(run).crashed, qPrintable((run).describe()))

namespace {

// What a lead does with `migctl environment set prod-eu --class production`.
bool labelProduction(MergeStore &store)
{
    EnvironmentChange label;
    label.name = QStringLiteral("prod-eu");
    label.environmentClass = EnvironmentClass::Production;
    label.reason = QStringLiteral("go-live");
    label.by = Operator{QStringLiteral("lead")};
    return store.setEnvironment(label).ok();
}

} // namespace

class ProductionTest : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase() { m_server = TestServer::fromEnvironment(); }
    void environmentIsSetByMigctlAuditedAndReadBack();
    void readOnlySessionWritesFailAtTheServer();
    void mergeSimRefusesProductionAndWritesNothing();
    void consoleShowsTheBannerAndAsksForTheName();
    void migctlOpensAReadOnlyProfileWithThePasswordFromTheEnvironment();

private:
    TestServer m_server;
};

void ProductionTest::environmentIsSetByMigctlAuditedAndReadBack()
{
    TestDatabase db(m_server);
    auto store = db.installedStore();
    auto before = store->serverInfo();
    QVERIFY(before.ok());
    QVERIFY(!before->environment.known);

    MigctlRunner migctl(db.url());
    const MigctlRun unset = migctl.run({QStringLiteral("environment"), QStringLiteral("show"),
                                        QStringLiteral("--json")});
    EXPECT_EXIT(unset, 0);
    QVERIFY(unset.json().value(QStringLiteral("environment")).toObject()
                .value(QStringLiteral("class")).isNull());

    EXPECT_EXIT(migctl.run({QStringLiteral("environment"), QStringLiteral("set"),
                            QStringLiteral("prod-eu"), QStringLiteral("--class"),
                            QStringLiteral("live")}),
                2);
    EXPECT_EXIT(migctl.run({QStringLiteral("environment"), QStringLiteral("set"),
                            QStringLiteral("prod-eu"), QStringLiteral("--class"),
                            QStringLiteral("production")}),
                2); // no reason
    const MigctlRun set = migctl.run({QStringLiteral("environment"), QStringLiteral("set"),
                                      QStringLiteral("prod-eu"), QStringLiteral("--class"),
                                      QStringLiteral("production"), QStringLiteral("--reason"),
                                      QStringLiteral("go-live CHG-1")});
    EXPECT_EXIT(set, 0);
    QVERIFY2(set.out.contains("prod-eu (production)"), qPrintable(set.describe()));

    // Another client (a fresh connection) reads what the database says.
    auto other = db.openStore();
    auto info = other->serverInfo();
    QVERIFY(info.ok());
    QVERIFY(info->environment.isProduction());
    QCOMPARE(info->environment.name, QStringLiteral("prod-eu"));

    auto writer = db.openWriter();
    QCOMPARE(scalar(*writer, QStringLiteral("SELECT COUNT(*) FROM audit_log WHERE action = "
                                            "'set_environment' AND reason = 'go-live CHG-1'")),
             1);
    // The same label again changes nothing (exit 4, no second audit entry).
    EXPECT_EXIT(migctl.run({QStringLiteral("environment"), QStringLiteral("set"),
                            QStringLiteral("prod-eu"), QStringLiteral("--class"),
                            QStringLiteral("production"), QStringLiteral("--reason"),
                            QStringLiteral("again")}),
                4);
    QCOMPARE(scalar(*writer, QStringLiteral("SELECT COUNT(*) FROM audit_log WHERE action = "
                                            "'set_environment'")),
             1);
}

void ProductionTest::readOnlySessionWritesFailAtTheServer()
{
    TestDatabase db(m_server);
    db.installedStore();
    auto writer = db.openWriter();
    seedCatalogue(*writer);
    ConnectionUrl url = db.connectionUrl();
    url.settings.readOnly = true;
    auto readOnly = openStore(url.toString());
    QVERIFY(readOnly.ok());
    // Reads work.
    auto overview = readOnly.value()->overview(OverviewRequest{0});
    QVERIFY2(overview.ok(), qPrintable(overview.ok() ? QString() : overview.error().message));
    // A write is refused by the server itself.
    QueueChange change;
    change.queue = QStringLiteral("serialize");
    change.parallelism = 9;
    change.reason = QStringLiteral("tune");
    change.by = Operator{QStringLiteral("tester")};
    auto refused = readOnly.value()->updateQueue(change);
    QVERIFY(!refused.ok());
    QCOMPARE(refused.error().kind, StoreError::Kind::Permission);
    QCOMPARE(refused.error().sqlState, QStringLiteral("25006"));
    QVERIFY2(refused.error().message.contains(QLatin1String("read-only session")),
             qPrintable(refused.error().message));
    QCOMPARE(scalar(*writer, QStringLiteral("SELECT parallelism FROM queues WHERE name = "
                                            "'serialize'")),
             4);
    QCOMPARE(scalar(*writer, QStringLiteral("SELECT COUNT(*) FROM audit_log WHERE action <> "
                                            "'install_schema'")),
             0);
    // migctl says it was refused (exit 4).
    MigctlRunner migctl(url.toString());
    const MigctlRun run = migctl.run({QStringLiteral("queue"), QStringLiteral("pause"),
                                      QStringLiteral("serialize"), QStringLiteral("--reason"),
                                      QStringLiteral("x")});
    EXPECT_EXIT(run, 4);
    QVERIFY2(run.err.contains("read-only session"), qPrintable(run.describe()));
}

void ProductionTest::mergeSimRefusesProductionAndWritesNothing()
{
    TestDatabase db(m_server);
    auto store = db.installedStore();
    auto writer = db.openWriter();
    seedCatalogue(*writer);
    QVERIFY(labelProduction(*store));
    const auto counts = [&] {
        return QList<qint64>{
            scalar(*writer, QStringLiteral("SELECT COUNT(*) FROM user_migrations")),
            scalar(*writer, QStringLiteral("SELECT COUNT(*) FROM queue_jobs")),
            scalar(*writer, QStringLiteral("SELECT COUNT(*) FROM throughput_samples")),
            scalar(*writer, QStringLiteral("SELECT COUNT(*) FROM audit_log"))};
    };
    const QList<qint64> before = counts();
    for (const QStringList &arguments :
         {QStringList{QStringLiteral("--db"), db.url(), QStringLiteral("seed"),
                      QStringLiteral("--users"), QStringLiteral("50")},
          QStringList{QStringLiteral("--db"), db.url(), QStringLiteral("run"),
                      QStringLiteral("--duration"), QStringLiteral("2")}}) {
        QProcess sim;
        sim.start(QStringLiteral(MERGE_SIM_BINARY), arguments);
        QVERIFY(sim.waitForFinished(60'000));
        const QByteArray err = sim.readAllStandardError();
        QVERIFY2(sim.exitStatus() == QProcess::NormalExit && sim.exitCode() == 2,
                 err.constData());
        QVERIFY2(err.contains("production") && err.contains("prod-eu"), err.constData());
    }
    QCOMPARE(counts(), before);
}

void ProductionTest::consoleShowsTheBannerAndAsksForTheName()
{
    TestDatabase db(m_server);
    auto store = db.installedStore();
    QVERIFY(labelProduction(*store));

    Database database;
    LiveOverview live(database.polling());
    widgets::MainWindow window(&database, &live);
    window.show();
    window.readOnlyAction()->setChecked(true); // File › Read-only session
    window.connectTo(db.url());
    QTRY_VERIFY_WITH_TIMEOUT(database.status().isConnected(), 15'000);
    widgets::EnvironmentBanner *banner = window.environmentBanner();
    for (auto page : {widgets::MainWindow::Page::Overview, widgets::MainWindow::Page::Failures,
                      widgets::MainWindow::Page::Users, widgets::MainWindow::Page::Controls,
                      widgets::MainWindow::Page::Audit}) {
        window.showPage(page);
        QVERIFY(banner->isVisible());
        QCOMPARE(banner->text(), QStringLiteral("PRODUCTION · prod-eu · read-only session"));
    }
    QVERIFY(banner->styleSheet().contains(environmentColour(EnvironmentClass::Production)));
    // File › Read-only session reached the connection (the server refuses writes: see above).
    QVERIFY(database.redactedUrl().contains(QLatin1String("read_only=true")));

    // A risky change asks for the environment's name as well as a reason.
    widgets::ReasonDialog dialog;
    dialog.guardProduction(database.status().server.environment);
    dialog.reasonEdit()->setText(QStringLiteral("ticket 7"));
    QVERIFY(!dialog.applyButton()->isEnabled());
    dialog.typedNameEdit()->setText(QStringLiteral("prod"));
    QVERIFY(!dialog.applyButton()->isEnabled());
    dialog.typedNameEdit()->setText(QStringLiteral("prod-eu"));
    QVERIFY(dialog.applyButton()->isEnabled());
    database.close();
}

void ProductionTest::migctlOpensAReadOnlyProfileWithThePasswordFromTheEnvironment()
{
    TestDatabase db(m_server);
    db.installedStore();
    auto writer = db.openWriter();
    seedCatalogue(*writer);
    const UrlSecret secret = splitPassword(db.url());
    QTemporaryDir config;
    {
        QSettings settings(config.path() + QStringLiteral("/MigrationConsole/migration-console.conf"),
                           QSettings::IniFormat);
        QVERIFY(ProfileStore(settings)
                    .save({QStringLiteral("prod"), secret.withoutPassword,
                           EnvironmentClass::Production, true})
                    .ok());
    }
    const auto runMigctl = [&](const QStringList &arguments) {
        QProcess migctl;
        QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
        environment.remove(QStringLiteral("MIGCTL_DB"));
        environment.insert(QStringLiteral("XDG_CONFIG_HOME"), config.path());
        environment.insert(QStringLiteral("MIGCTL_PROFILE"), QStringLiteral("prod"));
        environment.insert(QStringLiteral("MC_DB_PASSWORD"),
                           QUrl::fromPercentEncoding(secret.password.toUtf8()));
        migctl.setProcessEnvironment(environment);
        migctl.start(QStringLiteral(MIGCTL_BINARY), arguments);
        migctl.waitForFinished(60'000);
        return std::pair{migctl.exitCode(), QString::fromUtf8(migctl.readAllStandardError())};
    };
    const auto [statusCode, statusErr] = runMigctl({QStringLiteral("status")});
    QVERIFY2(statusCode == 0, qPrintable(statusErr));
    const auto [pauseCode, pauseErr] = runMigctl({QStringLiteral("queue"), QStringLiteral("pause"),
                                                  QStringLiteral("serialize"),
                                                  QStringLiteral("--reason"), QStringLiteral("x")});
    QVERIFY2(pauseCode == 4 && pauseErr.contains(QLatin1String("read-only session")),
             qPrintable(pauseErr));
    const auto [missingCode, missingErr] = runMigctl({QStringLiteral("--profile"),
                                                      QStringLiteral("nope"),
                                                      QStringLiteral("status")});
    QVERIFY2(missingCode == 2 && missingErr.contains(QLatin1String("nope")), qPrintable(missingErr));
    QCOMPARE(scalar(*writer, QStringLiteral("SELECT COUNT(*) FROM queues WHERE paused")), 0);
}

QTEST_MAIN(ProductionTest)
#include "tst_production.moc"
