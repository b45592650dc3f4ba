#pragma once

// Other teams write the merge database with plain SQL. Each case does what such a writer does, on
// a real PostgreSQL (foreign_writer_postgresql) or MariaDB (foreign_writer_mariadb) server, and
// after every step checks that every counter equals COUNT(*)/SUM of its table by the documented
// definitions and that `migctl verify` agrees (exit 0).

#include "contract_fixture.h"
#include "migctl_runner.h"

#include <QObject>

class ForeignWriterTest : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();

    // inserts and upserts (tst_foreign_writer.cpp)
    void multiRowInserts();
    void upsertsAndReplace();
    void bulkStatusMovesAndDeletingUsersWithChildren();

    // failed records around retries (tst_foreign_writer_failures.cpp)
    void retentionDeletesBeforeAndAfterRetries();
    void workerResolvesAndReopensRecords();
    void workerRetriesUsersItself();
    void errorClassAndMessageUpdatesRegroup();

    // truncate, corruption, upgrade (tst_foreign_writer_recovery.cpp)
    void truncateKeepsOrVerifyFindsCounters();
    void corruptedCounterIsNamedAndRepairedOnce();
    void versionOneDatabaseUpgradesWithTrueCounters();

private:
    struct Scene
    {
        std::unique_ptr<mc::test::TestDatabase> db;
        std::unique_ptr<mc::MergeStore> store;
        std::unique_ptr<mc::FleetWriter> writer;
    };
    // A current database with the test catalogue and, when asked, the standard population:
    // lt users 1–20 failed with three failed records each (two old, one recent), 21–30
    // in_progress with model progress and running jobs, 31–40 pending with pending jobs.
    Scene scene(bool populated = true);
    void exec(Scene &s, const QString &sql);
    void populate(Scene &s);
    // Every counter true and `migctl verify` exit 0, or the test fails naming the step.
    void settle(Scene &s, const char *step);
    mc::test::MigctlRun migctl(Scene &s, const QStringList &arguments);
    bool postgres() const { return m_server.backend == QLatin1String("postgresql"); }
    // The users of `ids` get one more failed record each, now, in the "later" group.
    void failAgain(Scene &s, const QString &ids);

    mc::test::TestServer m_server;
};

// Stops the calling test slot when a helper it called has failed.
#define SETTLE(s, step)                                                                        \
    do {                                                                                       \
        settle(s, step);                                                                       \
        if (QTest::currentTestFailed())                                                        \
            return;                                                                            \
    } while (false)
