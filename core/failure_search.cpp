#include "failure_search.h"

#include "sql_params.h"

#include <algorithm>

namespace mc {

namespace {

constexpr int kLeadSample = 4000; // postings counted per trigram when choosing the rarest
constexpr int kMaxLeads = 3;
constexpr int kMaxTrigramsWeighed = 12;

const char *const kSearchedColumns[] = {"f.error_class", "f.message", "f.record_id"};

QString anyColumn(const QString &perColumn) // perColumn has %1 for the column
{
    QStringList parts;
    for (const char *column : kSearchedColumns)
        parts << perColumn.arg(QLatin1String(column));
    return QLatin1Char('(') + parts.join(QStringLiteral(" OR ")) + QLatin1Char(')');
}

} // namespace

QString likeContaining(const QString &text)
{
    QString escaped;
    escaped.reserve(text.size() + 8);
    for (const QChar c : text) {
        if (c == u'!' || c == u'%' || c == u'_')
            escaped += u'!';
        escaped += c;
    }
    return QLatin1Char('%') + escaped + QLatin1Char('%');
}

QString asciiCaselessPattern(const QString &text)
{
    QString pattern = QStringLiteral("(?i)");
    for (const char byte : text.toUtf8())
        pattern += QStringLiteral("\\x{%1}").arg(uint(uchar(byte)), 2, 16, QLatin1Char('0'));
    return pattern;
}

QString searchCondition(sql::Backend backend, const FailureFilter &filter, QVariantList &params)
{
    if (filter.searchText.isEmpty())
        return {};
    if (backend == sql::Backend::PostgreSQL) {
        // In the C collation ILIKE folds ASCII letters only; the index is built in it too.
        const QString like = bind(params, likeContaining(filter.searchText));
        return anyColumn(QStringLiteral("%1 COLLATE \"C\" %2 %3 ESCAPE '!'")
                             .arg(QStringLiteral("%1"),
                                  filter.matchCase ? QStringLiteral("LIKE") : QStringLiteral("ILIKE"),
                                  like));
    }
    if (filter.matchCase) // utf8mb4_bin: code point for code point
        return anyColumn(QStringLiteral("LOCATE(%1, %2) > 0")
                             .arg(bind(params, filter.searchText), QStringLiteral("%1")));
    // MariaDB's LOWER() folds all of Unicode; PCRE on bytes folds ASCII letters only.
    return anyColumn(QStringLiteral("CAST(%2 AS BINARY) REGEXP %1")
                         .arg(bind(params, asciiCaselessPattern(filter.searchText)),
                              QStringLiteral("%1")));
}

QStringList searchLeads(sql::Connection &c, const FailureFilter &filter)
{
    if (c.backend() != sql::Backend::MariaDB || filter.searchText.isEmpty())
        return {};
    const QStringList grams = searchTrigrams(filter.searchText).mid(0, kMaxTrigramsWeighed);
    if (grams.isEmpty())
        return {};
    QStringList counts;
    QVariantList params;
    for (qsizetype i = 0; i < grams.size(); ++i)
        counts << QStringLiteral("SELECT %1, COUNT(*) FROM (SELECT 1 FROM failure_search_grams "
                                 "WHERE gram = %2 LIMIT %3) x%1")
                      .arg(i)
                      .arg(bind(params, grams[i]))
                      .arg(kLeadSample);
    const sql::Rows rows = c.query(counts.join(QStringLiteral(" UNION ALL ")), params);
    std::vector<std::pair<qint64, int>> weighed;
    for (int r = 0; r < rows.size(); ++r)
        weighed.emplace_back(rows.int64(r, 1), rows.int32(r, 0));
    std::sort(weighed.begin(), weighed.end());
    QStringList leads;
    for (const auto &[count, index] : weighed) {
        leads << grams[index];
        if (count == 0 || leads.size() == kMaxLeads) // no posting: nothing can match
            break;
    }
    return leads;
}

QString searchSource(const QStringList &leads, Where &where, QVariantList &params)
{
    if (leads.isEmpty())
        return QStringLiteral("failed_records f");
    // STRAIGHT_JOIN: read the rarest trigram's postings newest first (its primary key range, in
    // order, so a page stops after its rows), look each candidate up in the other trigrams'
    // postings and then in failed_records, all by primary key.
    where.add(QStringLiteral("g.gram = ") + bind(params, leads.first()));
    QString source = QStringLiteral("failure_search_grams g");
    for (qsizetype i = 1; i < leads.size(); ++i)
        source += QStringLiteral(" STRAIGHT_JOIN failure_search_grams g%1 ON g%1.gram = %2 AND "
                                 "g%1.failed_at = g.failed_at AND g%1.failure_id = g.failure_id")
                      .arg(i)
                      .arg(bind(params, leads[i]));
    return source + QStringLiteral(" STRAIGHT_JOIN failed_records f ON f.id = g.failure_id");
}

} // namespace mc
