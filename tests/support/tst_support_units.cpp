// Units of the support views that need no database: pasted lists, change summaries, CSV, the
// timeline, and the item models under QAbstractItemModelTester.

#include "tst_support_units.h"

#include "audit_change.h"
#include "audit_export_format.h"
#include "id_mappings_model.h"
#include "retry_outcomes_model.h"
#include "scratch_settings.h"
#include "support_helpers.h"
#include "user_failures_model.h"
#include "user_history.h"
#include "user_list.h"
#include "user_timeline_model.h"

#include <QAbstractItemModelTester>
#include <QBuffer>
#include <QSettings>
#include <QTest>

using namespace mc;
using namespace mc::test;

void SupportUnitsTest::initTestCase()
{
    QVERIFY(mc::test::useScratchSettings(m_settingsDir, QStringLiteral("tst_support_units")));
    qputenv("USER", "support-tester");
}

void SupportUnitsTest::pastedListAccountsForEveryLine()
{
    const QString text = QStringLiteral("lt:12\n  345  \n\n# a comment\nde : 7\nlt:12\nabc\n"
                                        "lt:-4\n:9\nlt:99999999999999999999\nfr ance:5\n"
                                        "345\r\nde:8\n");
    const UserList list = parseUserList(text, QStringLiteral("lt"));
    // Every line of the text is there, the trailing newline making no line of its own.
    QCOMPARE(list.lines.size(), 13);
    using Kind = UserListLine::Kind;
    const QList<Kind> kinds{Kind::User,    Kind::User,    Kind::Blank,   Kind::Blank,
                            Kind::User,    Kind::Duplicate, Kind::Invalid, Kind::Invalid,
                            Kind::Invalid, Kind::Invalid, Kind::Invalid, Kind::Duplicate,
                            Kind::User};
    for (int i = 0; i < kinds.size(); ++i)
        QVERIFY2(list.lines[i].kind == kinds[i], qPrintable(list.lines[i].text));
    QCOMPARE(list.users.size(), size_t(4));
    QCOMPARE(list.users[0], (UserKey{QStringLiteral("lt"), 12}));
    QCOMPARE(list.users[1], (UserKey{QStringLiteral("lt"), 345}));
    QCOMPARE(list.users[2], (UserKey{QStringLiteral("de"), 7}));
    QCOMPARE(list.users[3], (UserKey{QStringLiteral("de"), 8}));
    QCOMPARE(list.lines[6].number, 7);
    QVERIFY(list.lines[6].problem.contains(QStringLiteral("'abc' is not a user id")));
    QVERIFY(list.lines[7].problem.contains(QStringLiteral("'-4'")));
    QVERIFY(list.lines[8].problem.contains(QStringLiteral("no portal")));
    QVERIFY(list.lines[10].problem.contains(QStringLiteral("portal code")));
    QCOMPARE(list.summary(), QStringLiteral("4 users, 2 duplicates, 5 invalid lines"));

    // Without a chosen portal a bare id is invalid, and says why.
    const UserList bare = parseUserList(QStringLiteral("42"), QString());
    QCOMPARE(bare.lines.size(), 1);
    QCOMPARE(bare.lines[0].kind, Kind::Invalid);
    QVERIFY(bare.lines[0].problem.contains(QStringLiteral("no portal")));
    QVERIFY(parseUserList(QString(), QStringLiteral("lt")).lines.isEmpty());
}

void SupportUnitsTest::typedUserIsCheckedLikeAListLine()
{
    QString problem;
    QCOMPARE(parseUserInput(QStringLiteral("lt"), QStringLiteral(" 77 ")),
             (std::optional<UserKey>(UserKey{QStringLiteral("lt"), 77})));
    QCOMPARE(parseUserInput(QStringLiteral("lt"), QStringLiteral("de:5")),
             (std::optional<UserKey>(UserKey{QStringLiteral("de"), 5})));
    QVERIFY(!parseUserInput(QString(), QStringLiteral("5"), &problem));
    QVERIFY(problem.contains(QStringLiteral("portal")));
    QVERIFY(!parseUserInput(QStringLiteral("lt"), QStringLiteral("5; DROP TABLE"), &problem));
    QVERIFY(problem.contains(QStringLiteral("not a user id")));
    QVERIFY(!parseUserInput(QStringLiteral("lt"), QStringLiteral("0"), &problem));
}

void SupportUnitsTest::compactChangeSaysWhatChanged()
{
    QCOMPARE(compactChange(QStringLiteral("{\"parallelism\":4}"),
                           QStringLiteral("{\"parallelism\":8}")),
             QStringLiteral("parallelism 4 → 8"));
    QCOMPARE(
        compactChange(QStringLiteral("{\"status\":\"failed\"}"),
                      QStringLiteral("{\"status\":\"pending\",\"users\":[\"lt:1\",\"lt:2\"]}")),
        QStringLiteral("status failed → pending; users lt:1, lt:2"));
    QCOMPARE(compactChange(QString(), QStringLiteral("{\"users\":[\"a\",\"b\",\"c\",\"d\"]}")),
             QStringLiteral("users 4 listed"));
    QCOMPARE(compactChange(QString(), QStringLiteral("{\"version\":1}")),
             QStringLiteral("version 1"));
    QCOMPARE(
        compactChange(QStringLiteral("{\"paused\":false}"), QStringLiteral("{\"paused\":true}")),
        QStringLiteral("paused no → yes"));
    QCOMPARE(compactChange(QStringLiteral("{\"a\":1}"), QStringLiteral("{}")),
             QStringLiteral("a 1 → —"));
    QCOMPARE(compactChange(QStringLiteral("not json"), QStringLiteral("{\"a\":1}")),
             QStringLiteral("not json → {\"a\":1}"));
    const QString longChange = compactChange(QString(), QStringLiteral("{\"k\":\"%1\"}")
                                                            .arg(QString(500, QLatin1Char('x'))));
    QCOMPARE(longChange.size(), 120);
    QVERIFY(longChange.endsWith(QChar(0x2026)));
    QCOMPARE(readableJson(QStringLiteral("{\"a\":1}")), QStringLiteral("{\n    \"a\": 1\n}"));
    QCOMPARE(readableJson(QStringLiteral("plain")), QStringLiteral("plain"));

    AuditEntry entry;
    entry.osUser = QStringLiteral("anna");
    entry.databaseUser = QStringLiteral("postgres");
    QCOMPARE(auditActor(entry), QStringLiteral("anna (db: postgres)"));
    entry.osUser = entry.databaseUser;
    QCOMPARE(auditActor(entry), QStringLiteral("postgres"));
}

void SupportUnitsTest::csvFollowsRfc4180()
{
    QCOMPARE(csvField(QStringLiteral("plain")), QByteArray("plain"));
    QCOMPARE(csvField(QStringLiteral("a,b")), QByteArray("\"a,b\""));
    QCOMPARE(csvField(QStringLiteral("say \"hi\"")), QByteArray("\"say \"\"hi\"\"\""));
    QCOMPARE(csvField(QStringLiteral("two\r\nlines")), QByteArray("\"two\r\nlines\""));
    QCOMPARE(csvField(QStringLiteral("ąčę 😀")), QStringLiteral("ąčę 😀").toUtf8());

    const AuditEntry entry{7,
                           kT0,
                           QStringLiteral("db"),
                           QStringLiteral("os"),
                           QStringLiteral("set_queue"),
                           QStringLiteral("queue:serialize"),
                           QStringLiteral("{\"parallelism\":4}"),
                           QStringLiteral("{\"parallelism\":8}"),
                           QStringLiteral("line one\nline, two")};
    QBuffer buffer;
    buffer.open(QIODevice::WriteOnly);
    AuditFileWriter writer(buffer, AuditExportFormat::Csv);
    QVERIFY(writer.begin() && writer.write(entry) && writer.finish());
    QString error;
    const QList<QStringList> records = parseCsv(buffer.data(), &error);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QCOMPARE(records.size(), 2);
    QCOMPARE(records[0], auditExportColumns());
    QCOMPARE(records[1],
             (QStringList{QStringLiteral("7"), QStringLiteral("2025-11-24T16:00:00.000Z"),
                          entry.databaseUser, entry.osUser, entry.action, entry.target,
                          entry.before, entry.after, entry.reason}));
    QCOMPARE(auditExportFormatFor(QStringLiteral("/tmp/a.JSON")), AuditExportFormat::Json);
    QCOMPARE(auditExportFormatFor(QStringLiteral("/tmp/a.csv")), AuditExportFormat::Csv);
}

void SupportUnitsTest::timelineMergesTimesAndRetries()
{
    UserMigration m;
    m.user = {QStringLiteral("lt"), 5};
    m.status = UserStatus::Failed;
    m.requestedAt = kT0;
    m.startedAt = kT0 + 60'000;
    m.finishedAt = kT0 + 180'000;
    m.lastError = QStringLiteral("Timeout");
    AuditEntry retry;
    retry.at = kT0 + 120'000;
    retry.osUser = QStringLiteral("anna");
    retry.databaseUser = QStringLiteral("support");
    retry.reason = QStringLiteral("SUP-1");
    retry.after = QStringLiteral("{\"status\":\"pending\",\"users\":[\"lt:5\",\"lt:50\"]}");
    QVERIFY(auditEntryNamesUser(retry, m.user));
    QVERIFY(!auditEntryNamesUser(retry, {QStringLiteral("lt"), 55}));
    QVERIFY(!auditEntryNamesUser(retry, {QStringLiteral("de"), 5}));

    FailureRow failure;
    failure.failedAt = kT0 + 180'000; // as the run ends: before "finished"
    failure.model = QStringLiteral("items");
    failure.recordId = QStringLiteral("item-9");
    failure.phase = QStringLiteral("create");
    failure.attempt = 2;
    failure.errorClass = QStringLiteral("Timeout");
    failure.messageExcerpt = QStringLiteral("no answer in 30 s");

    const QList<UserEvent> events = userTimeline(m, {failure}, {retry});
    QCOMPARE(events.size(), 5);
    QCOMPARE(events[0].event, QStringLiteral("requested"));
    QCOMPARE(events[1].event, QStringLiteral("started (latest run)"));
    QCOMPARE(events[2].event, QStringLiteral("retried: failed → pending"));
    QCOMPARE(events[2].who, QStringLiteral("anna (support)"));
    QCOMPARE(events[2].detail, QStringLiteral("SUP-1"));
    QCOMPARE(events[3].event, QStringLiteral("record failed: items"));
    QCOMPARE(events[3].detail,
             QStringLiteral("record item-9, create attempt 2 · Timeout: no answer in 30 s"));
    QCOMPARE(events[4].event, QStringLiteral("finished: failed"));
    QCOMPARE(events[4].detail, QStringLiteral("Timeout"));
}

void SupportUnitsTest::modelsPassTheModelTester()
{
    UserFailuresModel failures;
    QAbstractItemModelTester failuresTester(&failures,
                                            QAbstractItemModelTester::FailureReportingMode::QtTest);
    FailureRow row;
    row.id = 3;
    row.model = QStringLiteral("items");
    failures.setFailures({row, row});
    QCOMPARE(failures.rowCount(), 2);
    QCOMPARE(failures.index(0, 0).data(UserFailuresModel::FailureIdRole).toLongLong(), 3);

    IdMappingsModel mappings;
    QAbstractItemModelTester mappingsTester(&mappings,
                                            QAbstractItemModelTester::FailureReportingMode::QtTest);
    mappings.setMappings({{QStringLiteral("users"), QStringLiteral("lt"), 1, 2}});
    QCOMPARE(mappings.index(0, IdMappingsModel::TargetId).data().toString(), QStringLiteral("2"));

    UserTimelineModel timeline;
    QAbstractItemModelTester timelineTester(&timeline,
                                            QAbstractItemModelTester::FailureReportingMode::QtTest);
    timeline.setEvents({{kT0, QStringLiteral("requested"), {}, {}}});
    QCOMPARE(timeline.rowCount(), 1);

    RetryOutcomesModel outcomes;
    QAbstractItemModelTester outcomesTester(&outcomes,
                                            QAbstractItemModelTester::FailureReportingMode::QtTest);
    const UserList list =
        parseUserList(QStringLiteral("lt:1\nlt:2\nx\nlt:1\n"), QStringLiteral("lt"));
    outcomes.setList(list);
    QCOMPARE(outcomes.rowCount(), 4);
    RetryReport report;
    report.outcomes = {{{QStringLiteral("lt"), 1}, UserOutcome::Kind::Moved, UserStatus::Failed},
                       {{QStringLiteral("lt"), 2}, UserOutcome::Kind::NotFailed,
                        UserStatus::Completed}};
    outcomes.setReport(report);
    QCOMPARE(columnTexts(&outcomes, RetryOutcomesModel::Outcome),
             (QStringList{QStringLiteral("moved to pending"),
                          QStringLiteral("not failed (completed)"),
                          QStringLiteral("invalid line: 'x' is not a user id"),
                          QStringLiteral("duplicate of an earlier line")}));
    const RetryTotals totals = outcomes.totals();
    QCOMPARE(totals.moved, 1);
    QCOMPARE(totals.notFailed, 1);
    QCOMPARE(totals.invalid, 1);
    QCOMPARE(totals.duplicates, 1);
}

QTEST_MAIN(SupportUnitsTest)
