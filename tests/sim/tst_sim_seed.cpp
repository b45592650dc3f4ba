// The seeder: the same options give the same rows, counters agree with COUNT(*), and the
// failed records look like what real workers leave behind.

#include "tst_sim.h"

#include "fleet/failure_factory.h"
#include "fleet/seeder.h"
#include "sim_helpers.h"

#include <QJsonDocument>
#include <QRegularExpression>
#include <QTest>

using namespace mc;
using namespace mc::test;

namespace {

// Every table a seed writes, as digests of its rows in key order (generated columns included).
QStringList seededDigests(sql::Connection &c)
{
    return {
        QString::fromLatin1(digestOf(c, QStringLiteral(
            "SELECT code, name, role FROM portals ORDER BY code"))),
        QString::fromLatin1(digestOf(c, QStringLiteral(
            "SELECT id, name, migration_order, consent, skip_portals, throughput_class FROM "
            "models ORDER BY id"))),
        QString::fromLatin1(digestOf(c, QStringLiteral(
            "SELECT flag, portal, percentage FROM rollout_flags ORDER BY flag, portal"))),
        QString::fromLatin1(digestOf(c, QStringLiteral(
            "SELECT source_portal, source_user_id, target_user_id, status, phase, attempts, "
            "{ms:requested_at}, {ms:started_at}, {ms:finished_at}, {ms:updated_at}, last_error, "
            "rollout_bucket FROM user_migrations ORDER BY source_portal, source_user_id"))),
        QString::fromLatin1(digestOf(c, QStringLiteral(
            "SELECT source_portal, source_user_id, model_id, records_total, serialized, created, "
            "failed FROM model_progress ORDER BY source_portal, source_user_id, model_id"))),
        QString::fromLatin1(digestOf(c, QStringLiteral(
            "SELECT id, source_portal, source_user_id, model_id, record_id, phase, payload, "
            "content_type, payload_size, error_class, message, backtrace, attempt, "
            "{ms:failed_at}, fingerprint, resolution, resolved_by, {ms:resolved_at} FROM "
            "failed_records ORDER BY id"))),
        QString::fromLatin1(digestOf(c, QStringLiteral(
            "SELECT model_id, source_portal, source_id, target_id, source_user_id, "
            "{ms:created_at} FROM id_mappings ORDER BY model_id, source_portal, source_id"))),
        QString::fromLatin1(digestOf(c, QStringLiteral(
            "SELECT queue_name, source_portal, source_user_id, model_id, state, attempts, "
            "{ms:available_at}, {ms:claimed_at}, {ms:lease_expires_at}, claimed_by FROM "
            "queue_jobs ORDER BY source_portal, source_user_id, queue_name"))),
        QString::fromLatin1(digestOf(c, QStringLiteral(
            "SELECT {ms:bucket_start}, model_id, queue_name, records_created, records_failed, "
            "users_started, users_completed, users_failed, queue_depth, jobs_in_progress FROM "
            "throughput_samples ORDER BY 1, 2, 3"))),
    };
}

fleet::SeedOptions smallSeed(quint64 seed)
{
    fleet::SeedOptions options;
    options.users = 2500;
    options.seed = seed;
    options.at = kT0;
    options.usersPerChunk = 300; // several loaders, interleaved
    options.connections = 3;
    options.historyHours = 2; // the full day is checked in seededCountersEqualCount
    return options;
}

} // namespace

void SimTest::seedIsDeterministic()
{
    TestDatabase first(m_server);
    TestDatabase second(m_server);
    TestDatabase other(m_server);
    for (TestDatabase *db : {&first, &second, &other})
        db->installedStore();
    fleet::SeedOptions options = smallSeed(7);
    const fleet::SeedReport a = fleet::Seeder(first.connectionUrl(), options).run();
    options.connections = 1; // however the work is shared, the rows are the same
    options.usersPerChunk = 1000;
    const fleet::SeedReport b = fleet::Seeder(second.connectionUrl(), options).run();
    const fleet::SeedReport c = fleet::Seeder(other.connectionUrl(), smallSeed(8)).run();

    QCOMPARE(a.usersByStatus, b.usersByStatus);
    QCOMPARE(a.failedRecords, b.failedRecords);
    QCOMPARE(a.mappings, b.mappings);
    auto wa = first.openWriter();
    auto wb = second.openWriter();
    auto wc = other.openWriter();
    const QStringList da = seededDigests(wa->connection());
    QCOMPARE(da, seededDigests(wb->connection()));
    const QStringList dc = seededDigests(wc->connection());
    QCOMPARE(dc.mid(0, 3), da.mid(0, 3));    // the same catalogue …
    for (int i = 3; i < 8; ++i)               // … but other users, failures, mappings, jobs
        QVERIFY2(dc[i] != da[i], qPrintable(QString::number(i)));
    QVERIFY(c.usersByStatus != a.usersByStatus || c.failedRecords != a.failedRecords);

    // A second seed into a seeded database is refused and changes nothing.
    QVERIFY_THROWS_EXCEPTION(fleet::SeedRefused,
                             fleet::Seeder(first.connectionUrl(), smallSeed(7)).run());
    QCOMPARE(seededDigests(wa->connection()), da);
}

void SimTest::seededCountersEqualCount()
{
    TestDatabase db(m_server);
    auto store = db.installedStore();
    fleet::SeedOptions options = smallSeed(11);
    options.failedShare = 0.04;
    options.historyHours = 24;
    const fleet::SeedReport report = fleet::Seeder(db.connectionUrl(), options).run();
    auto writer = db.openWriter();
    sql::Connection &c = writer->connection();
    verifyCountersEqualCounts(c);

    QCOMPARE(report.users, 2500);
    QCOMPARE(scalar(c, QStringLiteral("SELECT COUNT(*) FROM user_migrations")), report.users);
    for (const UserStatus status : kAllUserStatuses)
        QCOMPARE(scalar(c, QStringLiteral("SELECT COUNT(*) FROM user_migrations WHERE status = "
                                          "$1"),
                        {statusName(status)}),
                 report.usersByStatus.value(status));
    QCOMPARE(scalar(c, QStringLiteral("SELECT COUNT(*) FROM model_progress")),
             report.progressRows);
    QCOMPARE(scalar(c, QStringLiteral("SELECT COUNT(*) FROM failed_records")),
             report.failedRecords);
    QCOMPARE(scalar(c, QStringLiteral("SELECT COUNT(*) FROM id_mappings")), report.mappings);
    QCOMPARE(scalar(c, QStringLiteral("SELECT COUNT(*) FROM queue_jobs")), report.jobs);
    QCOMPARE(scalar(c, QStringLiteral("SELECT COUNT(*) FROM throughput_samples")),
             report.samples);
    QCOMPARE(report.samples, qint64(8640 * (10 + 3))); // 24 h × (models + queues)

    // The snapshot hangs together: a failed share near the asked one, failed users with a last
    // error and failed records, pending users with a job, the rollout respected.
    const qint64 failed = report.usersByStatus.value(UserStatus::Failed);
    QVERIFY2(failed > 60 && failed < 140, qPrintable(QString::number(failed)));
    QCOMPARE(scalar(c, QStringLiteral("SELECT COUNT(*) FROM user_migrations u WHERE status = "
                                      "'failed' AND (last_error IS NULL OR NOT EXISTS (SELECT 1 "
                                      "FROM failed_records f WHERE f.source_portal = "
                                      "u.source_portal AND f.source_user_id = "
                                      "u.source_user_id))")),
             0);
    QCOMPARE(scalar(c, QStringLiteral("SELECT COUNT(*) FROM user_migrations u WHERE status = "
                                      "'pending' AND NOT EXISTS (SELECT 1 FROM queue_jobs j "
                                      "WHERE j.source_portal = u.source_portal AND "
                                      "j.source_user_id = u.source_user_id)")),
             0);
    QCOMPARE(scalar(c, QStringLiteral("SELECT COUNT(*) FROM user_migrations u JOIN rollout_flags "
                                      "r ON r.flag = 'merge' AND r.portal = u.source_portal "
                                      "WHERE u.status <> 'nil' AND u.rollout_bucket >= "
                                      "r.percentage * 100")),
             0);
    // New failed records get ids past the seeded ones.
    NewFailure next;
    const sql::Rows anyUser = c.query(QStringLiteral(
        "SELECT source_portal, source_user_id FROM user_migrations ORDER BY 1, 2 LIMIT 1"));
    next.user = UserKey{anyUser.text(0, 0), anyUser.int64(0, 1)};
    next.modelId = 1;
    next.errorClass = QStringLiteral("Probe");
    QVERIFY(writer->addFailure(next)
            > scalar(c, QStringLiteral("SELECT MAX(id) FROM failed_records WHERE error_class <> "
                                       "'Probe'")));
}

void SimTest::failurePayloadsAreRealistic()
{
    const fleet::CatalogueModel items = fleet::standardModels().at(2);
    QCOMPARE(items.model.name, QStringLiteral("items"));
    fleet::FleetRandom random(20261124);
    int large = 0, binary = 0, malformed = 0, unicode = 0, transient = 0;
    QSet<QString> classes;
    for (int i = 0; i < 3000; ++i) {
        const UserKey user{QStringLiteral("lt"), 1000 + i};
        const fleet::SimulatedFailure f = fleet::FailureFactory::make(
            random, user, items, QStringLiteral("create"), i % 3 == 0, 0.003);
        classes.insert(f.errorClass);
        transient += f.transient;
        QVERIFY(!f.message.isEmpty() && f.backtrace.count(QLatin1Char('\n')) >= 8);
        QVERIFY(f.recordId.startsWith(QStringLiteral("items:")));
        if (f.payload.size() > 256 * 1024)
            ++large;
        if (f.contentType != QLatin1String("application/json")) {
            ++binary;
            continue;
        }
        QJsonParseError error;
        QJsonDocument::fromJson(f.payload, &error);
        if (error.error != QJsonParseError::NoError)
            ++malformed;
        else if (QString::fromUtf8(f.payload).contains(QRegularExpression(QStringLiteral("[^\\x{0}-\\x{7f}]"))))
            ++unicode;
    }
    QVERIFY2(large >= 1 && large < 30, qPrintable(QString::number(large)));
    QVERIFY2(binary > 10 && binary < 80, qPrintable(QString::number(binary)));
    QVERIFY2(malformed > 20 && malformed < 130, qPrintable(QString::number(malformed)));
    QVERIFY(unicode > 2000);
    QCOMPARE(transient, 1000);
    QVERIFY(classes.size() >= 8);
}
