#pragma once

// The Controls view and the audit watcher, offscreen, against the real server under test
// (controls_postgresql, controls_mariadb). A missing server fails them; it never skips them.

#include "contract_fixture.h"

#include <QObject>
#include <QTemporaryDir>

class ControlsTest : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();

    // Queues (tst_controls_queues.cpp)
    void stagedEditAppliesOneAuditedChange();
    void pauseAndResumeAskForAReason();
    void twoConsolesNeverOverwriteEachOther();

    // Rollout (tst_controls_rollout.cpp)
    void previewCountsWhomTheWorkersAdmit();
    void rolloutConflictIsShownAndAskedAgain();

    // The audit watcher (tst_controls_audit.cpp)
    void watcherAnnouncesAnotherOperatorsChange();

private:
    mc::test::TestServer m_server;
    QTemporaryDir m_settingsDir;
};
