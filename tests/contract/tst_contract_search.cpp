// Contract: text search in failed records (docs/SCHEMA.md, "Text search"). Both backends must
// select exactly what plain SQL selects, in both modes, for every naughty string; the expected
// ids also come from what the test wrote, folded here in C++, so both backends return the same ids.

#include "tst_contract.h"

#include "sql/sql_connection.h"

#include <QTest>

using namespace mc;
using namespace mc::test;

namespace {

QString asciiLower(const QString &text)
{
    QString folded = text;
    for (QChar &c : folded)
        if (c >= u'A' && c <= u'Z')
            c = QChar(c.unicode() + 32);
    return folded;
}

struct Written
{
    qint64 id;
    NewFailure failure;
    bool resolved;
};

bool contains(const Written &w, const QString &text, bool matchCase)
{
    for (const QString &field : {w.failure.errorClass, w.failure.message, w.failure.recordId})
        if (matchCase ? field.contains(text) : asciiLower(field).contains(asciiLower(text)))
            return true;
    return false;
}

QList<qint64> newestFirst(QList<const Written *> chosen)
{
    std::sort(chosen.begin(), chosen.end(), [](const Written *a, const Written *b) {
        return *a->failure.failedAt != *b->failure.failedAt
                   ? *a->failure.failedAt > *b->failure.failedAt
                   : a->id > b->id;
    });
    QList<qint64> ids;
    for (const Written *w : chosen)
        ids << w->id;
    return ids;
}

} // namespace

void ContractTest::textSearchEqualsPlainSqlForEveryNaughtyStringInBothModes()
{
    TestDatabase db(m_server);
    auto store = db.installedStore();
    auto writer = db.openWriter();
    seedCatalogue(*writer);
    addUsers(*writer, QStringLiteral("lt"), 1, 3, UserStatus::Failed);
    const QStringList strings = naughtyStrings();
    QVERIFY(strings.size() > 400);
    const QString classes[] = {QStringLiteral("Net::ReadTimeout"), QStringLiteral("KeyError"),
                               QStringLiteral("ÜBER::Fehler"), QStringLiteral("ERR")};
    QList<Written> written;
    for (int i = 0; i < strings.size(); ++i) {
        const QString &s = strings[i];
        NewFailure f;
        f.user = {QStringLiteral("lt"), 1 + i % 3};
        f.modelId = 1 + i % 3;
        f.errorClass = classes[i % 4];
        // The string as it is, in upper case (Unicode's), and in lower case, so that case
        // folding beyond ASCII would show.
        f.message = i % 3 == 0   ? QStringLiteral("before %1 after").arg(s)
                    : i % 3 == 1 ? s.toUpper() + QStringLiteral(" tail")
                                 : QStringLiteral("x ") + s.toLower();
        f.recordId = i % 5 == 0 && s.size() <= 64 ? s : QString::number(1000 + i);
        f.failedAt = kT0 + (i / 3) * 1000; // ties on failed_at
        written.append({writer->addFailure(f), f, i % 13 == 0});
    }
    for (const Written &w : std::as_const(written))
        if (w.resolved)
            writer->connection().exec(
                QStringLiteral("UPDATE failed_records SET resolution = 'ignored' WHERE id = $1"),
                {w.id});

    QStringList wrong;
    int matchedSome = 0;
    for (const QString &text : strings) {
        for (const bool matchCase : {false, true}) {
            FailureFilter filter;
            filter.searchText = text;
            filter.matchCase = matchCase;
            const QList<qint64> sql = idsWithText(*writer, m_server.backend, text, matchCase,
                                                  QStringLiteral("resolution IS NULL"));
            QList<const Written *> chosen;
            for (const Written &w : std::as_const(written))
                if (!w.resolved && contains(w, text, matchCase))
                    chosen << &w;
            const QList<qint64> folded = newestFirst(chosen);
            const QList<qint64> ids = allFailureIds(*store, filter, 100);
            auto count = store->countFailures(filter);
            REQUIRE_OK(count);
            if (sql != folded || ids != sql || *count != sql.size())
                wrong << QStringLiteral("%1 (%2): store %3 rows, count %4, plain SQL %5, "
                                        "written %6")
                             .arg(text,
                                  matchCase ? QStringLiteral("match case")
                                            : QStringLiteral("any case"),
                                  QString::number(ids.size()), QString::number(*count),
                                  QString::number(sql.size()), QString::number(folded.size()));
            if (!sql.isEmpty())
                ++matchedSome;
        }
        if (wrong.size() > 10)
            break;
    }
    QVERIFY2(wrong.isEmpty(), qPrintable(wrong.join(QLatin1Char('\n'))));
    QVERIFY(matchedSome > 800);

    // Either case: ASCII letters only. "timeout" finds the class, Unicode letters stay exact.
    FailureFilter filter;
    filter.searchText = QStringLiteral("readtimeout");
    QCOMPARE(*store->countFailures(filter),
             qint64(std::count_if(written.cbegin(), written.cend(), [&](const Written &w) {
                 return !w.resolved && w.failure.errorClass == classes[0];
             })));
    filter.matchCase = true;
    QCOMPARE(*store->countFailures(filter), 0);
    filter = {};
    filter.searchText = QStringLiteral("über::"); // Ü is not ASCII: only "ÜBER::" would match
    QCOMPARE(*store->countFailures(filter), 0);
    filter.searchText = QStringLiteral("üBER::Fehler");
    QCOMPARE(*store->countFailures(filter), 0);
    filter.searchText = QStringLiteral("Über::FEHLER"); // the ASCII letters in either case
    QCOMPARE(*store->countFailures(filter),
             qint64(std::count_if(written.cbegin(), written.cend(), [&](const Written &w) {
                 return !w.resolved && w.failure.errorClass == classes[2];
             })));
}

void ContractTest::textSearchFollowsPlainSqlWrites()
{
    TestDatabase db(m_server);
    auto store = db.installedStore();
    auto writer = db.openWriter();
    seedCatalogue(*writer);
    addUsers(*writer, QStringLiteral("lt"), 1, 1, UserStatus::Failed);
    sql::Connection &c = writer->connection();
    const auto found = [&](const QString &text, bool includeResolved = false) {
        FailureFilter filter;
        filter.searchText = text;
        filter.includeResolved = includeResolved;
        return allFailureIds(*store, filter, 10);
    };
    // Wildcards of LIKE are literal characters; so is the escape character.
    const QStringList messages{QStringLiteral("Quokka at 100% of quota"),
                               QStringLiteral("field a_b is bad"),
                               QStringLiteral("x!y and back\\slash"), QStringLiteral("abc")};
    QList<qint64> ids;
    for (int i = 0; i < messages.size(); ++i) {
        c.exec(QStringLiteral("INSERT INTO failed_records (source_portal, source_user_id, "
                              "model_id, record_id, error_class, message, failed_at) VALUES "
                              "('lt', 1, 2, $1, 'Other', $2, {ts:$3})"),
               {QStringLiteral("rec-%1").arg(i), messages[i], kT0 + i * 1000});
        ids << scalar(*writer, QStringLiteral("SELECT MAX(id) FROM failed_records"));
    }
    QCOMPARE(found(QStringLiteral("0%")), QList<qint64>{ids[0]});
    QCOMPARE(found(QStringLiteral("a_b")), QList<qint64>{ids[1]});
    QCOMPARE(found(QStringLiteral("_")), QList<qint64>{ids[1]});
    QCOMPARE(found(QStringLiteral("!")), QList<qint64>{ids[2]});
    QCOMPARE(found(QStringLiteral("\\")), QList<qint64>{ids[2]});
    QCOMPARE(found(QStringLiteral("%")), QList<qint64>{ids[0]});
    QCOMPARE(found(QStringLiteral("QUOKKA")), QList<qint64>{ids[0]});
    QCOMPARE(found(QStringLiteral("REC-3")), QList<qint64>{ids[3]}); // the record id

    // A changed message is found by its new text only; a resolution changes nothing searched.
    c.exec(QStringLiteral("UPDATE failed_records SET message = 'wombat burrow' WHERE id = $1"),
           {ids[0]});
    QVERIFY(found(QStringLiteral("quokka")).isEmpty());
    QCOMPARE(found(QStringLiteral("WOMBAT")), QList<qint64>{ids[0]});
    c.exec(QStringLiteral("UPDATE failed_records SET resolution = 'resolved' WHERE id = $1"),
           {ids[0]});
    QVERIFY(found(QStringLiteral("wombat")).isEmpty());
    QCOMPARE(found(QStringLiteral("wombat"), true), QList<qint64>{ids[0]});
    // A moved failed_at moves it in the newest-first order of a search.
    c.exec(QStringLiteral("UPDATE failed_records SET failed_at = {ts:$1} WHERE id = $2"),
           {kT0 - 3'600'000, ids[3]});
    QCOMPARE(found(QStringLiteral("rec-"), true),
             (QList<qint64>{ids[2], ids[1], ids[0], ids[3]}));
    c.exec(QStringLiteral("DELETE FROM failed_records WHERE id = $1"), {ids[3]});
    QVERIFY(found(QStringLiteral("abc"), true).isEmpty());
    QCOMPARE(found(QStringLiteral("rec-"), true), (QList<qint64>{ids[2], ids[1], ids[0]}));
    if (m_server.backend == QLatin1String("mariadb")) // its index is a table: nothing left over
        QCOMPARE(scalar(*writer, QStringLiteral("SELECT COUNT(*) FROM failure_search_grams "
                                                "WHERE failure_id = $1"),
                        {ids[3]}),
                 0);
}
