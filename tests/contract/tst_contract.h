#pragma once

// The MergeStore contract: the same cases run against PostgreSQL (contract_postgresql) and
// MariaDB (contract_mariadb). A behaviour difference between the backends fails here.

#include "contract_fixture.h"

#include <QObject>

class ContractTest : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();

    // schema (tst_contract_schema.cpp)
    void emptyDatabaseReportsEmptyAndRefusesReads();
    void installCreatesCurrentSchemaWithAudit();
    void olderSchemaIsUpgradedInOrder();
    void newerSchemaVersionIsRefusedUnchanged();
    void foreignTablesAreRefusedUnchanged();
    void badUrlAndUnreachableServerAreClearErrors();
    void serverInfoNamesBackendVersionAndUser();
    void droppedConnectionIsReportedThenRecovered();

    // reads (tst_contract_reads.cpp)
    void freshSchemaReadsAreEmpty();
    void overviewShowsCountersOfWhatWorkersWrote();
    void countersEqualCountAfterRandomChanges();
    void throughputIsBucketedByTheServer();
    void migrationTimesArePercentilesOfCompletedUsers();
    void userDossierShowsEverythingAboutOneUser();
    void auditPagesAndFilters();

    // failed records (tst_contract_failures.cpp)
    void failuresPageByKeysetWithoutGapsOrRepeats();
    void failureFiltersNarrowToExactlyTheMatchingRows();
    void payloadsRoundTripByteForByte();
    void errorGroupsFoldNumbersAndQuotedValues();

    // Text search (tst_contract_search.cpp)
    void textSearchEqualsPlainSqlForEveryNaughtyStringInBothModes();
    void textSearchFollowsPlainSqlWrites();

    // writes (tst_contract_writes.cpp)
    void retryExplicitUsersReportsEachOutcome();
    void retryByFilterMovesExactlyTheFilteredUsers();
    void bulkRetryCancelledHalfwayLeavesUsersMovedOrUntouched();
    void queueChangesAreVersionedAndAudited();
    void staleVersionIsRefusedWithWhoChangedWhat();
    void rolloutChangesAreVersionedAndAudited();
    void invalidChangesAreRefusedWithoutWriting();
    void hostileStringsAreStoredAndMatchedLiterally();

    // support calls (tst_contract_support.cpp)
    void markingFailuresIsAuditedAndUndoReopensOnlyThoseMarks();
    void failuresAfterARetryAreOpenAndEarlierOnesRetried();
    void rolloutPreviewCountsWhomAdmissionThenAdmits();
    void userIsFoundByTargetId();

private:
    mc::test::TestServer m_server;
};
