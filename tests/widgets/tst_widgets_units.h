#pragma once

// What the widgets tests check without a database (widgets_units, label `unit`: no server).

#include <QObject>
#include <QTemporaryDir>

class WidgetsUnitsTest : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void kpisCountTheLastCompleteMinute();
    void throughputWindowFetchesOnlyNewBuckets();
    void chartsTurnCountsIntoRatesAndRunningTotals();
    void markersSayWhoDidWhatAndWhy();
    void progressModelPassesTheModelTester();
    void connectDialogKeepsThePasswordMasked();
    void malformedUrlsShowNoPasswordAnywhere_data();
    void malformedUrlsShowNoPasswordAnywhere();
    void windowRemembersItsLayout();

private:
    QTemporaryDir m_settingsDir;
};
