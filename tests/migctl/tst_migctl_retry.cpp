// migctl retry: what moved, what did not, and the audit entries with their reasons, checked in
// the database after each run.

#include "tst_migctl.h"

#include "sql/sql_connection.h"

#include <QJsonArray>
#include <QRegularExpression>
#include <QSet>
#include <QTemporaryFile>
#include <QProcess>
#include <QTest>

#include <csignal>
#ifdef Q_OS_UNIX
#include <signal.h>
#endif

using namespace mc;
using namespace mc::test;

namespace {

const QString kReason = QStringLiteral("--reason");

QString fileWith(QTemporaryFile &file, const QByteArray &content)
{
    if (!file.open())
        qFatal("cannot create a temporary file");
    file.write(content);
    file.close();
    return file.fileName();
}

} // namespace

void MigctlTest::retryDryRunMovesNothing()
{
    TestDatabase db(m_server);
    auto store = db.installedStore();
    auto writer = db.openWriter();
    seedCatalogue(*writer);
    addUsers(*writer, QStringLiteral("lt"), 1, 10, UserStatus::Failed);
    for (qint64 id = 1; id <= 10; ++id)
        addFailure(*writer, {QStringLiteral("lt"), id}, 2,
                   id <= 6 ? QStringLiteral("Timeout") : QStringLiteral("Invalid"),
                   QStringLiteral("x"));
    MigctlRunner migctl(db.url());

    const QList<MigctlRun> runs = migctl.runAll({
        args({"retry", "--error-class", "Timeout", "--dry-run"}),
        args({"retry", "--error-class", "Timeout", "--dry-run", "--json", "--reason", "r"}),
        args({"retry", "--user", "lt:1", "--user", "lt:2", "--user", "lt:1", "--dry-run"}),
    });
    for (const MigctlRun &run : runs)
        EXPECT_EXIT(run, 0);
    QVERIFY2(runs[0].out.startsWith("6 users will move from failed to pending"), runs[0].out.constData());
    QVERIFY(runs[0].out.contains("error class \"Timeout\""));
    QVERIFY(runs[0].out.contains("Dry run: nothing was changed."));
    const QJsonObject json = runs[1].json();
    QCOMPARE(json.value(QStringLiteral("dry_run")).toBool(), true);
    QCOMPARE(json.value(QStringLiteral("users")).toInteger(), 6);
    QVERIFY(runs[1].err.contains("6 users will move")); // the plan, beside the JSON
    QVERIFY2(runs[2].out.startsWith("2 users listed"), runs[2].out.constData());

    QCOMPARE(usersWithStatus(*writer, QStringLiteral("failed")).size(), 10);
    QCOMPARE(scalar(*writer, QStringLiteral("SELECT COUNT(*) FROM failed_records WHERE "
                                            "resolution IS NOT NULL")),
             0);
    QCOMPARE(scalar(*writer, QStringLiteral("SELECT COUNT(*) FROM queue_jobs")), 0);
    QCOMPARE(scalar(*writer, QStringLiteral("SELECT COUNT(*) FROM audit_log")), 1);
}

void MigctlTest::retryByFilterMovesExactlyTheFilteredUsers()
{
    TestDatabase db(m_server);
    auto store = db.installedStore();
    auto writer = db.openWriter();
    seedCatalogue(*writer);
    addUsers(*writer, QStringLiteral("lt"), 1, 20, UserStatus::Failed);
    addUsers(*writer, QStringLiteral("de"), 1, 5, UserStatus::Failed);
    addUsers(*writer, QStringLiteral("lt"), 21, 1, UserStatus::Completed);
    QSet<QString> expected;
    for (qint64 id = 1; id <= 21; ++id) {
        const bool timeout = id % 2 == 0 || id == 21;
        addFailure(*writer, {QStringLiteral("lt"), id}, 2,
                   timeout ? QStringLiteral("Timeout") : QStringLiteral("Invalid"), QStringLiteral("m"));
        if (timeout && id != 21)
            expected << QStringLiteral("lt:%1").arg(id);
    }
    for (qint64 id = 1; id <= 5; ++id)
        addFailure(*writer, {QStringLiteral("de"), id}, 2, QStringLiteral("Timeout"), QStringLiteral("m"));
    MigctlRunner migctl(db.url());

    const QString reason = QStringLiteral("upstream timeout fixed, ticket #4711");
    MigctlRun run = migctl.run({QStringLiteral("retry"), QStringLiteral("--error-class"),
                                QStringLiteral("Timeout"), QStringLiteral("--portal"),
                                QStringLiteral("lt"), kReason, reason, QStringLiteral("--yes"),
                                QStringLiteral("--json"), QStringLiteral("--batch-size"),
                                QStringLiteral("3")});
    EXPECT_EXIT(run, 0);
    QVERIFY2(!run.err.contains('\r'), run.err.constData()); // no progress line into a pipe
    const QJsonObject json = run.json();
    QCOMPARE(json.value(QStringLiteral("moved")).toInteger(), 10);
    QCOMPARE(json.value(QStringLiteral("not_failed")).toInteger(), 0);
    QCOMPARE(json.value(QStringLiteral("batches")).toInt(), 4);
    QCOMPARE(json.value(QStringLiteral("cancelled")).toBool(), false);
    QSet<QString> reported;
    for (const QJsonValue &outcome : json.value(QStringLiteral("outcomes")).toArray()) {
        QCOMPARE(outcome.toObject().value(QStringLiteral("outcome")).toString(), QStringLiteral("moved"));
        reported << outcome.toObject().value(QStringLiteral("user")).toString();
    }
    QCOMPARE(reported, expected);

    QCOMPARE(usersWithStatus(*writer, QStringLiteral("pending")), expected);
    QCOMPARE(usersWithStatus(*writer, QStringLiteral("failed")).size(), 10 + 5);
    QCOMPARE(statusOf(*writer, {QStringLiteral("lt"), 21}), QStringLiteral("completed"));
    QCOMPARE(scalar(*writer, QStringLiteral("SELECT COUNT(*) FROM queue_jobs WHERE queue_name = "
                                            "'serialize'")),
             10);
    const sql::Rows audit = writer->connection().query(QStringLiteral(
        "SELECT reason, os_user FROM audit_log WHERE action = 'retry_users'"));
    QCOMPARE(audit.size(), 4); // one per batch
    for (int r = 0; r < audit.size(); ++r) {
        QCOMPARE(audit.text(r, 0), reason);
        QCOMPARE(audit.text(r, 1), QStringLiteral("migctl-tester"));
    }

    // The same for people: the plan, then the summary.
    run = migctl.run({QStringLiteral("retry"), QStringLiteral("--error-class"),
                      QStringLiteral("Invalid"), kReason, QStringLiteral("second pass"),
                      QStringLiteral("--yes")});
    EXPECT_EXIT(run, 0);
    const QString text = QString::fromUtf8(run.out);
    QVERIFY2(text.startsWith(QStringLiteral("10 users will move from failed to pending")), qPrintable(text));
    QVERIFY2(text.contains(QRegularExpression(QStringLiteral("moved\\s+10\\n"))), qPrintable(text));
    QVERIFY2(text.contains(QRegularExpression(QStringLiteral("cancelled\\s+no\\n"))), qPrintable(text));
    QCOMPARE(usersWithStatus(*writer, QStringLiteral("failed")).size(), 5);
}

void MigctlTest::retryWithoutYesOnAPipeIsRefused()
{
    TestDatabase db(m_server);
    auto store = db.installedStore();
    auto writer = db.openWriter();
    seedCatalogue(*writer);
    addUsers(*writer, QStringLiteral("lt"), 1, 4, UserStatus::Failed);
    addUsers(*writer, QStringLiteral("lt"), 5, 1, UserStatus::Completed);
    for (qint64 id = 1; id <= 4; ++id)
        addFailure(*writer, {QStringLiteral("lt"), id}, 1, QStringLiteral("Timeout"), QStringLiteral("m"));
    MigctlRunner migctl(db.url());

    const QList<MigctlRun> runs = migctl.runAll({
        args({"retry", "--error-class", "Timeout", "--reason", "r"}),
        args({"retry", "--user", "lt:1", "--reason", "r"}),
        // Nothing to do: no failed user matches, or none of the listed users is failed.
        args({"retry", "--error-class", "NoSuchError", "--reason", "r", "--yes"}),
        args({"retry", "--user", "lt:5", "--user", "lt:99", "--reason", "r", "--yes"}),
    });
    for (const MigctlRun &run : runs)
        EXPECT_EXIT(run, 4);
    QVERIFY2(runs[0].err.contains("--yes"), runs[0].err.constData());
    QVERIFY(runs[0].out.startsWith("4 users will move")); // said how many before refusing
    QVERIFY2(runs[2].err.contains("nothing to do"), runs[2].err.constData());
    QVERIFY(runs[3].out.contains("not found"));

    QCOMPARE(usersWithStatus(*writer, QStringLiteral("failed")).size(), 4);
    QCOMPARE(statusOf(*writer, {QStringLiteral("lt"), 5}), QStringLiteral("completed"));
    QCOMPARE(scalar(*writer, QStringLiteral("SELECT COUNT(*) FROM audit_log")), 1);
    QCOMPARE(scalar(*writer, QStringLiteral("SELECT COUNT(*) FROM queue_jobs")), 0);
}

void MigctlTest::retryUsersFromFileReportsEachOutcome()
{
    TestDatabase db(m_server);
    auto store = db.installedStore();
    auto writer = db.openWriter();
    seedCatalogue(*writer);
    addUsers(*writer, QStringLiteral("lt"), 1, 3, UserStatus::Failed);
    addUsers(*writer, QStringLiteral("lt"), 4, 1, UserStatus::Completed);
    addUsers(*writer, QStringLiteral("lt"), 5, 1, UserStatus::Pending);
    MigctlRunner migctl(db.url());

    QTemporaryFile list, bad;
    const QString listPath = fileWith(list, "# support ticket 1234\n\nlt:1\n  lt:2  \r\nlt:4\n"
                                            "lt:5\nde:77\n# end\nlt:1\n");
    const QString badPath = fileWith(bad, "lt:3\n\n# next one is wrong\nlt-3\n");
    const QList<MigctlRun> refused = migctl.runAll({
        {QStringLiteral("retry"), QStringLiteral("--users-from"), badPath, kReason,
         QStringLiteral("r"), QStringLiteral("--yes")},
        {QStringLiteral("retry"), QStringLiteral("--users-from"), badPath + QStringLiteral(".missing"),
         kReason, QStringLiteral("r"), QStringLiteral("--yes")},
    });
    for (const MigctlRun &run : refused)
        EXPECT_EXIT(run, 2);
    QVERIFY2(refused[0].err.contains("line 4"), refused[0].err.constData());
    QCOMPARE(statusOf(*writer, {QStringLiteral("lt"), 3}), QStringLiteral("failed"));

    MigctlRun run = migctl.run({QStringLiteral("retry"), QStringLiteral("--users-from"), listPath,
                                kReason, QStringLiteral("ticket 1234"), QStringLiteral("--yes"),
                                QStringLiteral("--json")});
    EXPECT_EXIT(run, 0);
    const QJsonObject json = run.json();
    QCOMPARE(json.value(QStringLiteral("users")).toInteger(), 5); // distinct users listed
    QCOMPARE(json.value(QStringLiteral("moved")).toInteger(), 2);
    QCOMPARE(json.value(QStringLiteral("not_failed")).toInteger(), 2);
    QCOMPARE(json.value(QStringLiteral("not_found")).toInteger(), 1);
    QHash<QString, QString> outcome, before;
    for (const QJsonValue &value : json.value(QStringLiteral("outcomes")).toArray()) {
        const QJsonObject o = value.toObject();
        outcome.insert(o.value(QStringLiteral("user")).toString(), o.value(QStringLiteral("outcome")).toString());
        before.insert(o.value(QStringLiteral("user")).toString(),
                      o.value(QStringLiteral("status_before")).toString());
    }
    QCOMPARE(outcome.value(QStringLiteral("lt:1")), QStringLiteral("moved"));
    QCOMPARE(outcome.value(QStringLiteral("lt:2")), QStringLiteral("moved"));
    QCOMPARE(outcome.value(QStringLiteral("lt:4")), QStringLiteral("not_failed"));
    QCOMPARE(before.value(QStringLiteral("lt:4")), QStringLiteral("completed"));
    QCOMPARE(outcome.value(QStringLiteral("lt:5")), QStringLiteral("not_failed"));
    QCOMPARE(outcome.value(QStringLiteral("de:77")), QStringLiteral("not_found"));
    QCOMPARE(usersWithStatus(*writer, QStringLiteral("pending")),
             (QSet<QString>{QStringLiteral("lt:1"), QStringLiteral("lt:2"), QStringLiteral("lt:5")}));
    QCOMPARE(statusOf(*writer, {QStringLiteral("lt"), 4}), QStringLiteral("completed"));

    // `-` reads the list from stdin; the summary is for people.
    run = migctl.run({QStringLiteral("retry"), QStringLiteral("--users-from"), QStringLiteral("-"),
                      kReason, QStringLiteral("from a pipe"), QStringLiteral("--yes")},
                     "lt:3\nlt:4\nfr:1\n");
    EXPECT_EXIT(run, 0);
    const QString text = QString::fromUtf8(run.out);
    QVERIFY2(text.contains(QRegularExpression(QStringLiteral("moved\\s+1\\n"))), qPrintable(text));
    QVERIFY2(text.contains(QRegularExpression(QStringLiteral("not failed\\s+1\\n"))), qPrintable(text));
    QVERIFY2(text.contains(QRegularExpression(QStringLiteral("not found\\s+1\\n"))), qPrintable(text));
    QVERIFY2(text.contains(QRegularExpression(QStringLiteral("lt:4\\s+not failed\\s+completed"))),
             qPrintable(text));
    QCOMPARE(statusOf(*writer, {QStringLiteral("lt"), 3}), QStringLiteral("pending"));
}

void MigctlTest::retryCancelledByCtrlCLeavesUsersMovedOrUntouched()
{
#ifndef Q_OS_UNIX
    QSKIP("sends SIGINT with kill(2)");
#else
    TestDatabase db(m_server);
    auto store = db.installedStore();
    auto writer = db.openWriter();
    seedCatalogue(*writer);
    constexpr int kUsers = 5000;
    addUsers(*writer, QStringLiteral("lt"), 1, kUsers, UserStatus::Failed);
    QByteArray listed;
    for (int id = 1; id <= kUsers; ++id)
        listed += "lt:" + QByteArray::number(id) + '\n';
    QTemporaryFile list;
    const QString path = fileWith(list, listed);

    // Small batches, so that the run is still going when Ctrl-C arrives.
    auto process = MigctlRunner(db.url()).start(
        {QStringLiteral("retry"), QStringLiteral("--users-from"), path, kReason,
         QStringLiteral("cancel me"), QStringLiteral("--yes"), QStringLiteral("--json"),
         QStringLiteral("--batch-size"), QStringLiteral("5")});
    const QString pending = QStringLiteral("SELECT COUNT(*) FROM user_migrations WHERE status = "
                                           "'pending'");
    QTRY_VERIFY_WITH_TIMEOUT(scalar(*writer, pending) > 0, 20'000);
    QCOMPARE(::kill(pid_t(process->processId()), SIGINT), 0);
    QVERIFY(process->waitForFinished(30'000));
    QCOMPARE(process->exitStatus(), QProcess::NormalExit);
    QCOMPARE(process->exitCode(), 4); // cancelled: not everything was done
    const QByteArray err = process->readAllStandardError();
    QVERIFY2(err.contains("cancelled after"), err.constData());
    MigctlRun run;
    run.out = process->readAllStandardOutput();
    const QJsonObject json = run.json();
    QCOMPARE(json.value(QStringLiteral("cancelled")).toBool(), true);
    const qint64 moved = json.value(QStringLiteral("moved")).toInteger();
    const int batches = json.value(QStringLiteral("batches")).toInt();
    QVERIFY2(moved > 0 && moved < kUsers, qPrintable(QString::number(moved)));
    QCOMPARE(moved, qint64(batches) * 5); // whole batches only
    QCOMPARE(json.value(QStringLiteral("outcomes")).toArray().size(), moved);

    // Every user either moved in a committed batch or untouched; one audit entry per batch.
    QCOMPARE(scalar(*writer, pending), moved);
    QCOMPARE(scalar(*writer, QStringLiteral("SELECT COUNT(*) FROM user_migrations WHERE status "
                                            "= 'failed'")),
             kUsers - moved);
    QCOMPARE(scalar(*writer, QStringLiteral("SELECT COUNT(*) FROM queue_jobs")), moved);
    QCOMPARE(scalar(*writer, QStringLiteral("SELECT COUNT(*) FROM audit_log WHERE action = "
                                            "'retry_users'")),
             batches);
#endif
}
