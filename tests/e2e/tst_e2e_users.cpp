// Users on a live fleet: retried failed users complete once failures are off; the rollout
// percentage admits no one at 0 % and every nil user of the portal at 100 %.

#include "tst_e2e.h"

#include "sql/sql_connection.h"

#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QMap>
#include <QSet>
#include <QTest>

using namespace mc;
using namespace mc::test;
using namespace mc::test::e2e;

namespace {

constexpr int kCompleteDeadlineMs = 30'000;
constexpr int kTakesEffectMs = 2000; // the spec: a setting change takes effect within 2 s

QList<qint64> idsOf(LiveMigration &live, const QString &sql, const QVariantList &params)
{
    const sql::Rows rows = live.sql().query(sql, params);
    QList<qint64> ids;
    for (int r = 0; r < rows.size(); ++r)
        ids << rows.int64(r, 0);
    return ids;
}

QList<qint64> failedUsers(LiveMigration &live, const QString &portal)
{
    return idsOf(live,
                 QStringLiteral("SELECT source_user_id FROM user_migrations WHERE source_portal = "
                                "$1 AND status = 'failed' ORDER BY source_user_id"),
                 {portal});
}

// `migctl user show` of one user; the migration object, or nullopt and *why.
std::optional<QJsonObject> migrationOf(LiveMigration &live, const QString &user, QString *why)
{
    const std::optional<QJsonObject> dossier =
        migctlJson(live, {QStringLiteral("user"), QStringLiteral("show"), user}, why);
    if (!dossier)
        return std::nullopt;
    return dossier->value(QStringLiteral("migration")).toObject();
}

QSet<QString> movedUsers(const QJsonObject &report)
{
    QSet<QString> moved;
    for (const QJsonValue &outcome : report.value(QStringLiteral("outcomes")).toArray())
        if (outcome.toObject().value(QStringLiteral("outcome")).toString()
            == QLatin1String("moved"))
            moved.insert(outcome.toObject().value(QStringLiteral("user")).toString());
    return moved;
}

} // namespace

void EndToEndTest::retriedUsersCompleteWithFailureInjectionOff()
{
    E2E_START(fleetOptions(10, 0.0));
    LiveMigration &live = *m_live;

    // The seed's failed users: de ones are retried by filter, lt ones from a file, fr ones not.
    const QList<qint64> failedDe = failedUsers(live, QStringLiteral("de"));
    const QList<qint64> failedLt = failedUsers(live, QStringLiteral("lt"));
    const QList<qint64> failedFr = failedUsers(live, QStringLiteral("fr"));
    QVERIFY2(failedDe.size() >= 5 && failedLt.size() >= 5 && !failedFr.isEmpty(),
             qPrintable(QStringLiteral("failed users: de %1, lt %2, fr %3")
                            .arg(failedDe.size())
                            .arg(failedLt.size())
                            .arg(failedFr.size())));
    QMap<QString, qint64> attemptsBefore;
    const sql::Rows attempts = live.sql().query(QStringLiteral(
        "SELECT source_portal, source_user_id, attempts FROM user_migrations WHERE status = "
        "'failed'"));
    for (int r = 0; r < attempts.size(); ++r)
        attemptsBefore.insert(userKey(attempts.text(r, 0), attempts.int64(r, 1)),
                              attempts.int64(r, 2));

    // By filter: every failed user of portal de moves to pending.
    QString why;
    const ToolRun byFilter = live.migctl(
        {QStringLiteral("retry"), QStringLiteral("--portal"), QStringLiteral("de"),
         QStringLiteral("--reason"), QStringLiteral("e2e: retry de with failures off"),
         QStringLiteral("--yes"), QStringLiteral("--json")});
    E2E_EXPECT_EXIT(byFilter, 0);
    E2E_JSON(filtered, byFilter);
    QCOMPARE(filtered.value(QStringLiteral("moved")).toInteger(), qint64(failedDe.size()));
    QCOMPARE(filtered.value(QStringLiteral("not_failed")).toInteger(), 0);
    QCOMPARE(filtered.value(QStringLiteral("not_found")).toInteger(), 0);
    QSet<QString> expectedDe;
    for (qint64 id : failedDe)
        expectedDe.insert(userKey(QStringLiteral("de"), id));
    QCOMPARE(movedUsers(filtered), expectedDe);

    // From a file: the failed users of lt, and one completed user, which is left alone.
    const qint64 completedLt = live.scalar(QStringLiteral(
        "SELECT MIN(source_user_id) FROM user_migrations WHERE source_portal = 'lt' AND status = "
        "'completed'"));
    QVERIFY(completedLt > 0);
    QByteArray list = "# e2e: failed users of lt, and one that is not failed\n";
    QSet<QString> expectedLt;
    for (qint64 id : failedLt) {
        expectedLt.insert(userKey(QStringLiteral("lt"), id));
        list += userKey(QStringLiteral("lt"), id).toUtf8() + '\n';
    }
    list += userKey(QStringLiteral("lt"), completedLt).toUtf8() + "\n\n";
    const QString listPath = live.scratch().filePath(QStringLiteral("retry-lt.txt"));
    QFile file(listPath);
    QVERIFY(file.open(QIODevice::WriteOnly) && file.write(list) == list.size());
    file.close();
    const ToolRun fromFile = live.migctl(
        {QStringLiteral("retry"), QStringLiteral("--users-from"), listPath,
         QStringLiteral("--reason"), QStringLiteral("e2e: retry lt from a list"),
         QStringLiteral("--yes"), QStringLiteral("--json")});
    E2E_EXPECT_EXIT(fromFile, 0);
    E2E_JSON(listed, fromFile);
    QCOMPARE(listed.value(QStringLiteral("moved")).toInteger(), qint64(failedLt.size()));
    QCOMPARE(listed.value(QStringLiteral("not_failed")).toInteger(), 1);
    QCOMPARE(movedUsers(listed), expectedLt);

    // Every retried user completes: checked user by user with `migctl user show`.
    QSet<QString> waiting = expectedDe + expectedLt;
    QStringList wrong;
    QMap<QString, QString> lastStatus;
    const bool allCompleted = pollUntil(
        [&] {
            const QSet<QString> users = waiting;
            for (const QString &user : users) {
                const std::optional<QJsonObject> migration = migrationOf(live, user, &why);
                if (!migration) {
                    lastStatus.insert(user, why);
                    continue;
                }
                const QString status = migration->value(QStringLiteral("status")).toString();
                lastStatus.insert(user, status);
                if (status == QLatin1String("failed"))
                    wrong << QStringLiteral("%1 failed again: %2")
                                 .arg(user, migration->value(QStringLiteral("last_error"))
                                                .toString());
                if (status != QLatin1String("completed"))
                    continue;
                waiting.remove(user);
                if (migration->value(QStringLiteral("finished_at")).isNull()
                    || migration->value(QStringLiteral("target_user_id")).isNull()
                    || migration->value(QStringLiteral("attempts")).toInteger()
                           <= attemptsBefore.value(user))
                    wrong << QStringLiteral("%1 completed without finished_at, target id or a "
                                            "new attempt: %2")
                                 .arg(user, QString::fromUtf8(QJsonDocument(*migration).toJson(
                                                QJsonDocument::Compact)));
            }
            return waiting.isEmpty() || !wrong.isEmpty();
        },
        kCompleteDeadlineMs, 300);
    QVERIFY2(wrong.isEmpty(), qPrintable(wrong.join(QLatin1Char('\n'))));
    if (!allCompleted) {
        QStringList left;
        for (const QString &user : std::as_const(waiting))
            left << QStringLiteral("%1 (%2)").arg(user, lastStatus.value(user));
        QFAIL(qPrintable(QStringLiteral("%1 of %2 retried users not completed within %3 s: %4")
                             .arg(waiting.size())
                             .arg(expectedDe.size() + expectedLt.size())
                             .arg(kCompleteDeadlineMs / 1000)
                             .arg(left.join(QStringLiteral(", ")))));
    }

    // Nobody else moved: fr's failed users are still failed, the listed completed user too.
    QCOMPARE(failedUsers(live, QStringLiteral("fr")), failedFr);
    QCOMPARE(live.scalar(QStringLiteral("SELECT COUNT(*) FROM user_migrations WHERE status = "
                                        "'failed'")),
             qint64(failedFr.size()));
    const std::optional<QJsonObject> untouched =
        migrationOf(live, userKey(QStringLiteral("lt"), completedLt), &why);
    QVERIFY2(untouched, qPrintable(why));
    QCOMPARE(untouched->value(QStringLiteral("status")).toString(), QStringLiteral("completed"));
}

void EndToEndTest::rolloutZeroAdmitsNoOneAndHundredAdmitsEveryone()
{
    E2E_START(fleetOptions(60, 0.02));
    LiveMigration &live = *m_live;
    const QString portal = QStringLiteral("lt");
    const auto maxId = [&] {
        return live.scalar(QStringLiteral("SELECT MAX(source_user_id) FROM user_migrations WHERE "
                                          "source_portal = $1"),
                           {portal});
    };

    QString why;
    const std::optional<QJsonObject> flags =
        migctlJson(live, {QStringLiteral("rollout"), QStringLiteral("list")}, &why);
    QVERIFY2(flags, qPrintable(why));
    QJsonObject flag;
    for (const QJsonValue &f : flags->value(QStringLiteral("rollout")).toArray())
        if (f.toObject().value(QStringLiteral("flag")).toString() == QLatin1String("merge")
            && f.toObject().value(QStringLiteral("portal")).toString() == portal)
            flag = f.toObject();
    const int basisPoints = flag.value(QStringLiteral("basis_points")).toInt();
    QVERIFY2(basisPoints > 0 && basisPoints < 10'000, qPrintable(QString::number(basisPoints)));

    // 0 %: once the change has taken effect, no nil user of the portal leaves nil, neither the
    // ones already there nor the ones the influx requests, though some of those are below the
    // old percentage and would have been admitted within 250 ms.
    const ToolRun zero = live.migctl({QStringLiteral("rollout"), QStringLiteral("set"),
                                      QStringLiteral("merge"), portal, QStringLiteral("0"),
                                      QStringLiteral("--reason"),
                                      QStringLiteral("e2e: admit nobody from lt"),
                                      QStringLiteral("--yes"), QStringLiteral("--json")});
    QElapsedTimer sinceChange;
    sinceChange.start();
    E2E_EXPECT_EXIT(zero, 0);
    E2E_JSON(atZero, zero);
    QCOMPARE(atZero.value(QStringLiteral("basis_points")).toInt(), 0);
    QTest::qWait(int(std::max<qint64>(0, kTakesEffectMs - sinceChange.elapsed())));

    const qint64 lastId = maxId();
    const QString nilUpTo = QStringLiteral("SELECT COUNT(*) FROM user_migrations WHERE "
                                           "source_portal = $1 AND status = 'nil' AND "
                                           "source_user_id <= $2");
    const qint64 nilBefore = live.scalar(nilUpTo, {portal, lastId});
    QElapsedTimer watch;
    watch.start();
    qint64 newest = lastId;
    const bool influxArrived = pollUntil(
        [&] {
            newest = maxId();
            return newest >= lastId + 40 && watch.elapsed() >= 2000;
        },
        15'000, 250);
    QVERIFY2(influxArrived, qPrintable(QStringLiteral("influx: %1 → %2").arg(lastId).arg(newest)));
    QCOMPARE(live.scalar(nilUpTo, {portal, lastId}), nilBefore);
    QCOMPARE(live.scalar(QStringLiteral("SELECT COUNT(*) FROM user_migrations WHERE "
                                        "source_portal = $1 AND source_user_id > $2 AND "
                                        "status <> 'nil'"),
                         {portal, lastId}),
             0);
    const QList<qint64> wouldHaveBeenAdmitted =
        idsOf(live,
              QStringLiteral("SELECT source_user_id FROM user_migrations WHERE source_portal = $1 "
                             "AND source_user_id > $2 AND status = 'nil' AND rollout_bucket < $3 "
                             "ORDER BY source_user_id"),
              {portal, lastId, basisPoints});
    QVERIFY2(!wouldHaveBeenAdmitted.isEmpty(),
             "no new user below the old percentage: the check proves nothing");
    for (qint64 id : wouldHaveBeenAdmitted.mid(0, 3)) {
        const std::optional<QJsonObject> migration = migrationOf(live, userKey(portal, id), &why);
        QVERIFY2(migration, qPrintable(why));
        QCOMPARE(migration->value(QStringLiteral("status")).toString(), QStringLiteral("nil"));
    }

    // 100 %: every nil user of the portal there now leaves nil, the ones the old percentage
    // never admitted included.
    const ToolRun hundred = live.migctl({QStringLiteral("rollout"), QStringLiteral("set"),
                                         QStringLiteral("merge"), portal, QStringLiteral("100"),
                                         QStringLiteral("--reason"),
                                         QStringLiteral("e2e: admit everyone from lt"),
                                         QStringLiteral("--yes"), QStringLiteral("--json")});
    E2E_EXPECT_EXIT(hundred, 0);
    E2E_JSON(atHundred, hundred);
    QCOMPARE(atHundred.value(QStringLiteral("basis_points")).toInt(), 10'000);
    const qint64 lastIdAtHundred = maxId();
    const QList<qint64> highBuckets = idsOf(
        live,
        QStringLiteral("SELECT source_user_id FROM user_migrations WHERE source_portal = $1 AND "
                       "status = 'nil' AND rollout_bucket >= $2 AND source_user_id <= $3 ORDER BY "
                       "rollout_bucket DESC, source_user_id LIMIT 5"),
        {portal, basisPoints, lastIdAtHundred});
    QVERIFY2(!highBuckets.isEmpty(), "no nil user above the old percentage");
    const qint64 nilAtHundred = live.scalar(nilUpTo, {portal, lastIdAtHundred});
    qint64 nilLeft = nilAtHundred;
    const bool everyoneAdmitted = pollUntil(
        [&] {
            nilLeft = live.scalar(nilUpTo, {portal, lastIdAtHundred});
            return nilLeft == 0;
        },
        20'000, 250);
    QVERIFY2(everyoneAdmitted, qPrintable(QStringLiteral("%1 of %2 nil users of %3 still nil")
                                              .arg(nilLeft)
                                              .arg(nilAtHundred)
                                              .arg(portal)));
    for (qint64 id : highBuckets) {
        const std::optional<QJsonObject> migration = migrationOf(live, userKey(portal, id), &why);
        QVERIFY2(migration, qPrintable(why));
        QVERIFY2(migration->value(QStringLiteral("status")).toString() != QLatin1String("nil"),
                 qPrintable(userKey(portal, id)));
    }
}
