// SqlMergeStore: the reads of failures, error groups, the dossier and the audit log (the
// overview, queues and throughput charts: store_overview.cpp).

#include "counters.h"
#include "failure_search.h"
#include "sql_merge_store_run.h"
#include "sql_params.h"
#include "sql/row_reader.h"

#include <QHash>
#include <QMap>

namespace mc {

namespace {

QString excerpt(const QString &message)
{
    const qsizetype newline = message.indexOf(QLatin1Char('\n'));
    QString line = newline >= 0 ? message.left(newline) : message;
    if (line.size() > 200)
        line = line.left(199) + QChar(0x2026);
    return line;
}

// A failed record written before its user's latest retry counts as resolved 'retried': the retry
// bumps user_migrations.retry_count instead of rewriting the user's records (docs/SCHEMA.md).
const QString kOwnerRetried = QStringLiteral(
    "EXISTS (SELECT 1 FROM user_migrations ur WHERE ur.source_portal = f.source_portal AND "
    "ur.source_user_id = f.source_user_id AND ur.retry_count > f.retry_count)");

const QString kFailureColumnsBut = QStringLiteral(
    "f.id, {ms:f.failed_at}, f.source_portal, f.source_user_id, f.model_id, "
    "(SELECT m.name FROM models m WHERE m.id = f.model_id), f.record_id, "
    "f.phase, f.error_class, LEFT(f.message, 400), f.attempt, f.payload_size, ");
const QString kFailureColumns = kFailureColumnsBut
    + QStringLiteral("CASE WHEN f.resolution IS NULL AND %1 THEN 'retried' ELSE f.resolution END")
          .arg(kOwnerRetried);
// When the filter keeps open records only, every row's resolution is NULL: reading it as stored
// saves a second look-up of the user per row (a page at row 200 000 on MariaDB reads its user
// rows from disk when the buffer pool is cold).
const QString kOpenFailureColumns = kFailureColumnsBut + QStringLiteral("f.resolution");

// Reads kFailureColumns (or kOpenFailureColumns), in their order; the reader stops after them.
FailureRow failureRow(sql::RowReader &read)
{
    FailureRow row;
    row.id = read.int64();
    row.failedAt = read.int64();
    row.user.portal = read.text();
    row.user.userId = read.int64();
    row.modelId = read.int32();
    row.model = read.text();
    row.recordId = read.text();
    row.phase = read.text();
    row.errorClass = read.text();
    row.messageExcerpt = excerpt(read.text());
    row.attempt = read.int32();
    row.payloadSize = read.int64();
    row.resolution = read.text();
    return row;
}

FailureRow wholeFailureRow(const sql::Rows &rows, int r)
{
    sql::RowReader read(rows, r);
    FailureRow row = failureRow(read);
    read.finish();
    return row;
}

// PostgreSQL plans a search for its own text: a prepared statement's generic plan cannot know
// whether the text is rare (read the trigram index) or common (walk the newest records), and
// when it guesses "many rows" it also compiles the query (JIT), 150 ms for nothing.
template<typename F>
auto plannedForTheText(sql::Connection &c, const FailureFilter &filter, F &&body)
{
    if (c.backend() != sql::Backend::PostgreSQL || filter.searchText.isEmpty())
        return body();
    return sql::inTransaction(c, [&] {
        c.exec(QStringLiteral("SET LOCAL plan_cache_mode = force_custom_plan"));
        return body();
    });
}

} // namespace

void appendFailureFilter(const FailureFilter &filter, sql::Backend backend, Where &where,
                         QVariantList &params)
{
    auto add = [&](const QString &condition) { where.add(condition); };
    if (filter.modelId)
        add(QStringLiteral("f.model_id = ") + bind(params, *filter.modelId));
    if (!filter.errorClass.isEmpty())
        add(QStringLiteral("f.error_class = ") + bind(params, filter.errorClass));
    if (!filter.portal.isEmpty())
        add(QStringLiteral("f.source_portal = ") + bind(params, filter.portal));
    if (!filter.fingerprint.isEmpty())
        add(QStringLiteral("f.fingerprint = ") + bind(params, filter.fingerprint));
    if (filter.since)
        add(QStringLiteral("f.failed_at >= {ts:%1}").arg(bind(params, *filter.since)));
    if (filter.until)
        add(QStringLiteral("f.failed_at < {ts:%1}").arg(bind(params, *filter.until)));
    if (!filter.searchText.isEmpty())
        add(searchCondition(backend, filter, params));
    if (!filter.includeResolved)
        add(openFailureCondition());
}

QString openFailureCondition()
{
    return QStringLiteral("f.resolution IS NULL AND NOT ") + kOwnerRetried;
}

QString ownerRetriedCondition()
{
    return kOwnerRetried;
}

QString failurePageSql(const FailureFilter &filter, sql::Backend backend,
                       const QStringList &searchLeads, const std::optional<FailureCursor> &after,
                       int limit, QVariantList &params)
{
    Where where;
    const QString source = searchSource(searchLeads, where, params);
    appendFailureFilter(filter, backend, where, params);
    // Led by trigram postings (MariaDB), the keyset and the order are those of the postings:
    // the same values as the record's, in an index that has them in order.
    const QString at = searchLeads.isEmpty() ? QStringLiteral("f.failed_at")
                                             : QStringLiteral("g.failed_at");
    const QString id = searchLeads.isEmpty() ? QStringLiteral("f.id") : QStringLiteral("g.failure_id");
    if (after) {
        // Expanded keyset form: MariaDB uses the (…, failed_at, id) index as a range only when
        // written this way; PostgreSQL is as fast either way.
        const QString afterAt = bind(params, after->failedAt);
        const QString afterId = bind(params, after->id);
        where.add(QStringLiteral("%3 <= {ts:%1} AND (%3 < {ts:%1} OR %4 < %2)")
                      .arg(afterAt, afterId, at, id));
    }
    // No join: with one, MariaDB starts from the small models table and sorts every failure
    // instead of reading the keyset index in order (7 s instead of 1 ms at a million rows).
    return QStringLiteral("SELECT %1 FROM %2%3 ORDER BY %4 DESC, %5 DESC LIMIT %6")
        .arg(filter.includeResolved ? kFailureColumns : kOpenFailureColumns, source, where.text(),
             at, id, bind(params, limit));
}

QString failureCountSql(const FailureFilter &filter, sql::Backend backend,
                        const QStringList &searchLeads, QVariantList &params)
{
    Where where;
    const QString source = searchSource(searchLeads, where, params);
    appendFailureFilter(filter, backend, where, params);
    return QStringLiteral("SELECT COUNT(*) FROM %1%2").arg(source, where.text());
}

// The failures of `where` (conditions on alias f), newest first; rowsOfFailures() reads them.
static sql::Statement failureRowsStatement(const QString &where, const QVariantList &params, int limit)
{
    QVariantList all = params;
    const QString sql = QStringLiteral("SELECT %1 FROM failed_records f%2 ORDER BY f.failed_at "
                                       "DESC, f.id DESC LIMIT %3")
                            .arg(kFailureColumns, where, bind(all, limit));
    return {sql, all};
}

static QList<FailureRow> rowsOfFailures(const sql::Rows &rows)
{
    QList<FailureRow> result;
    result.reserve(rows.size());
    for (int r = 0; r < rows.size(); ++r)
        result.append(wholeFailureRow(rows, r));
    return result;
}

Result<FailurePage> SqlMergeStore::failures(const FailureFilter &filter,
                                            const std::optional<FailureCursor> &after,
                                            int pageSize)
{
    if (pageSize <= 0 || pageSize > 10'000)
        return StoreError::make(StoreError::Kind::InvalidInput,
                                QStringLiteral("A page holds 1 to 10 000 rows."));
    return run<FailurePage>(Need::CurrentSchema, [&](sql::Connection &c) {
        QVariantList params;
        const QString sql = failurePageSql(filter, c.backend(), searchLeads(c, filter), after,
                                           pageSize + 1, params);
        const sql::Rows rows = plannedForTheText(c, filter, [&] { return c.query(sql, params); });
        FailurePage page;
        for (int r = 0; r < rows.size(); ++r)
            page.rows.append(wholeFailureRow(rows, r));
        if (page.rows.size() > pageSize) {
            page.rows.resize(pageSize);
            page.next = FailureCursor{page.rows.last().failedAt, page.rows.last().id};
        }
        return page;
    });
}

Result<qint64> SqlMergeStore::countFailures(const FailureFilter &filter)
{
    return run<qint64>(Need::CurrentSchema, [&](sql::Connection &c) {
        Where where;
        QVariantList params;
        const bool groupAnswers = filter.portal.isEmpty() && !filter.since && !filter.until
                                  && filter.searchText.isEmpty();
        if (groupAnswers) { // the error-group counters answer without touching failed_records
            if (!filter.errorClass.isEmpty()) // a group has one class: its fingerprint hashes it
                where.add(QStringLiteral("error_class = ") + bind(params, filter.errorClass));
            if (filter.modelId)
                where.add(QStringLiteral("model_id = ") + bind(params, *filter.modelId));
            if (!filter.fingerprint.isEmpty())
                where.add(QStringLiteral("fingerprint = ") + bind(params, filter.fingerprint));
            const QString column = filter.includeResolved ? QStringLiteral("failures")
                                                          : QStringLiteral("unresolved");
            const sql::Rows rows = c.query(
                QStringLiteral("SELECT COALESCE(SUM(%1), 0) FROM error_groups%2")
                    .arg(column, where.text()),
                params);
            return rows.int64(0, 0);
        }
        const QString sql = failureCountSql(filter, c.backend(), searchLeads(c, filter), params);
        return plannedForTheText(c, filter, [&] { return c.query(sql, params); }).int64(0, 0);
    });
}

namespace {

// The failure columns, then the details; detailFrom() reads them in this order.
QString failureDetailSql(const QString &where)
{
    return QStringLiteral("SELECT %1, f.message, f.backtrace, f.payload, f.content_type, "
                          "f.fingerprint, CASE WHEN f.resolution IS NULL THEN u.retried_by ELSE "
                          "f.resolved_by END, {ms:CASE WHEN f.resolution IS NULL THEN "
                          "u.retried_at ELSE f.resolved_at END}, u.retry_count > f.retry_count "
                          "FROM failed_records f "
                          "JOIN user_migrations u ON u.source_portal = f.source_portal AND "
                          "u.source_user_id = f.source_user_id WHERE %2")
        .arg(kFailureColumns, where);
}

FailureDetail detailFrom(const sql::Rows &rows, int r)
{
    sql::RowReader read(rows, r);
    FailureDetail detail;
    detail.row = failureRow(read);
    detail.message = read.text();
    detail.backtrace = read.text();
    detail.payload = read.bytes();
    detail.contentType = read.text();
    detail.fingerprint = read.text();
    const QString resolvedBy = read.text();
    const std::optional<qint64> resolvedAt = read.optionalInt64();
    read.skip(); // whether the user was retried since: in the resolution already
    read.finish();
    if (!detail.row.resolution.isEmpty()) { // by whom: the marker, or the last retry
        detail.resolvedBy = resolvedBy;
        detail.resolvedAt = resolvedAt;
    }
    return detail;
}

} // namespace

Result<FailureDetail> SqlMergeStore::failure(qint64 id)
{
    return run<FailureDetail>(Need::CurrentSchema, [&](sql::Connection &c) {
        const sql::Rows rows = c.query(failureDetailSql(QStringLiteral("f.id = $1")), {id});
        if (rows.empty())
            throw StoreError::make(StoreError::Kind::NotFound,
                                   QStringLiteral("There is no failed record %1.").arg(id));
        return detailFrom(rows, 0);
    });
}

Result<QList<FailureDetail>> SqlMergeStore::failureDetails(const QList<qint64> &ids)
{
    if (ids.size() > 10'000)
        return StoreError::make(StoreError::Kind::InvalidInput,
                                QStringLiteral("Details of at most 10 000 records at a time."));
    return run<QList<FailureDetail>>(Need::CurrentSchema, [&](sql::Connection &c) {
        QList<FailureDetail> details;
        if (ids.isEmpty())
            return details;
        QVariantList params;
        QStringList placeholders;
        for (const qint64 id : ids)
            placeholders << bind(params, id);
        // A batch of one: the text changes with the number of ids, so it is not prepared.
        const sql::Rows rows =
            c.batch({{failureDetailSql(QStringLiteral("f.id IN (%1)")
                                           .arg(placeholders.join(QStringLiteral(", ")))),
                      params}})
                .at(0);
        details.reserve(rows.size());
        for (int r = 0; r < rows.size(); ++r)
            details.append(detailFrom(rows, r));
        return details;
    });
}

Result<QList<ErrorGroup>> SqlMergeStore::errorGroups()
{
    return run<QList<ErrorGroup>>(Need::CurrentSchema, [&](sql::Connection &c) {
        const sql::Rows rows = c.query(QStringLiteral(
            "SELECT g.fingerprint, g.error_class, g.message_pattern, g.failures, g.unresolved, "
            "{ms:g.first_seen}, {ms:g.last_seen}, m.name FROM error_groups g "
            "JOIN models m ON m.id = g.model_id WHERE g.failures > 0 "
            "ORDER BY g.fingerprint, m.migration_order, m.name"));
        QList<ErrorGroup> groups;
        QHash<QString, qsizetype> index;
        for (int r = 0; r < rows.size(); ++r) {
            const QString fingerprint = rows.text(r, 0);
            auto it = index.find(fingerprint);
            if (it == index.end()) {
                it = index.insert(fingerprint, groups.size());
                groups.append(ErrorGroup{fingerprint, rows.text(r, 1), rows.text(r, 2), 0, 0,
                                         rows.int64(r, 5), rows.int64(r, 6), {}});
            }
            ErrorGroup &group = groups[*it];
            group.failures += rows.int64(r, 3);
            group.unresolved += rows.int64(r, 4);
            group.firstSeen = std::min(group.firstSeen, rows.int64(r, 5));
            group.lastSeen = std::max(group.lastSeen, rows.int64(r, 6));
            group.models.append(rows.text(r, 7));
        }
        std::stable_sort(groups.begin(), groups.end(), [](const auto &a, const auto &b) {
            return a.failures != b.failures ? a.failures > b.failures
                                            : a.fingerprint < b.fingerprint;
        });
        return groups;
    });
}

Result<UserDossier> SqlMergeStore::userDossier(const UserKey &user)
{
    return run<UserDossier>(Need::CurrentSchema, [&](sql::Connection &c) {
        const QVariantList key{user.portal, user.userId};
        // The user, its progress, failures and id mappings in one batch: one round trip.
        const std::vector<sql::Rows> answers = c.batch({
            {QStringLiteral("SELECT target_user_id, status, phase, attempts, {ms:requested_at}, "
                            "{ms:started_at}, {ms:finished_at}, {ms:updated_at}, last_error "
                            "FROM user_migrations WHERE source_portal = $1 AND "
                            "source_user_id = $2"),
             key},
            {QStringLiteral("SELECT m.id, m.name, m.migration_order, p.records_total, "
                            "p.serialized, p.created, p.failed FROM model_progress p JOIN models m "
                            "ON m.id = p.model_id WHERE p.source_portal = $1 AND "
                            "p.source_user_id = $2 ORDER BY m.migration_order, m.id"),
             key},
            failureRowsStatement(
                QStringLiteral(" WHERE f.source_portal = $1 AND f.source_user_id = $2"), key, 500),
            {QStringLiteral("SELECT m.name, i.source_portal, i.source_id, i.target_id FROM "
                            "id_mappings i JOIN models m ON m.id = i.model_id WHERE "
                            "i.source_portal = $1 AND i.source_user_id = $2 "
                            "ORDER BY m.migration_order, i.source_id LIMIT 1000"),
             key},
        });
        const sql::Rows &rows = answers[0];
        if (rows.empty())
            throw StoreError::make(StoreError::Kind::NotFound,
                                   QStringLiteral("No user migration for %1.").arg(user.toString()));
        UserDossier dossier;
        UserMigration &m = dossier.migration;
        m.user = user;
        m.targetUserId = rows.optionalInt64(0, 0);
        m.status = statusFromName(rows.text(0, 1)).value_or(UserStatus::Nil);
        m.phase = rows.text(0, 2);
        m.attempts = rows.int32(0, 3);
        m.requestedAt = rows.optionalInt64(0, 4);
        m.startedAt = rows.optionalInt64(0, 5);
        m.finishedAt = rows.optionalInt64(0, 6);
        m.updatedAt = rows.optionalInt64(0, 7);
        m.lastError = rows.text(0, 8);

        const sql::Rows &progress = answers[1];
        for (int r = 0; r < progress.size(); ++r)
            dossier.progress.append({progress.int32(r, 0), progress.text(r, 1),
                                     progress.int32(r, 2), 1, progress.int64(r, 3),
                                     progress.int64(r, 4), progress.int64(r, 5),
                                     progress.int64(r, 6)});
        dossier.failures = rowsOfFailures(answers[2]);
        const sql::Rows &mappings = answers[3];
        for (int r = 0; r < mappings.size(); ++r)
            dossier.mappings.append({mappings.text(r, 0), mappings.text(r, 1),
                                     mappings.int64(r, 2), mappings.int64(r, 3)});
        return dossier;
    });
}

Result<AuditPage> SqlMergeStore::audit(const AuditQuery &query)
{
    if (query.limit <= 0 || query.limit > 10'000)
        return StoreError::make(StoreError::Kind::InvalidInput,
                                QStringLiteral("An audit page holds 1 to 10 000 entries."));
    return run<AuditPage>(Need::CurrentSchema, [&](sql::Connection &c) {
        Where where;
        QVariantList params;
        auto add = [&](const QString &condition) { where.add(condition); };
        if (!query.action.isEmpty())
            add(QStringLiteral("action = ") + bind(params, query.action));
        if (!query.actor.isEmpty()) {
            const QString actor = bind(params, query.actor);
            add(QStringLiteral("(database_user = %1 OR os_user = %1)").arg(actor));
        }
        if (query.since)
            add(QStringLiteral("at >= {ts:%1}").arg(bind(params, *query.since)));
        if (query.until)
            add(QStringLiteral("at < {ts:%1}").arg(bind(params, *query.until)));
        if (query.beforeId)
            add(QStringLiteral("id < ") + bind(params, *query.beforeId));
        if (query.afterId)
            add(QStringLiteral("id > ") + bind(params, *query.afterId));
        const QString limit = bind(params, query.limit + 1);
        const sql::Rows rows = c.query(
            QStringLiteral("SELECT id, {ms:at}, database_user, os_user, action, target, "
                           "before_state, after_state, reason FROM audit_log%1 ORDER BY id DESC "
                           "LIMIT %2")
                .arg(where.text(), limit),
            params);
        AuditPage page;
        for (int r = 0; r < rows.size() && r < query.limit; ++r)
            page.entries.append({rows.int64(r, 0), rows.int64(r, 1), rows.text(r, 2),
                                 rows.text(r, 3), rows.text(r, 4), rows.text(r, 5),
                                 rows.text(r, 6), rows.text(r, 7), rows.text(r, 8)});
        if (rows.size() > query.limit)
            page.nextBeforeId = page.entries.last().id;
        return page;
    });
}

} // namespace mc
