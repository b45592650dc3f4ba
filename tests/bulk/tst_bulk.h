#pragma once

// Retry all and export on a failures filter: the jobs and dialogs, offscreen, against the real
// server under test (bulk_postgresql, bulk_mariadb). A missing server fails them, never skips.

#include "contract_fixture.h"

#include <QObject>

class BulkTest : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();

    // Without a database
    void payloadIsTextOnlyWhenItsBytesComeBack();

    // Retry all (tst_bulk_retry.cpp)
    void retryButtonWaitsForAReason();
    void dialogCountIsExactlyTheUsersThenMoved();
    void cancelHalfwayLeavesEveryUserMovedOrUntouched();
    void closingWhileRunningAsksAndStopsCleanly();
    void serverGoneMidRunKeepsTheCommittedBatches();

    // Export (tst_bulk_export.cpp)
    void exportHoldsExactlyTheFilterRowsAndHostileTextRoundTrips();
    void exportWithoutDetailsNamesTheExcerpt();
    void cancelledExportLeavesNoFile();

private:
    mc::test::TestServer m_server;
};
