#pragma once

// migctl end to end: the built binary run as a script would, against a real PostgreSQL
// (migctl_postgresql) or MariaDB (migctl_mariadb) server; every case checks the database after.

#include "contract_fixture.h"
#include "migctl_runner.h"

#include <QObject>
#include <QSet>

class MigctlTest : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();

    // usage, store errors, schema (tst_migctl_errors.cpp)
    void usageMistakesExitTwoAndChangeNothing();
    void storeErrorsExitOneWithOneLine();
    void schemaInstallThenStatus();

    // reads (tst_migctl_reads.cpp)
    void statusJsonShowsWhatWasWritten();
    void failuresPagesVisitEveryRowOnce();
    void failureShowPayloadIsTheExactBytes();
    void errorsAndUserShowMatchTheDatabase();

    // retry (tst_migctl_retry.cpp)
    void retryDryRunMovesNothing();
    void retryByFilterMovesExactlyTheFilteredUsers();
    void retryWithoutYesOnAPipeIsRefused();
    void retryUsersFromFileReportsEachOutcome();
    void retryCancelledByCtrlCLeavesUsersMovedOrUntouched();

    // queue and rollout settings (tst_migctl_settings.cpp)
    void queueSetWithStaleVersionConflicts();
    void queuePauseShowsInList();
    void rolloutPercentIsExactAndChecked();

    // hostile strings (tst_migctl_hostile.cpp)
    void naughtyStringsAsSearchMatchLiterally();
    void naughtyStringsAsReasonAreStoredExactly();

private:
    mc::test::TestServer m_server;
};

namespace mc::test {

qint64 addFailure(FleetWriter &writer, const UserKey &user, int model, const QString &errorClass,
                  const QString &message, std::optional<EpochMs> failedAt = {});
QSet<QString> usersWithStatus(FleetWriter &writer, const QString &status); // {"lt:1", …}
QStringList args(std::initializer_list<const char *> list); // migctl arguments from literals

} // namespace mc::test

// A migctl run must end with this exit code, or the test fails showing what it printed.
#define EXPECT_EXIT(run, code)                                                                  \
    QVERIFY2((run).exitCode == (code) && !(run).crashed, qPrintable((run).describe()))
