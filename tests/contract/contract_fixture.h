#pragma once

// A fresh merge database per test on a real server, and the catalogue most tests start from.

#include "connection_url.h"
#include "fleet_writer.h"
#include "merge_store.h"

#include <QSet>

#include <memory>

// A Result that must be ok, or the test fails with the store's message.
#define REQUIRE_OK(result)                                                                      \
    QVERIFY2((result).ok(), qPrintable((result).ok() ? QString() : (result).error().message))

// REQUIRE_OK evaluates its argument more than once: a call that changes something goes here, so
// that it runs once.
#define REQUIRE_ONCE(call)                                                                      \
    do {                                                                                        \
        const auto result_ = (call);                                                            \
        REQUIRE_OK(result_);                                                                    \
    } while (false)

namespace mc::test {

constexpr EpochMs kT0 = 1'764'000'000'000; // 2025-11-24 16:00:00 UTC, a multiple of 10 s

// The server under test: MC_TEST_BACKEND (postgresql | mariadb) and its URL from MC_TEST_PG_URL /
// MC_TEST_MARIADB_URL, defaulting to what scripts/db starts. No server means failure, not a skip.
struct TestServer
{
    QString backend;
    ConnectionUrl admin; // the server's default database, for CREATE/DROP DATABASE

    static TestServer fromEnvironment();
};

// Creates an empty database named merge_test_<pid>_<n>; drops it when destroyed.
class TestDatabase
{
public:
    explicit TestDatabase(const TestServer &server);
    ~TestDatabase();

    QString url() const;
    const ConnectionUrl &connectionUrl() const { return m_url; }

    std::unique_ptr<MergeStore> openStore() const;         // fails the test when it cannot
    std::unique_ptr<FleetWriter> openWriter() const;
    std::unique_ptr<MergeStore> installedStore() const;    // with the current schema installed

    // This database as the test login of a role ("qa", "support", "lead", "worker"): login
    // mc_test_<role>, password mc_test_<role>, made on the server on first use (the installed
    // schema created the roles; scripts/db makes the same logins).
    ConnectionUrl connectionUrlAs(const QString &role) const;
    std::unique_ptr<MergeStore> openStoreAs(const QString &role) const;
    std::unique_ptr<FleetWriter> openWriterAs(const QString &role) const;

private:
    TestServer m_server;
    ConnectionUrl m_url;
    QString m_name;
};

// Lets this connection (the schema's owner) write audit entries with their own time and database
// user, and back-date them: history a test seeds (004_roles.sql, "import history").
void importAuditHistory(sql::Connection &c);

// Portals lt, de (sources) and target; models users(1), items(2), followers(3);
// queues serialize, create_high, create_low; flag "merge" at 5 % on lt and 0 % on de.
void seedCatalogue(FleetWriter &writer);

Operator tester();

// `count` users of one portal from firstId on, cycling through the five statuses.
std::vector<NewUser> usersWithStatuses(const QString &portal, int count, qint64 firstId);

// Failed users `portal`:first … first + count - 1, each with one failed record of model items
// (Merge::Timeout, a small JSON payload). Returns the records' ids.
std::vector<qint64> addFailedUsersWithRecords(FleetWriter &writer, const QString &portal,
                                              qint64 first, qint64 count);

// One scalar from plain SQL, to check the database without the code under test.
qint64 scalar(FleetWriter &writer, const QString &sql, const QVariantList &params = {});
// Runs one statement; returns the server's refusal, or empty when it was accepted.
QString refusal(FleetWriter &writer, const QString &sql);
QString statusOf(FleetWriter &writer, const UserKey &user); // empty when there is no such user
// `count` users of one portal with one status, ids first … first + count - 1.
void addUsers(FleetWriter &writer, const QString &portal, qint64 first, qint64 count,
              UserStatus status);
// Every line of ../shared/corpora/naughty-strings/blns.txt but comments, blank lines and lines
// with a NUL (no SQL text column holds one), each exactly as written.
QStringList naughtyStrings();

// Every user named in retry_users audit entries ("portal:id"), following the pages; `entries`
// gets how many entries there are and `reasons`, when given, their reasons.
QSet<QString> usersInRetryAudit(MergeStore &store, int *entries, QSet<QString> *reasons = nullptr);

// Drops every other connection to the test database from the server side, as a restart does.
// Returns how many it dropped.
int killOtherConnections(FleetWriter &writer, const QString &backend);

// Every counter (its stripes summed) equals COUNT(*)/SUM over its source table, by plain SQL
// and the documented definition of an open record (fails the test otherwise).
void verifyCountersEqualCounts(sql::Connection &c);

// The ids of failed records (newest first) whose error class, message or record id contain text,
// by plain SQL written without the store's code: POSITION when matching case; otherwise LIKE with
// escaped wildcards over LOWER() in the C collation on PostgreSQL and, because MariaDB's LOWER()
// folds all of Unicode, over the ASCII letters replaced one by one on MariaDB. `where` narrows
// further (e.g. "resolution IS NULL").
QList<qint64> idsWithText(FleetWriter &writer, const QString &backend, const QString &text,
                          bool matchCase, const QString &where = QStringLiteral("1 = 1"));

// Every failure id the filter selects, following the keyset cursor page by page.
QList<qint64> allFailureIds(MergeStore &store, const FailureFilter &filter, int pageSize);

} // namespace mc::test
