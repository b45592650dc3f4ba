// migctl: every naughty string reaches the store as one argv element and is matched or stored
// literally, and changes no row it should not.

#include "tst_migctl.h"

#include "sql/sql_connection.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QSet>
#include <QTest>

using namespace mc;
using namespace mc::test;

namespace {

// What must not move while hostile strings are used as search text.
QString databaseState(FleetWriter &writer)
{
    const sql::Rows rows = writer.connection().query(QStringLiteral(
        "SELECT (SELECT COUNT(*) FROM failed_records), "
        "(SELECT COUNT(*) FROM failed_records WHERE resolution IS NOT NULL), "
        "(SELECT COUNT(*) FROM user_migrations WHERE status = 'failed'), "
        "(SELECT COUNT(*) FROM user_migrations), (SELECT COUNT(*) FROM audit_log), "
        "(SELECT COUNT(*) FROM queue_jobs), (SELECT SUM(version) FROM queues), "
        "(SELECT SUM(version) FROM rollout_flags)"));
    QStringList values;
    for (int c = 0; c < rows.columns(); ++c)
        values << rows.text(0, c);
    return values.join(QLatin1Char(','));
}

} // namespace

void MigctlTest::naughtyStringsAsSearchMatchLiterally()
{
    TestDatabase db(m_server);
    auto store = db.installedStore();
    auto writer = db.openWriter();
    seedCatalogue(*writer);
    addUsers(*writer, QStringLiteral("lt"), 1, 1, UserStatus::Failed);
    addUsers(*writer, QStringLiteral("lt"), 2, 1, UserStatus::Completed);
    const QStringList strings = naughtyStrings();
    QVERIFY(strings.size() > 400);

    QHash<qint64, QString> messages;
    for (const QString &text : strings) {
        const QString message = QStringLiteral("before ") + text + QStringLiteral(" after");
        messages.insert(addFailure(*writer, {QStringLiteral("lt"), 1}, 2, QStringLiteral("E"),
                                   message),
                        message);
    }
    const QString before = databaseState(*writer);

    QList<QStringList> searches;
    for (const QString &text : strings)
        searches.append({QStringLiteral("failures"), QStringLiteral("--search"), text,
                         QStringLiteral("--limit"), QStringLiteral("10000"), QStringLiteral("--json")});
    for (const QString &text : strings) // and matching case
        searches.append({QStringLiteral("failures"), QStringLiteral("--search"), text,
                         QStringLiteral("--match-case"), QStringLiteral("--limit"),
                         QStringLiteral("10000"), QStringLiteral("--json")});
    // A sample also through retry's count, which must not move anyone in a dry run.
    for (qsizetype i = 0; i < strings.size(); i += 10)
        searches.append({QStringLiteral("retry"), QStringLiteral("--search"), strings[i],
                         QStringLiteral("--dry-run"), QStringLiteral("--json")});
    const QList<MigctlRun> runs = MigctlRunner(db.url()).runAll(searches, 6);

    for (qsizetype i = 0; i < 2 * strings.size(); ++i) {
        const MigctlRun &run = runs[i];
        const QString &text = strings[i % strings.size()];
        const bool matchCase = i >= strings.size();
        EXPECT_EXIT(run, 0);
        const QList<qint64> plain = idsWithText(*writer, m_server.backend, text, matchCase);
        const QSet<qint64> expected(plain.cbegin(), plain.cend());
        QSet<qint64> found;
        for (const QJsonValue &row : run.json().value(QStringLiteral("rows")).toArray())
            found.insert(row.toObject().value(QStringLiteral("id")).toInteger());
        QVERIFY2(found == expected,
                 qPrintable(QStringLiteral("--search \"%1\"%2: %3 rows, expected %4")
                                .arg(text, matchCase ? QStringLiteral(" --match-case") : QString(),
                                     QString::number(found.size()),
                                     QString::number(expected.size()))));
        if (matchCase) // the exact text is found in the message it was written into
            for (auto it = messages.cbegin(); it != messages.cend(); ++it)
                if (it.value().contains(text))
                    QVERIFY(found.contains(it.key()));
        QVERIFY(run.json().value(QStringLiteral("filter")).toString().contains(text));
    }
    for (qsizetype i = 2 * strings.size(); i < runs.size(); ++i) {
        EXPECT_EXIT(runs[i], 0);
        QCOMPARE(runs[i].json().value(QStringLiteral("users")).toInteger(), 1);
    }
    QCOMPARE(databaseState(*writer), before);
}

void MigctlTest::naughtyStringsAsReasonAreStoredExactly()
{
    TestDatabase db(m_server);
    auto store = db.installedStore();
    auto writer = db.openWriter();
    seedCatalogue(*writer);
    const QStringList strings = naughtyStrings();

    // About a hundred of them, spread over the file; each sets a parallelism of its own, so the
    // audit entry tells which reason belongs to which run.
    QList<QStringList> changes;
    QHash<int, QString> reasonOf;
    for (qsizetype i = 0; i < strings.size(); i += 5) {
        const int parallelism = 100 + int(i);
        reasonOf.insert(parallelism, strings[i]);
        changes.append({QStringLiteral("queue"), QStringLiteral("set"), QStringLiteral("serialize"),
                        QStringLiteral("--parallelism"), QString::number(parallelism),
                        QStringLiteral("--reason"), strings[i]});
    }
    const QList<MigctlRun> runs = MigctlRunner(db.url()).runAll(changes, 4);
    int stored = 0;
    for (qsizetype i = 0; i < runs.size(); ++i) {
        const bool blank = changes[i].last().trimmed().isEmpty();
        EXPECT_EXIT(runs[i], blank ? 2 : 0); // a blank reason is refused before the store
        stored += blank ? 0 : 1;
    }
    QVERIFY(stored > 90);

    const sql::Rows audit = writer->connection().query(QStringLiteral(
        "SELECT reason, after_state, os_user FROM audit_log WHERE action = 'set_queue'"));
    QCOMPARE(audit.size(), stored);
    QSet<int> seen;
    for (int r = 0; r < audit.size(); ++r) {
        const int parallelism = QJsonDocument::fromJson(audit.bytes(r, 1))
                                    .object()
                                    .value(QStringLiteral("parallelism"))
                                    .toInt();
        QVERIFY2(reasonOf.contains(parallelism), audit.bytes(r, 1).constData());
        QCOMPARE(audit.bytes(r, 0), reasonOf.value(parallelism).toUtf8()); // byte for byte
        QCOMPARE(audit.text(r, 2), QStringLiteral("migctl-tester"));
        seen.insert(parallelism);
    }
    QCOMPARE(seen.size(), stored);
    // Only the serialize queue moved: once per stored reason.
    QCOMPARE(scalar(*writer, QStringLiteral("SELECT version FROM queues WHERE name = 'serialize'")),
             1 + stored);
    QCOMPARE(scalar(*writer, QStringLiteral("SELECT SUM(version) FROM queues WHERE name <> "
                                            "'serialize'")),
             2);
    QCOMPARE(scalar(*writer, QStringLiteral("SELECT SUM(version) FROM rollout_flags")), 2);
    QCOMPARE(scalar(*writer, QStringLiteral("SELECT COUNT(*) FROM audit_log")), 1 + stored);
}
