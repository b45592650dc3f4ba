#include "contract_fixture.h"

#include "sql/sql_connection.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QCoreApplication>
#include <QFile>
#include <QStringDecoder>
#include <QTest>

#include <atomic>
#include <stdexcept>

namespace mc::test {

namespace {

std::atomic_int g_databaseCounter{0};

void runAdmin(const TestServer &server, const QString &statement)
{
    std::unique_ptr<FleetWriter> admin = FleetWriter::open(server.admin);
    admin->connection().execScript(statement);
}

} // namespace

TestServer TestServer::fromEnvironment()
{
    TestServer server;
    server.backend = qEnvironmentVariable("MC_TEST_BACKEND", QStringLiteral("postgresql"));
    QString url;
    if (server.backend == QLatin1String("postgresql"))
        url = qEnvironmentVariable("MC_TEST_PG_URL",
                                   QStringLiteral("postgresql://postgres@127.0.0.1:55432/merge"));
    else if (server.backend == QLatin1String("mariadb"))
        url = qEnvironmentVariable("MC_TEST_MARIADB_URL",
                                   QStringLiteral("mariadb://mc:mc@127.0.0.1:53306/merge"));
    else
        throw std::runtime_error("MC_TEST_BACKEND must be postgresql or mariadb");
    auto parsed = ConnectionUrl::parse(url);
    if (!parsed)
        throw std::runtime_error(parsed.error().message.toStdString());
    server.admin = parsed.value();
    return server;
}

TestDatabase::TestDatabase(const TestServer &server) : m_server(server), m_url(server.admin)
{
    m_name = QStringLiteral("merge_test_%1_%2")
                 .arg(QCoreApplication::applicationPid())
                 .arg(g_databaseCounter.fetch_add(1));
    runAdmin(m_server, QStringLiteral("DROP DATABASE IF EXISTS %1").arg(m_name));
    runAdmin(m_server, QStringLiteral("CREATE DATABASE %1").arg(m_name));
    m_url.settings.database = m_name;
}

TestDatabase::~TestDatabase()
{
    try {
        runAdmin(m_server, m_server.backend == QLatin1String("postgresql")
                               ? QStringLiteral("DROP DATABASE IF EXISTS %1 WITH (FORCE)").arg(m_name)
                               : QStringLiteral("DROP DATABASE IF EXISTS %1").arg(m_name));
    } catch (const std::exception &error) {
        qWarning("could not drop %s: %s", qPrintable(m_name), error.what());
    }
}

QString TestDatabase::url() const
{
    return m_url.toString();
}

std::unique_ptr<MergeStore> TestDatabase::openStore() const
{
    auto store = mc::openStore(url());
    if (!store)
        throw std::runtime_error("cannot open the store: " + store.error().message.toStdString());
    return std::move(store).value();
}

std::unique_ptr<FleetWriter> TestDatabase::openWriter() const
{
    return FleetWriter::open(m_url);
}

ConnectionUrl TestDatabase::connectionUrlAs(const QString &role) const
{
    const QString login = QStringLiteral("mc_test_") + role;
    const QString sql = m_server.backend == QLatin1String("postgresql")
        ? QStringLiteral("DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '%1') "
                         "THEN CREATE ROLE %1 LOGIN PASSWORD '%1'; END IF; "
                         "IF NOT pg_has_role('%1', 'mc_%2', 'MEMBER') THEN GRANT mc_%2 TO %1; "
                         "END IF; END $$")
              .arg(login, role)
        : QStringLiteral("CREATE USER IF NOT EXISTS '%1'@'%' IDENTIFIED BY '%1';\n--@@\n"
                         "ALTER USER '%1'@'%' IDENTIFIED BY '%1';\n--@@\n"
                         "GRANT mc_%2 TO '%1'@'%';\n--@@\n"
                         "SET DEFAULT ROLE mc_%2 FOR '%1'@'%'")
              .arg(login, role);
    // Test programs run at once may race to create the same login: a second try finds it.
    for (int attempt = 1;; ++attempt) {
        try {
            runAdmin(m_server, sql);
            break;
        } catch (const sql::DbError &) {
            if (attempt >= 3)
                throw;
        }
    }
    ConnectionUrl url = m_url;
    url.settings.user = login;
    url.settings.password = login;
    return url;
}

std::unique_ptr<MergeStore> TestDatabase::openStoreAs(const QString &role) const
{
    auto store = mc::openStore(connectionUrlAs(role).toString());
    if (!store)
        throw std::runtime_error("cannot open the store as " + role.toStdString() + ": "
                                 + store.error().message.toStdString());
    return std::move(store).value();
}

std::unique_ptr<FleetWriter> TestDatabase::openWriterAs(const QString &role) const
{
    return FleetWriter::open(connectionUrlAs(role));
}

void importAuditHistory(sql::Connection &c)
{
    c.exec(c.backend() == sql::Backend::PostgreSQL ? QStringLiteral("SET mc.audit_import = 'on'")
                                                   : QStringLiteral("SET @mc_audit_import = 1"));
}

std::vector<qint64> addFailedUsersWithRecords(FleetWriter &writer, const QString &portal,
                                              qint64 first, qint64 count)
{
    addUsers(writer, portal, first, count, UserStatus::Failed);
    std::vector<qint64> ids;
    for (qint64 id = first; id < first + count; ++id) {
        NewFailure failure;
        failure.user = UserKey{portal, id};
        failure.modelId = 2;
        failure.errorClass = QStringLiteral("Merge::Timeout");
        failure.message = QStringLiteral("items: upstream timed out after 30 s (item %1)").arg(id);
        failure.payload = QByteArrayLiteral("{\"id\": 1}");
        ids.push_back(writer.addFailure(failure));
    }
    return ids;
}

std::unique_ptr<MergeStore> TestDatabase::installedStore() const
{
    auto store = openStore();
    auto installed = store->installSchema(tester());
    if (!installed || installed->state != SchemaStatus::State::Current)
        throw std::runtime_error("schema install failed: "
                                 + (installed ? std::string("state is not current")
                                              : installed.error().message.toStdString()));
    return store;
}

void seedCatalogue(FleetWriter &writer)
{
    writer.addPortal({QStringLiteral("lt"), QStringLiteral("Lithuania"), QStringLiteral("source")});
    writer.addPortal({QStringLiteral("de"), QStringLiteral("Germany"), QStringLiteral("source")});
    writer.addPortal({QStringLiteral("target"), QStringLiteral("Target"), QStringLiteral("target")});
    writer.addModel({1, QStringLiteral("users"), 1, QString(), QStringLiteral("the user"), {},
                     QStringLiteral("high")});
    writer.addModel({2, QStringLiteral("items"), 2, QStringLiteral("listing"),
                     QStringLiteral("visible items"), {QStringLiteral("de")},
                     QStringLiteral("high")});
    writer.addModel({3, QStringLiteral("followers"), 3, QString(), QStringLiteral("followers"),
                     {}, QStringLiteral("low")});
    writer.addQueue(QStringLiteral("serialize"), 4, 1000, 3);
    writer.addQueue(QStringLiteral("create_high"), 8, 500, 5);
    writer.addQueue(QStringLiteral("create_low"), 2, 2000, 5);
    writer.addRolloutFlag(QStringLiteral("merge"), QStringLiteral("lt"), 500);
    writer.addRolloutFlag(QStringLiteral("merge"), QStringLiteral("de"), 0);
}

Operator tester()
{
    return Operator{QStringLiteral("contract-tester")};
}

std::vector<NewUser> usersWithStatuses(const QString &portal, int count, qint64 firstId)
{
    std::vector<NewUser> users;
    for (int i = 0; i < count; ++i) {
        NewUser user;
        user.user = UserKey{portal, firstId + i};
        user.status = kAllUserStatuses[i % 5];
        users.push_back(user);
    }
    return users;
}

QList<qint64> idsWithText(FleetWriter &writer, const QString &backend, const QString &text,
                          bool matchCase, const QString &where)
{
    const bool pg = backend == QLatin1String("postgresql");
    QString pattern = QStringLiteral("%");
    for (const QChar c : text) {
        if (c == u'!' || c == u'%' || c == u'_')
            pattern += u'!';
        pattern += c;
    }
    pattern += u'%';
    auto asciiLower = [](QString expression) {
        for (char letter = 'A'; letter <= 'Z'; ++letter)
            expression = QStringLiteral("REPLACE(%1, '%2', '%3')")
                             .arg(expression, QChar(letter), QChar(letter + 32));
        return expression;
    };
    QStringList any;
    for (const char *column : {"error_class", "message", "record_id"}) {
        const QString c = QLatin1String(column);
        if (matchCase)
            any << QStringLiteral("POSITION($1 IN %1) > 0").arg(c);
        else if (pg)
            any << QStringLiteral("LOWER(%1 COLLATE \"C\") LIKE LOWER($1 COLLATE \"C\") "
                                  "ESCAPE '!'")
                       .arg(c);
        else
            any << QStringLiteral("%1 LIKE %2 ESCAPE '!'")
                       .arg(asciiLower(QStringLiteral("CAST(%1 AS BINARY)").arg(c)),
                            asciiLower(QStringLiteral("CAST($1 AS BINARY)")));
    }
    const sql::Rows rows = writer.connection().query(
        QStringLiteral("SELECT id FROM failed_records WHERE (%1) AND (%2) "
                       "ORDER BY failed_at DESC, id DESC")
            .arg(any.join(QStringLiteral(" OR ")), where),
        {matchCase ? text : pattern});
    QList<qint64> ids;
    for (int r = 0; r < rows.size(); ++r)
        ids << rows.int64(r, 0);
    return ids;
}

QList<qint64> allFailureIds(MergeStore &store, const FailureFilter &filter, int pageSize)
{
    QList<qint64> ids;
    std::optional<FailureCursor> cursor;
    for (int guard = 0; guard < 10'000; ++guard) {
        auto page = store.failures(filter, cursor, pageSize);
        if (!page.ok())
            qFatal("failures page failed: %s", qPrintable(page.error().message));
        for (const FailureRow &row : page->rows)
            ids << row.id;
        if (!page->next)
            break;
        cursor = page->next;
    }
    return ids;
}

QString refusal(FleetWriter &writer, const QString &sql)
{
    try {
        writer.connection().exec(sql);
        return {};
    } catch (const sql::DbError &error) {
        return QString::fromUtf8(error.what());
    }
}

qint64 scalar(FleetWriter &writer, const QString &sql, const QVariantList &params)
{
    return writer.connection().query(sql, params).int64(0, 0);
}

QString statusOf(FleetWriter &writer, const UserKey &user)
{
    const sql::Rows rows = writer.connection().query(
        QStringLiteral("SELECT status FROM user_migrations WHERE source_portal = $1 AND "
                       "source_user_id = $2"),
        {user.portal, user.userId});
    return rows.empty() ? QString() : rows.text(0, 0);
}

void addUsers(FleetWriter &writer, const QString &portal, qint64 first, qint64 count,
              UserStatus status)
{
    std::vector<NewUser> users;
    users.reserve(size_t(count));
    for (qint64 id = first; id < first + count; ++id) {
        NewUser user;
        user.user = {portal, id};
        user.status = status;
        users.push_back(user);
    }
    writer.addUsers(users);
}

QStringList naughtyStrings()
{
    QFile file(QStringLiteral(MC_SOURCE_DIR "/../shared/corpora/naughty-strings/blns.txt"));
    if (!file.open(QIODevice::ReadOnly))
        qFatal("cannot read %s", qPrintable(file.fileName()));
    QStringList strings;
    for (const QByteArray &line : file.readAll().split('\n')) {
        if (line.isEmpty() || line.startsWith('#') || line.contains('\0'))
            continue;
        // Keep a leading U+FEFF: one line is nothing else, and fromUtf8() would drop it.
        QStringDecoder decode(QStringDecoder::Utf8, QStringDecoder::Flag::ConvertInitialBom);
        strings << decode(line);
    }
    return strings;
}

QSet<QString> usersInRetryAudit(MergeStore &store, int *entries, QSet<QString> *reasons)
{
    QSet<QString> users;
    *entries = 0;
    AuditQuery query;
    query.action = QStringLiteral("retry_users");
    query.limit = 200;
    for (;;) {
        auto page = store.audit(query);
        if (!page.ok())
            qFatal("audit failed: %s", qPrintable(page.error().message));
        for (const AuditEntry &entry : page->entries) {
            ++*entries;
            if (reasons)
                reasons->insert(entry.reason);
            const QJsonArray list =
                QJsonDocument::fromJson(entry.after.toUtf8()).object().value("users").toArray();
            for (const QJsonValue &value : list)
                users.insert(value.toString());
        }
        if (!page->nextBeforeId)
            break;
        query.beforeId = page->nextBeforeId;
    }
    return users;
}

int killOtherConnections(FleetWriter &writer, const QString &backend)
{
    sql::Connection &c = writer.connection();
    if (backend == QLatin1String("postgresql")) {
        return c.query(QStringLiteral("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                                      "WHERE datname = current_database() AND "
                                      "pid <> pg_backend_pid()"))
            .size();
    }
    const sql::Rows others = c.query(QStringLiteral(
        "SELECT id FROM information_schema.processlist WHERE db = DATABASE() AND "
        "id <> CONNECTION_ID()"));
    for (int r = 0; r < others.size(); ++r)
        c.execScript(QStringLiteral("KILL CONNECTION %1").arg(others.int64(r, 0)));
    return others.size();
}

namespace {

// Rows of two queries, as text, compared as sets of lines.
void compareRows(sql::Connection &c, const QString &counters, const QString &truth)
{
    const auto lines = [&c](const QString &sql) {
        const sql::Rows rows = c.query(sql);
        QStringList out;
        for (int r = 0; r < rows.size(); ++r) {
            QStringList cells;
            for (int col = 0; col < rows.columns(); ++col)
                cells << rows.text(r, col);
            out << cells.join(QLatin1Char('|'));
        }
        out.sort();
        return out;
    };
    const QStringList kept = lines(counters);
    const QStringList counted = lines(truth);
    QCOMPARE(kept, counted);
}

} // namespace

void verifyCountersEqualCounts(sql::Connection &c)
{
    compareRows(c,
                // Counters are striped: a key's rows are summed (docs/SCHEMA.md).
                QStringLiteral("SELECT source_portal, status, SUM(users) FROM user_status_counts "
                               "GROUP BY source_portal, status HAVING SUM(users) <> 0"),
                QStringLiteral("SELECT source_portal, status, COUNT(*) FROM user_migrations "
                               "GROUP BY source_portal, status"));
    compareRows(c,
                QStringLiteral("SELECT model_id, SUM(users), SUM(records_total), "
                               "SUM(serialized), SUM(created), SUM(failed) FROM model_totals "
                               "GROUP BY model_id HAVING SUM(users) <> 0"),
                QStringLiteral("SELECT model_id, COUNT(*), SUM(records_total), SUM(serialized), "
                               "SUM(created), SUM(failed) FROM model_progress GROUP BY model_id"));
    compareRows(c,
                QStringLiteral("SELECT queue_name, SUM(pending), SUM(running) FROM queue_counts "
                               "GROUP BY queue_name HAVING SUM(pending) <> 0 OR SUM(running) <> 0"),
                QStringLiteral("SELECT queue_name, SUM(CASE WHEN state = 'pending' THEN 1 ELSE 0 "
                               "END), SUM(CASE WHEN state = 'running' THEN 1 ELSE 0 END) FROM "
                               "queue_jobs GROUP BY queue_name"));
    compareRows(c,
                QStringLiteral("SELECT fingerprint, model_id, failures, unresolved FROM "
                               "error_groups WHERE failures <> 0 OR unresolved <> 0"),
                // Open: no resolution, and its user not retried since (docs/SCHEMA.md).
                QStringLiteral("SELECT f.fingerprint, f.model_id, COUNT(*), SUM(CASE WHEN "
                               "f.resolution IS NULL AND f.retry_count >= u.retry_count THEN 1 "
                               "ELSE 0 END) FROM failed_records f JOIN user_migrations u ON "
                               "u.source_portal = f.source_portal AND u.source_user_id = "
                               "f.source_user_id GROUP BY f.fingerprint, f.model_id"));
}

} // namespace mc::test
