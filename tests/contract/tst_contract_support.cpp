// The support calls beside retry: marking failed records and undoing it, failed records across
// retries, the rollout preview, and finding a user by target id.

#include "tst_contract.h"

#include "fleet/admission.h"
#include "rollout.h"

#include <QTest>

using namespace mc;
using namespace mc::test;

namespace {

qint64 failureOf(FleetWriter &writer, const UserKey &user, const QString &message)
{
    NewFailure f;
    f.user = user;
    f.modelId = 2;
    f.errorClass = QStringLiteral("Timeout");
    f.message = message;
    return writer.addFailure(f);
}

// The error groups' open counts must equal the records a reader sees as open.
void expectGroupCountsMatchOpenRecords(MergeStore &store, FleetWriter &writer)
{
    FailureFilter open;
    const qint64 openRecords = allFailureIds(store, open, 100).size();
    QCOMPARE(scalar(writer, QStringLiteral("SELECT COALESCE(SUM(unresolved), 0) FROM "
                                           "error_groups")),
             openRecords);
}

QString resolutionOf(MergeStore &store, qint64 id)
{
    auto detail = store.failure(id);
    return detail.ok() ? detail->row.resolution : QStringLiteral("<%1>").arg(detail.error().message);
}

} // namespace

void ContractTest::markingFailuresIsAuditedAndUndoReopensOnlyThoseMarks()
{
    TestDatabase db(m_server);
    auto store = db.installedStore();
    auto writer = db.openWriter();
    seedCatalogue(*writer);
    addUsers(*writer, QStringLiteral("lt"), 1, 3, UserStatus::Failed);
    const qint64 a = failureOf(*writer, {QStringLiteral("lt"), 1}, QStringLiteral("a"));
    const qint64 b = failureOf(*writer, {QStringLiteral("lt"), 2}, QStringLiteral("b"));
    const qint64 c = failureOf(*writer, {QStringLiteral("lt"), 3}, QStringLiteral("c"));

    // User 3 is retried: its record counts as retried and can be neither marked nor reopened.
    RetryRequest retry;
    retry.users = std::vector<UserKey>{{QStringLiteral("lt"), 3}};
    retry.reason = QStringLiteral("fixed");
    retry.by = tester();
    REQUIRE_OK(store->retryUsers(retry, {}));

    ResolutionChange mark;
    mark.failureIds = {a, b, c, 987654};
    mark.to = Resolution::Ignored;
    mark.reason = QStringLiteral("QA-7: known bad source data");
    mark.by = Operator{QStringLiteral("qa-olga")};
    auto marked = store->setResolution(mark);
    REQUIRE_OK(marked);
    QCOMPARE(marked->changed, (std::vector<qint64>{a, b}));
    QCOMPARE(marked->unchanged, 2);
    QCOMPARE(resolutionOf(*store, a), QStringLiteral("ignored"));
    QCOMPARE(resolutionOf(*store, c), QStringLiteral("retried"));
    auto detail = store->failure(a);
    REQUIRE_OK(detail);
    QVERIFY(detail->resolvedBy.contains(QStringLiteral("qa-olga")));
    expectGroupCountsMatchOpenRecords(*store, *writer);

    // Somebody else turns b from ignored to resolved; the undo must leave that alone.
    ResolutionChange reopenB;
    reopenB.failureIds = {b};
    reopenB.to = Resolution::Open;
    reopenB.reason = QStringLiteral("look again");
    reopenB.by = tester();
    REQUIRE_OK(store->setResolution(reopenB));
    ResolutionChange resolveB = reopenB;
    resolveB.to = Resolution::Resolved;
    resolveB.reason = QStringLiteral("fixed by hand in target");
    REQUIRE_OK(store->setResolution(resolveB));

    ResolutionChange undo;
    undo.failureIds = marked->changed;
    undo.to = Resolution::Open;
    undo.onlyFrom = Resolution::Ignored;
    undo.reason = QStringLiteral("undo: QA-7 was wrong");
    undo.by = mark.by;
    auto undone = store->setResolution(undo);
    REQUIRE_OK(undone);
    QCOMPARE(undone->changed, (std::vector<qint64>{a}));
    QCOMPARE(resolutionOf(*store, a), QString());
    QCOMPARE(resolutionOf(*store, b), QStringLiteral("resolved"));
    expectGroupCountsMatchOpenRecords(*store, *writer);

    // Nothing left to undo: refused, nothing written.
    const qint64 auditBefore = scalar(*writer, QStringLiteral("SELECT COUNT(*) FROM audit_log"));
    auto again = store->setResolution(undo);
    QVERIFY(!again.ok());
    QCOMPARE(again.error().kind, StoreError::Kind::NothingToChange);
    mark.reason = QStringLiteral("  ");
    auto noReason = store->setResolution(mark);
    QVERIFY(!noReason.ok());
    QCOMPARE(noReason.error().kind, StoreError::Kind::InvalidInput);
    QCOMPARE(scalar(*writer, QStringLiteral("SELECT COUNT(*) FROM audit_log")), auditBefore);

    AuditQuery query;
    query.action = QStringLiteral("resolve_failures");
    auto audit = store->audit(query);
    REQUIRE_OK(audit);
    QCOMPARE(audit->entries.size(), 2);
    QCOMPARE(audit->entries.last().reason, QStringLiteral("QA-7: known bad source data"));
    QCOMPARE(audit->entries.last().osUser, QStringLiteral("qa-olga"));
    query.action = QStringLiteral("reopen_failures");
    audit = store->audit(query);
    REQUIRE_OK(audit);
    QCOMPARE(audit->entries.size(), 2);
}

void ContractTest::failuresAfterARetryAreOpenAndEarlierOnesRetried()
{
    TestDatabase db(m_server);
    auto store = db.installedStore();
    auto writer = db.openWriter();
    seedCatalogue(*writer);
    const UserKey user{QStringLiteral("de"), 7};
    addUsers(*writer, user.portal, user.userId, 1, UserStatus::Failed);
    const qint64 first = failureOf(*writer, user, QStringLiteral("timeout after 30 s"));

    RetryRequest retry;
    retry.users = std::vector<UserKey>{user};
    retry.reason = QStringLiteral("first retry");
    retry.by = tester();
    REQUIRE_OK(store->retryUsers(retry, {}));
    expectGroupCountsMatchOpenRecords(*store, *writer);

    // The worker runs the user again and it fails again: the new record is open.
    writer->setUserStatus(user, UserStatus::InProgress);
    const qint64 second = failureOf(*writer, user, QStringLiteral("timeout after 31 s"));
    writer->setUserStatus(user, UserStatus::Failed);
    QCOMPARE(resolutionOf(*store, first), QStringLiteral("retried"));
    QCOMPARE(resolutionOf(*store, second), QString());
    FailureFilter open;
    QCOMPARE(allFailureIds(*store, open, 10), QList<qint64>{second});
    auto retryable = store->countRetryableUsers(open);
    REQUIRE_OK(retryable);
    QCOMPARE(*retryable, 1);
    expectGroupCountsMatchOpenRecords(*store, *writer);
    auto dossier = store->userDossier(user);
    REQUIRE_OK(dossier);
    QCOMPARE(dossier->failures.size(), 2);
    QCOMPARE(dossier->failures.first().id, second);
    QVERIFY(dossier->failures.first().resolution.isEmpty());
    QCOMPARE(dossier->failures.last().resolution, QStringLiteral("retried"));

    retry.users = open;
    retry.reason = QStringLiteral("second retry, by filter");
    auto report = store->retryUsers(retry, {});
    REQUIRE_OK(report);
    QCOMPARE(report->moved, 1);
    QCOMPARE(resolutionOf(*store, second), QStringLiteral("retried"));
    QVERIFY(allFailureIds(*store, open, 10).isEmpty());
    expectGroupCountsMatchOpenRecords(*store, *writer);
    QCOMPARE(scalar(*writer, QStringLiteral("SELECT retry_count FROM user_migrations WHERE "
                                            "source_portal = 'de' AND source_user_id = 7")),
             2);
}

void ContractTest::rolloutPreviewCountsWhomAdmissionThenAdmits()
{
    TestDatabase db(m_server);
    auto store = db.installedStore();
    auto writer = db.openWriter();
    seedCatalogue(*writer); // merge flag on lt at 5 %
    addUsers(*writer, QStringLiteral("lt"), 1, 3000, UserStatus::Nil);
    // Some users of lt are past nil already, two of them in progress and three finished lately.
    addUsers(*writer, QStringLiteral("lt"), 5001, 2, UserStatus::InProgress);
    addUsers(*writer, QStringLiteral("lt"), 5003, 2, UserStatus::Completed);
    addUsers(*writer, QStringLiteral("lt"), 5005, 1, UserStatus::Failed);
    writer->connection().exec(QStringLiteral("UPDATE user_migrations SET finished_at = "
                                             "CURRENT_TIMESTAMP(3) WHERE source_user_id > 5002"));

    qint64 expected = 0;
    for (qint64 id = 1; id <= 3000; ++id) {
        const int bucket = rolloutBucket(kAdmissionFlag, id);
        expected += bucket >= 500 && bucket < 3000;
    }
    auto preview = store->previewRollout(kAdmissionFlag, QStringLiteral("lt"), 3000);
    REQUIRE_OK(preview);
    QCOMPARE(preview->currentBasisPoints, 500);
    QCOMPARE(preview->newlyAdmitted, expected);
    QCOMPARE(preview->inProgressNow, 2);
    QCOMPARE(preview->admittedNow, 5);
    QCOMPARE(preview->finishedLastHour, 3);
    QCOMPARE(preview->failedLastHour, 1);
    QVERIFY(!preview->lowers());

    // What the workers then admit, by the same code merge-sim runs.
    REQUIRE_OK(store->setRollout({kAdmissionFlag, QStringLiteral("lt"), 3000, preview->version,
                                  QStringLiteral("ramp up"), tester()}));
    fleet::Admission admission(writer->connection());
    qint64 admitted = 0;
    for (;;) {
        const qint64 batch = admission.admit(QStringLiteral("lt"), 3000, 500).size();
        if (batch == 0)
            break;
        admitted += batch;
    }
    // The users admitted at 5 % before the change were still nil: the workers admit them too.
    qint64 belowOld = 0;
    for (qint64 id = 1; id <= 3000; ++id)
        belowOld += rolloutBucket(kAdmissionFlag, id) < 500;
    QCOMPARE(admitted, expected + belowOld);

    // Lowering admits no one new; the users admitted above the new percentage stay admitted.
    auto lower = store->previewRollout(kAdmissionFlag, QStringLiteral("lt"), 1000);
    REQUIRE_OK(lower);
    QVERIFY(lower->lowers());
    QCOMPARE(lower->newlyAdmitted, 0);
    qint64 above = 0;
    for (qint64 id = 1; id <= 3000; ++id) {
        const int bucket = rolloutBucket(kAdmissionFlag, id);
        above += bucket >= 1000 && bucket < 3000;
    }
    for (qint64 id = 5001; id <= 5005; ++id) {
        const int bucket = rolloutBucket(kAdmissionFlag, id);
        above += bucket >= 1000 && bucket < 3000;
    }
    QCOMPARE(lower->staysAdmittedAboveNew, above);

    auto other = store->previewRollout(QStringLiteral("dark_mode"), QStringLiteral("lt"), 100);
    QVERIFY(!other.ok());
    QCOMPARE(other.error().kind, StoreError::Kind::InvalidInput);
    auto unknown = store->previewRollout(kAdmissionFlag, QStringLiteral("xx"), 100);
    QVERIFY(!unknown.ok());
    QCOMPARE(unknown.error().kind, StoreError::Kind::NotFound);
}

void ContractTest::userIsFoundByTargetId()
{
    TestDatabase db(m_server);
    auto store = db.installedStore();
    auto writer = db.openWriter();
    seedCatalogue(*writer);
    NewUser user;
    user.user = {QStringLiteral("de"), 42};
    user.status = UserStatus::Completed;
    user.targetUserId = 9'000'000'042;
    writer->addUsers({user});
    auto found = store->findUserByTarget(9'000'000'042);
    REQUIRE_OK(found);
    QVERIFY(found->has_value());
    QCOMPARE(**found, user.user);
    auto missing = store->findUserByTarget(1);
    REQUIRE_OK(missing);
    QVERIFY(!missing->has_value());
}
