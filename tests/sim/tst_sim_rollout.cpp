// Rollout: stable buckets, the stored bucket column, and admission through the 'merge' flag.

#include "tst_sim.h"

#include "fleet/admission.h"
#include "rollout.h"
#include "sim_helpers.h"

#include <QCryptographicHash>
#include <QTest>

using namespace mc;
using namespace mc::test;

namespace {

// The documented formula, computed here independently of rolloutBucket().
int expectedBucket(const QString &flag, qint64 userId)
{
    const QByteArray digest = QCryptographicHash::hash(
        (flag + QLatin1Char(':') + QString::number(userId)).toUtf8(), QCryptographicHash::Md5);
    const quint32 head = (quint32(quint8(digest[0])) << 24) | (quint32(quint8(digest[1])) << 16)
                         | (quint32(quint8(digest[2])) << 8) | quint32(quint8(digest[3]));
    return int(head % 10'000);
}

} // namespace

void SimTest::bucketIsStableAndSpread()
{
    QCOMPARE(rolloutBucket(QStringLiteral("merge"), 1), 2688); // md5("merge:1") = 09ccbd10…
    QCOMPARE(rolloutBucket(QStringLiteral("merge"), -5), 9346);
    int deciles[10] = {};
    int differentFlag = 0;
    for (qint64 id = 1; id <= 20'000; ++id) {
        const int bucket = rolloutBucket(kAdmissionFlag, id);
        QVERIFY(bucket >= 0 && bucket < kRolloutBuckets);
        QCOMPARE(bucket, expectedBucket(kAdmissionFlag, id));
        ++deciles[bucket / 1000];
        if (rolloutBucket(QStringLiteral("dark_mode"), id) != bucket)
            ++differentFlag;
    }
    for (const int users : deciles)
        QVERIFY2(users > 1700 && users < 2300, qPrintable(QString::number(users)));
    QVERIFY(differentFlag > 19'000); // another flag admits other users
    QVERIFY(!isAdmitted(0, 0));
    QVERIFY(isAdmitted(9999, 10'000));
    QVERIFY(isAdmitted(499, 500) && !isAdmitted(500, 500));
}

void SimTest::storedBucketMatchesRolloutBucket()
{
    TestDatabase db(m_server);
    auto store = db.installedStore();
    auto writer = db.openWriter();
    seedCatalogue(*writer);
    QList<qint64> ids{0, 1, -1, -5, 42, 9'007'199'254'740'993LL,
                      std::numeric_limits<qint64>::max(), std::numeric_limits<qint64>::min()};
    for (qint64 id = 1000; id < 3000; id += 7)
        ids << id * 7919;
    std::vector<NewUser> users;
    for (const qint64 id : ids) {
        NewUser user;
        user.user = UserKey{QStringLiteral("lt"), id};
        users.push_back(user);
    }
    writer->addUsers(users);

    const sql::Rows rows = writer->connection().query(QStringLiteral(
        "SELECT source_user_id, rollout_bucket FROM user_migrations ORDER BY source_user_id"));
    QCOMPARE(rows.size(), int(ids.size()));
    for (int r = 0; r < rows.size(); ++r)
        QCOMPARE(rows.int32(r, 1), expectedBucket(QStringLiteral("merge"), rows.int64(r, 0)));
}

void SimTest::raisingRolloutNeverDropsAnAdmittedUser()
{
    TestDatabase db(m_server);
    auto store = db.installedStore();
    auto writer = db.openWriter();
    seedCatalogue(*writer);
    sql::Connection &c = writer->connection();
    addUsersWithJobs(*writer, QStringLiteral("lt"), 1, 3000, UserStatus::Nil);
    addUsersWithJobs(*writer, QStringLiteral("de"), 1, 500, UserStatus::Nil);
    fleet::Admission admission(c);

    QVERIFY(admission.admit(QStringLiteral("lt"), 0, 10'000).isEmpty()); // 0 % admits nobody
    QCOMPARE(usersIn(c, QStringLiteral("lt"), UserStatus::Nil).size(), 3000);

    QSet<qint64> admitted;
    int previous = 0;
    for (const int points : {150, 500, 1000, 2500, 10'000}) {
        QSet<qint64> expectedNew;
        for (const qint64 id : usersIn(c, QStringLiteral("lt"), UserStatus::Nil))
            if (expectedBucket(QStringLiteral("merge"), id) >= previous
                && expectedBucket(QStringLiteral("merge"), id) < points)
                expectedNew.insert(id);
        QCOMPARE(admission.countNewlyAdmitted(QStringLiteral("lt"), previous, points),
                 qint64(expectedNew.size()));

        QSet<qint64> moved;
        for (;;) { // in batches, as the fleet does
            const QList<UserKey> batch = admission.admit(QStringLiteral("lt"), points, 400);
            if (batch.isEmpty())
                break;
            for (const UserKey &user : batch)
                moved.insert(user.userId);
        }
        QCOMPARE(moved, expectedNew);
        admitted += moved;
        // Everyone admitted so far is still admitted: pending with one serialize job.
        QCOMPARE(usersIn(c, QStringLiteral("lt"), UserStatus::Pending), admitted);
        QCOMPARE(scalar(c, QStringLiteral("SELECT COUNT(*) FROM queue_jobs WHERE queue_name = "
                                          "'serialize' AND source_portal = 'lt'")),
                 qint64(admitted.size()));
        QCOMPARE(admission.countNewlyAdmitted(QStringLiteral("lt"), 0, points), 0);
        previous = points;
    }
    // 100 % admitted every nil user of lt; de (its own flag) is untouched.
    QVERIFY(usersIn(c, QStringLiteral("lt"), UserStatus::Nil).isEmpty());
    QCOMPARE(admitted.size(), 3000);
    QCOMPARE(usersIn(c, QStringLiteral("de"), UserStatus::Nil).size(), 500);
    verifyCountersEqualCounts(c);
}

void SimTest::countNewlyAdmittedReadsTheRolloutIndex()
{
    TestDatabase db(m_server);
    auto store = db.installedStore();
    auto writer = db.openWriter();
    seedCatalogue(*writer);
    sql::Connection &c = writer->connection();
    for (const UserStatus status : {UserStatus::Nil, UserStatus::Completed})
        for (const QString &portal : {QStringLiteral("lt"), QStringLiteral("de")})
            addUsersWithJobs(*writer, portal, status == UserStatus::Nil ? 1 : 100'000, 6000,
                             status);
    const bool postgres = m_server.backend == QLatin1String("postgresql");
    c.execScript(postgres ? QStringLiteral("VACUUM ANALYZE user_migrations")
                          : QStringLiteral("ANALYZE TABLE user_migrations"));

    const QString count = QStringLiteral(
        "SELECT COUNT(*) FROM user_migrations WHERE source_portal = 'lt' AND status = 'nil' AND "
        "rollout_bucket >= 500 AND rollout_bucket < 1000");
    const sql::Rows plan = c.query(QStringLiteral("EXPLAIN ") + count);
    QStringList lines;
    for (int r = 0; r < plan.size(); ++r)
        for (int col = 0; col < plan.columns(); ++col)
            lines << plan.text(r, col);
    const QString text = lines.join(QLatin1Char(' '));
    QVERIFY2(text.contains(QStringLiteral("user_migrations_rollout")), qPrintable(text));
    // Covering: PostgreSQL scans the index only, MariaDB reads no table rows.
    QVERIFY2(postgres ? text.contains(QStringLiteral("Index Only Scan"))
                      : text.contains(QStringLiteral("Using index")),
             qPrintable(text));

    fleet::Admission admission(c);
    qint64 expected = 0;
    for (qint64 id = 1; id <= 6000; ++id) {
        const int bucket = expectedBucket(QStringLiteral("merge"), id);
        expected += bucket >= 500 && bucket < 1000;
    }
    QCOMPARE(admission.countNewlyAdmitted(QStringLiteral("lt"), 500, 1000), expected);
    QCOMPARE(scalar(c, count), expected);
    QCOMPARE(admission.countNewlyAdmitted(QStringLiteral("lt"), 1000, 500), 0);
}
