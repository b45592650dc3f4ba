#pragma once

// The support views (Users and Audit) offscreen, against the real server under test
// (support_postgresql, support_mariadb). Buttons are driven with QTest; database rows and audit
// entries are checked afterwards. A missing server fails the suite; it never skips it.

#include "contract_fixture.h"

#include <QObject>
#include <QTemporaryDir>

class SupportTest : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();

    // The Users view (tst_support_users.cpp)
    void findByPortalAndIdShowsTheDossier();
    void findByTargetIdShowsTheSameUser();
    void retryOneUserMovesItToPendingWithItsReason();
    void retryIsRefusedWithoutReasonOrForAUserNotFailed();
    void retryPastedListReportsEveryLine();

    // The Audit view (tst_support_audit.cpp)
    void auditShowsEveryActionWithItsReason();
    void auditFiltersNarrowToExactlyTheMatchingEntries();
    void auditPagingLoadsMoreOnScroll();
    void exportWritesExactlyTheFilteredEntries();
    void hostileReasonsRoundTrip();

private:
    mc::test::TestServer m_server;
    QTemporaryDir m_dir;
};
