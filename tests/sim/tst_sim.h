#pragma once

// merge-sim's worker side, against the real server under test (sim_postgresql, sim_mariadb):
// rollout buckets and admission, claims and leases, whole fleet runs in-process, the seeder, and
// the built merge-sim binary. Expected values come from plain SQL or from the test's own
// arithmetic, never from the code under test.

#include "contract_fixture.h"

#include <QObject>

class SimTest : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();

    // rollout (tst_sim_rollout.cpp)
    void bucketIsStableAndSpread();
    void storedBucketMatchesRolloutBucket();
    void raisingRolloutNeverDropsAnAdmittedUser();
    void countNewlyAdmittedReadsTheRolloutIndex();

    // claims (tst_sim_claims.cpp)
    void claimsHonourParallelismAcrossWorkers();
    void pausedQueueAndParallelismZeroGiveNoClaims();
    void expiredLeaseIsReclaimedAndTheLateWorkerLosesIt();
    void leaseExpiringOnTheLastAttemptFailsTheUser();
    void shutdownGivesUnfinishedClaimsBack();

    // fleet (tst_sim_fleet.cpp)
    void pauseAndParallelismZeroStopAFleetWithinTwoSeconds();
    void pendingUsersCompleteWithoutFailureInjection();
    void attemptsRetryUpToMaxAttemptsThenTheUserFails();
    void throughputSamplesMatchWhatTheFleetDid();
    void throughputUpsertAddsCountsAndKeepsGaugeMaxima();
    void aSpikeFailsItsPortalsUsersOnly();
    void aStallStopsClaimsUntilItEnds();

    // seeder (tst_sim_seed.cpp)
    void seedIsDeterministic();
    void seededCountersEqualCount();
    void failurePayloadsAreRealistic();

    // Schema upgrade of seeded data (tst_sim_upgrade.cpp)
    void upgradeBuildsTheSearchIndexOnASeededDatabase();

    // the binary (tst_sim_binary.cpp)
    void mergeSimSeedsRunsAndStopsOnSigterm();
    void mergeSimRejectsBadUsage();

private:
    void upgradeSeededDatabase();
    mc::test::TestServer m_server;
};
