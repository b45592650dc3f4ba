#pragma once

// What the controls tests check without a database (controls_units, label `unit`: no server).

#include <QObject>
#include <QTemporaryDir>

class ControlsUnitsTest : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void noticesSayWhoDidWhatAndWhy();
    void stagedEditsSurviveRefreshAndFollowOwnWrites();
    void rolloutDraftKeepsTheIntendedValue();

private:
    QTemporaryDir m_settingsDir;
};
