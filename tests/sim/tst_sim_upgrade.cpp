// Upgrading a seeded database to the text search schema (version 3) builds the index in place,
// reports its progress, finds what plain SQL finds and leaves every counter true.

#include "tst_sim.h"

#include "fleet/seeder.h"
#include "schema_manager.h"
#include "sim_helpers.h"

#include <QTest>

using namespace mc;
using namespace mc::test;

namespace {

// Takes a current database back to what version 2 left: no search index, none of the later
// versions' tables (the environment, guarded plans, alerts), no version rows from 3 on (the roles
// of version 4 and the routines of later versions stay; their scripts replace them).
void removeSearchIndex(sql::Connection &c)
{
    if (c.backend() == sql::Backend::PostgreSQL) {
        c.execScript(QStringLiteral("DROP INDEX failed_records_search; DROP EXTENSION pg_trgm"));
    } else {
        for (const char *trigger : {"failed_records_search_ins", "failed_records_search_upd",
                                    "failed_records_search_del"})
            c.exec(QStringLiteral("DROP TRIGGER %1").arg(QLatin1String(trigger)));
        for (const char *procedure : {"mc_search_grams_add", "mc_search_grams_remove",
                                      "mc_search_grams_add_text", "mc_search_grams_remove_text"})
            c.exec(QStringLiteral("DROP PROCEDURE %1").arg(QLatin1String(procedure)));
        c.exec(QStringLiteral("DROP TABLE failure_search_grams"));
    }
    for (const char *table : {"environment", "plan_samples", "plan_users", "plans",
                              "alert_notices", "alert_firings", "alert_states", "alert_rules"})
        c.exec(QStringLiteral("DROP TABLE IF EXISTS %1%2")
                   .arg(QLatin1String(table),
                        c.backend() == sql::Backend::PostgreSQL ? QStringLiteral(" CASCADE")
                                                                : QString()));
    c.exec(QStringLiteral("DELETE FROM schema_version WHERE version >= 3"));
}

} // namespace

void SimTest::upgradeBuildsTheSearchIndexOnASeededDatabase()
{
    try {
        upgradeSeededDatabase();
    } catch (const std::exception &error) { // a DbError from plain SQL says what went wrong
        QFAIL(error.what());
    }
}

void SimTest::upgradeSeededDatabase()
{
    QVERIFY(SchemaManager::builtInVersion() >= 3);
    TestDatabase db(m_server);
    db.installedStore(); // the seeder fills an installed schema
    fleet::SeedOptions options;
    options.users = 12'000;
    options.failedShare = 0.33;
    options.seed = 16;
    options.at = kT0;
    options.historyHours = 1;
    const fleet::SeedReport seeded = fleet::Seeder(db.connectionUrl(), options).run();
    QVERIFY(seeded.failedRecords > 5'000);
    auto writer = db.openWriter();
    sql::Connection &c = writer->connection();
    removeSearchIndex(c);

    auto store = db.openStore();
    auto before = store->schemaStatus();
    REQUIRE_OK(before);
    QCOMPARE(before->state, SchemaStatus::State::Older);
    QList<SchemaProgress> reported;
    auto upgraded = store->upgradeSchema(tester(), [&](const SchemaProgress &progress) {
        reported << progress;
    });
    REQUIRE_OK(upgraded);
    QCOMPARE(upgraded->state, SchemaStatus::State::Current);
    QVERIFY(!reported.isEmpty());
    QCOMPARE(reported.first().version, 3);
    if (m_server.backend == QLatin1String("mariadb")) { // filled a range of ids at a time
        QList<SchemaProgress> search; // version 3's steps; later versions report their own
        for (const SchemaProgress &progress : std::as_const(reported))
            if (progress.version == 3)
                search << progress;
        QVERIFY(search.size() > 2);
        QCOMPARE(search.last().done, search.last().total);
        QVERIFY(search.last().step.contains(QStringLiteral("indexing")));
    }
    verifyCountersEqualCounts(c);

    // Terms the records really carry, short ones, and one nothing carries; either case and
    // matching case; plus a record written after the upgrade.
    const sql::Rows sample = c.query(QStringLiteral(
        "SELECT record_id, SUBSTRING(message, 7, 9) FROM failed_records ORDER BY id LIMIT 3"));
    QStringList terms{QStringLiteral("readtimeout"), QStringLiteral("USER1"),
                      QStringLiteral("photos.internal"), QStringLiteral("no such text 42"),
                      QStringLiteral("'"), QStringLiteral("ab")};
    for (int r = 0; r < sample.size(); ++r)
        terms << sample.text(r, 0) << sample.text(r, 1);
    const sql::Rows someone = c.query(QStringLiteral(
        "SELECT source_portal, source_user_id FROM user_migrations ORDER BY 1, 2 LIMIT 1"));
    NewFailure late;
    late.user = {someone.text(0, 0), someone.int64(0, 1)};
    late.modelId = 1;
    late.errorClass = QStringLiteral("Merge::Late");
    late.message = QStringLiteral("written after the upgrade: Quokka");
    writer->addFailure(late);
    terms << QStringLiteral("quokka");
    for (const QString &term : std::as_const(terms)) {
        for (const bool matchCase : {false, true}) {
            FailureFilter filter;
            filter.searchText = term;
            filter.matchCase = matchCase;
            filter.includeResolved = true;
            const QList<qint64> expected = idsWithText(*writer, m_server.backend, term, matchCase);
            QCOMPARE(allFailureIds(*store, filter, 1000), expected);
            auto count = store->countFailures(filter);
            REQUIRE_OK(count);
            QCOMPARE(*count, qint64(expected.size()));
        }
    }
    verifyCountersEqualCounts(c);
}
