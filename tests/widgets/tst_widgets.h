#pragma once

// The console's widget tests, offscreen, against the real server under test (widgets_postgresql,
// widgets_mariadb). A missing server fails them; it never skips them.

#include "contract_fixture.h"

#include <QObject>
#include <QTemporaryDir>

class WidgetsTest : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();

    // The overview on a real database (tst_widgets_overview.cpp)
    void tilesAndTableShowWhatTheDatabaseHolds();
    void rangeChangeRequeriesAndRefreshFetchesOnlyNewBuckets();
    void auditEntriesBecomeMarkers();
    void chartsShowTheSamplesWithTooltips();

    // The connection (tst_widgets_connection.cpp)
    void guiKeepsAnsweringWhileAQueryIsBlocked();
    void unreachableServerShowsDisconnectedAndRetries();
    void droppedConnectionRecoversByItself();

    // every view on one database (tst_widgets_views.cpp)
    void everyViewWorksOnTheConnectedDatabase();
    void everyViewOpenUsesAtMostThreeConnections();

    // counters (tst_widgets_counters.cpp)
    void verifyCountersFindsAndRepairsDrift();
    void overviewNamesAnImpossibleFigure();

private:
    mc::test::TestServer m_server;
    QTemporaryDir m_settingsDir;
};
