// Contract: schema status, install, and refusing databases that are not ours to change.

#include "tst_contract.h"

#include "schema_manager.h"
#include "sql/sql_connection.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace mc;
using namespace mc::test;

namespace {

QStringList tableNames(FleetWriter &writer, const QString &backend)
{
    const sql::Rows rows = writer.connection().query(
        backend == QLatin1String("postgresql")
            ? QStringLiteral("SELECT table_name FROM information_schema.tables WHERE "
                             "table_schema = current_schema() ORDER BY 1")
            : QStringLiteral("SELECT table_name FROM information_schema.tables WHERE "
                             "table_schema = DATABASE() ORDER BY 1"));
    QStringList names;
    for (int r = 0; r < rows.size(); ++r)
        names << rows.text(r, 0);
    return names;
}

} // namespace

void ContractTest::emptyDatabaseReportsEmptyAndRefusesReads()
{
    TestDatabase db(m_server);
    auto store = db.openStore();
    auto status = store->schemaStatus();
    QVERIFY2(status.ok(), qPrintable(status.ok() ? QString() : status.error().message));
    QCOMPARE(status->state, SchemaStatus::State::Empty);
    QCOMPARE(status->installedVersion, 0);
    QCOMPARE(status->knownVersion, SchemaManager::builtInVersion());
    QVERIFY(status->knownVersion >= 2); // 002: striped counters

    auto overview = store->overview({});
    QVERIFY(!overview.ok());
    QCOMPARE(overview.error().kind, StoreError::Kind::SchemaMismatch);
    QVERIFY2(overview.error().message.contains(QStringLiteral("install")),
             qPrintable(overview.error().message));
}

void ContractTest::installCreatesCurrentSchemaWithAudit()
{
    TestDatabase db(m_server);
    auto store = db.openStore();
    auto installed = store->installSchema(tester());
    QVERIFY2(installed.ok(), qPrintable(installed.ok() ? QString() : installed.error().message));
    QCOMPARE(installed->state, SchemaStatus::State::Current);
    QCOMPARE(installed->installedVersion, SchemaManager::builtInVersion());

    auto again = store->installSchema(tester());
    QVERIFY(!again.ok());
    QCOMPARE(again.error().kind, StoreError::Kind::NothingToChange);
    auto upgrade = store->upgradeSchema(tester());
    QVERIFY(upgrade.ok());
    QCOMPARE(upgrade->state, SchemaStatus::State::Current);

    auto audit = store->audit({});
    QVERIFY(audit.ok());
    QCOMPARE(audit->entries.size(), 1);
    QCOMPARE(audit->entries[0].action, QStringLiteral("install_schema"));
    QCOMPARE(audit->entries[0].osUser, tester().osUser);
    QVERIFY(!audit->entries[0].databaseUser.isEmpty());
    QVERIFY(audit->entries[0].after.contains(
        QStringLiteral("\"version\":%1").arg(SchemaManager::builtInVersion())));

    // A second store on the same database agrees, and every expected table is there.
    auto writer = db.openWriter();
    const QStringList tables = tableNames(*writer, m_server.backend);
    for (const char *table : {"schema_version", "portals", "models", "user_migrations",
                              "model_progress", "failed_records", "id_mappings", "queues",
                              "queue_jobs", "rollout_flags", "throughput_samples", "audit_log",
                              "user_status_counts", "model_totals", "queue_counts",
                              "error_groups"})
        QVERIFY2(tables.contains(QLatin1String(table)), table);
}

void ContractTest::olderSchemaIsUpgradedInOrder()
{
    TestDatabase db(m_server);
    auto store = db.installedStore(); // the current version
    const int current = SchemaManager::builtInVersion();
    // A console one version ahead: the embedded scripts plus one that adds a table and fills it
    // from existing rows a range at a time, reporting its progress.
    QTemporaryDir root;
    QVERIFY(root.isValid());
    const QString dir = root.path() + QLatin1Char('/') + m_server.backend;
    QVERIFY(QDir().mkpath(dir));
    const QString embedded = QStringLiteral(":/schema/") + m_server.backend;
    for (const QString &name : QDir(embedded).entryList({QStringLiteral("*.sql")}))
        QVERIFY(QFile::copy(embedded + QLatin1Char('/') + name, dir + QLatin1Char('/') + name));
    QFile next(dir + QStringLiteral("/%1_probe.sql").arg(current + 1, 3, 10, QLatin1Char('0')));
    QVERIFY(next.open(QIODevice::WriteOnly));
    next.write("CREATE TABLE upgrade_probe (id BIGINT PRIMARY KEY)\n"
               "--@@\n"
               "-- mc:batch audit_log.id 2 copying audit ids\n"
               "INSERT INTO upgrade_probe (id) SELECT id FROM audit_log\n"
               "    WHERE id >= {from} AND id < {to}\n");
    next.close();

    auto writer = db.openWriter();
    for (int i = 0; i < 5; ++i) // six audit entries in all, with the install's
        writer->connection().exec(QStringLiteral("INSERT INTO audit_log (database_user, os_user, "
                                                 "action, target) VALUES ('x', 'y', 'probe', "
                                                 "'z')"));
    SchemaManager newer(writer->connection(), root.path());
    SchemaStatus status = newer.status();
    QCOMPARE(status.state, SchemaStatus::State::Older);
    QCOMPARE(status.installedVersion, current);
    QCOMPARE(status.knownVersion, current + 1);
    QVERIFY2(status.detail.contains(QStringLiteral("upgrade")), qPrintable(status.detail));

    QList<SchemaProgress> reported;
    newer.apply(QStringLiteral("upgrader"),
                [&](const SchemaProgress &progress) { reported << progress; });
    status = newer.status();
    QCOMPARE(status.state, SchemaStatus::State::Current);
    QCOMPARE(status.installedVersion, current + 1);
    const sql::Rows versions = writer->connection().query(
        QStringLiteral("SELECT version, installed_by FROM schema_version ORDER BY version"));
    QCOMPARE(versions.size(), current + 1);
    QCOMPARE(versions.text(current, 1), QStringLiteral("upgrader"));
    QCOMPARE(writer->connection()
                 .query(QStringLiteral("SELECT COUNT(*) FROM upgrade_probe"))
                 .int64(0, 0),
             6);
    QCOMPARE(reported.size(), 4); // the version, then ids 1-2, 3-4 and 5-6
    QCOMPARE(reported[0].version, current + 1);
    QCOMPARE(reported[0].total, 0);
    for (int i = 1; i <= 3; ++i) {
        QCOMPARE(reported[i].step, QStringLiteral("copying audit ids"));
        QCOMPARE(reported[i].done, qint64(2 * i));
        QCOMPARE(reported[i].total, 6);
    }

    // The older console now meets a newer database and stays away from it.
    auto older = db.openStore();
    auto seen = older->schemaStatus();
    QVERIFY(seen.ok());
    QCOMPARE(seen->state, SchemaStatus::State::Newer);
}

void ContractTest::newerSchemaVersionIsRefusedUnchanged()
{
    TestDatabase db(m_server);
    auto store = db.installedStore();
    auto writer = db.openWriter();
    const int newer = SchemaManager::builtInVersion() + 1;
    writer->connection().exec(QStringLiteral("INSERT INTO schema_version (version, description) "
                                             "VALUES ($1, 'from a newer console')"),
                              {newer});
    const QStringList tablesBefore = tableNames(*writer, m_server.backend);

    auto fresh = db.openStore(); // a console that has not yet checked this database
    auto status = fresh->schemaStatus();
    QVERIFY(status.ok());
    QCOMPARE(status->state, SchemaStatus::State::Newer);
    QCOMPARE(status->installedVersion, newer);
    QVERIFY2(status->detail.contains(QStringLiteral("version %1").arg(newer)),
             qPrintable(status->detail));

    for (auto result : {fresh->upgradeSchema(tester()), fresh->installSchema(tester())}) {
        QVERIFY(!result.ok());
        QCOMPARE(result.error().kind, StoreError::Kind::SchemaMismatch);
        QVERIFY2(result.error().message.contains(QStringLiteral("nothing was changed")),
                 qPrintable(result.error().message));
    }
    auto overview = fresh->overview({});
    QVERIFY(!overview.ok());
    QCOMPARE(overview.error().kind, StoreError::Kind::SchemaMismatch);
    QCOMPARE(tableNames(*writer, m_server.backend), tablesBefore);
    const sql::Rows audit = writer->connection().query(QStringLiteral("SELECT COUNT(*) FROM "
                                                                      "audit_log"));
    QCOMPARE(audit.int64(0, 0), 1); // only the original install
}

void ContractTest::foreignTablesAreRefusedUnchanged()
{
    TestDatabase db(m_server);
    auto writer = db.openWriter();
    writer->connection().execScript(
        QStringLiteral("CREATE TABLE customers (id INTEGER PRIMARY KEY, name VARCHAR(20))"));
    auto store = db.openStore();
    auto status = store->schemaStatus();
    QVERIFY(status.ok());
    QCOMPARE(status->state, SchemaStatus::State::Foreign);
    QVERIFY2(status->detail.contains(QStringLiteral("customers")), qPrintable(status->detail));

    auto installed = store->installSchema(tester());
    QVERIFY(!installed.ok());
    QCOMPARE(installed.error().kind, StoreError::Kind::SchemaMismatch);
    QCOMPARE(tableNames(*writer, m_server.backend), QStringList{QStringLiteral("customers")});
}

void ContractTest::badUrlAndUnreachableServerAreClearErrors()
{
    auto bad = mc::openStore(QStringLiteral("oracle://scott@db/x"));
    QVERIFY(!bad.ok());
    QCOMPARE(bad.error().kind, StoreError::Kind::InvalidInput);
    QVERIFY(bad.error().message.contains(QStringLiteral("postgresql://")));

    auto noDatabase = mc::openStore(QStringLiteral("postgresql://u@127.0.0.1:5"));
    QVERIFY(!noDatabase.ok());
    QCOMPARE(noDatabase.error().kind, StoreError::Kind::InvalidInput);

    ConnectionUrl closed = m_server.admin;
    closed.settings.port = 9; // discard: nothing listens there
    closed.settings.connectTimeoutSeconds = 2;
    auto unreachable = mc::openStore(closed.toString());
    QVERIFY(!unreachable.ok());
    QCOMPARE(unreachable.error().kind, StoreError::Kind::Connection);
    QVERIFY2(!unreachable.error().message.isEmpty(), "the error says what happened");
}

void ContractTest::serverInfoNamesBackendVersionAndUser()
{
    TestDatabase db(m_server);
    auto store = db.openStore();
    auto info = store->serverInfo();
    QVERIFY2(info.ok(), qPrintable(info.ok() ? QString() : info.error().message));
    QCOMPARE(info->backend, m_server.backend);
    QVERIFY2(info->serverVersion.contains(m_server.backend == QLatin1String("postgresql")
                                              ? QStringLiteral("15")
                                              : QStringLiteral("MariaDB")),
             qPrintable(info->serverVersion));
    QCOMPARE(info->database, db.connectionUrl().settings.database);
    QVERIFY(info->databaseUser.startsWith(db.connectionUrl().settings.user));
}

void ContractTest::droppedConnectionIsReportedThenRecovered()
{
    TestDatabase db(m_server);
    auto store = db.installedStore();
    auto writer = db.openWriter();
    seedCatalogue(*writer);
    QVERIFY(store->overview({}).ok());

    // The server drops the console's connection, as on a restart or a failover.
    const int killed = killOtherConnections(*writer, m_server.backend);
    if (m_server.backend != QLatin1String("postgresql"))
        QVERIFY(killed >= 1);

    auto lost = store->overview({});
    QVERIFY(!lost.ok());
    QCOMPARE(lost.error().kind, StoreError::Kind::Connection);
    // The next call reconnects by itself; nothing was lost.
    auto back = store->overview({});
    QVERIFY2(back.ok(), qPrintable(back.ok() ? QString() : back.error().message));
    QCOMPARE(back->queues.size(), 3);
}
