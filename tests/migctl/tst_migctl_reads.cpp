// migctl: the read commands, checked against what was written with FleetWriter and plain SQL.

#include "tst_migctl.h"

#include "sql/sql_connection.h"

#include <QDateTime>
#include <QJsonArray>
#include <QRandomGenerator>
#include <QRegularExpression>
#include <QSet>
#include <QTest>

#include <cmath>

using namespace mc;
using namespace mc::test;

namespace {

QJsonObject findIn(const QJsonArray &array, const QString &key, const QString &value)
{
    for (const QJsonValue &item : array)
        if (item.toObject().value(key).toString() == value)
            return item.toObject();
    return {};
}

QString iso(EpochMs ms)
{
    return QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC).toString(Qt::ISODateWithMs);
}

// Every failure id `failures` lists for these filter flags, following --after page by page.
QList<qint64> pagedIds(const MigctlRunner &migctl, const QStringList &filter, int limit)
{
    QList<qint64> ids;
    QString after;
    for (int page = 0; page < 1000; ++page) {
        QStringList args{QStringLiteral("failures"), QStringLiteral("--json"),
                         QStringLiteral("--limit"), QString::number(limit)};
        args << filter;
        if (!after.isEmpty())
            args << QStringLiteral("--after") << after;
        const MigctlRun run = migctl.run(args);
        if (run.exitCode != 0)
            qFatal("%s", qPrintable(run.describe()));
        const QJsonObject json = run.json();
        for (const QJsonValue &row : json.value(QStringLiteral("rows")).toArray())
            ids << row.toObject().value(QStringLiteral("id")).toInteger();
        if (json.value(QStringLiteral("next")).isNull())
            break;
        after = json.value(QStringLiteral("next")).toString();
    }
    return ids;
}

} // namespace

void MigctlTest::statusJsonShowsWhatWasWritten()
{
    TestDatabase db(m_server);
    auto store = db.installedStore();
    auto writer = db.openWriter();
    seedCatalogue(*writer);
    std::vector<NewUser> users = usersWithStatuses(QStringLiteral("lt"), 23, 1);
    const std::vector<NewUser> de = usersWithStatuses(QStringLiteral("de"), 12, 1);
    users.insert(users.end(), de.begin(), de.end());
    writer->addUsers(users);
    QHash<QString, qint64> byStatus;
    for (const NewUser &user : users)
        ++byStatus[statusName(user.status)];
    writer->setProgress({QStringLiteral("lt"), 1}, 2, 40, 30, 20, 2);
    writer->setProgress({QStringLiteral("lt"), 2}, 2, 10, 10, 10, 0);
    writer->setProgress({QStringLiteral("de"), 1}, 1, 1, 1, 0, 1);
    for (qint64 id = 1; id <= 3; ++id)
        writer->addJob(QStringLiteral("serialize"), {QStringLiteral("lt"), id}, false);
    writer->addJob(QStringLiteral("create_high"), {QStringLiteral("lt"), 4}, true);
    writer->addSample({kT0, 2, QString(), 5, 0, 1, 100, 0, 0, 0}); // long ago

    MigctlRunner migctl(db.url());
    MigctlRun run = migctl.run({QStringLiteral("status"), QStringLiteral("--json")});
    EXPECT_EXIT(run, 0);
    QJsonObject json = run.json();
    QVERIFY(json.value(QStringLiteral("throughput")).toObject().value(QStringLiteral("stale")).toBool());
    QVERIFY(json.value(QStringLiteral("eta")).toObject().value(QStringLiteral("seconds")).isNull());

    // One minute of fresh buckets: 27 users completed in it.
    const EpochMs latest = QDateTime::currentMSecsSinceEpoch() / 10'000 * 10'000 - 10'000;
    for (int i = 0; i < 6; ++i) {
        writer->addSample({latest - i * 10'000, 2, QString(), 10, 1, 2, i + 1, 0, 0, 0});
        writer->addSample({latest - i * 10'000, 1, QString(), 3, 0, 1, 1, 1, 0, 0});
        writer->addSample({latest - i * 10'000, 0, QStringLiteral("serialize"), 0, 0, 0, 0, 0,
                           50 + i, 2});
    }
    run = migctl.run({QStringLiteral("status"), QStringLiteral("--json")});
    EXPECT_EXIT(run, 0);
    json = run.json();

    const QJsonObject counts = json.value(QStringLiteral("users")).toObject();
    for (UserStatus status : kAllUserStatuses)
        QCOMPARE(counts.value(statusName(status)).toInteger(), byStatus.value(statusName(status)));
    QCOMPARE(counts.value(QStringLiteral("total")).toInteger(), qint64(users.size()));
    const double failed = double(byStatus.value(QStringLiteral("failed")));
    QCOMPARE(json.value(QStringLiteral("failure_rate")).toDouble(),
             failed / (failed + double(byStatus.value(QStringLiteral("completed")))));

    const QJsonArray models = json.value(QStringLiteral("models")).toArray();
    QCOMPARE(models.size(), 3);
    const QJsonObject items = findIn(models, QStringLiteral("name"), QStringLiteral("items"));
    QCOMPARE(items.value(QStringLiteral("id")).toInt(), 2);
    QCOMPARE(items.value(QStringLiteral("users")).toInteger(), 2);
    QCOMPARE(items.value(QStringLiteral("records_total")).toInteger(), 50);
    QCOMPARE(items.value(QStringLiteral("serialized")).toInteger(), 40);
    QCOMPARE(items.value(QStringLiteral("created")).toInteger(), 30);
    QCOMPARE(items.value(QStringLiteral("failed")).toInteger(), 2);
    QCOMPARE(items.value(QStringLiteral("done_percent")).toDouble(), 60.0);

    const QJsonArray queues = json.value(QStringLiteral("queues")).toArray();
    const QJsonObject serialize = findIn(queues, QStringLiteral("name"), QStringLiteral("serialize"));
    QCOMPARE(serialize.value(QStringLiteral("parallelism")).toInt(), 4);
    QCOMPARE(serialize.value(QStringLiteral("depth")).toInteger(), 3);
    QCOMPARE(serialize.value(QStringLiteral("paused")).toBool(), false);
    QCOMPARE(serialize.value(QStringLiteral("version")).toInteger(), 1);
    QCOMPARE(findIn(queues, QStringLiteral("name"), QStringLiteral("create_high"))
                 .value(QStringLiteral("in_progress")).toInteger(), 1);

    const QJsonObject lt = findIn(json.value(QStringLiteral("rollout")).toArray(),
                                  QStringLiteral("portal"), QStringLiteral("lt"));
    QCOMPARE(lt.value(QStringLiteral("basis_points")).toInt(), 500);
    QCOMPARE(lt.value(QStringLiteral("percent")).toDouble(), 5.0);

    const QJsonObject throughput = json.value(QStringLiteral("throughput")).toObject();
    QVERIFY(!throughput.value(QStringLiteral("stale")).toBool());
    QCOMPARE(throughput.value(QStringLiteral("latest_bucket")).toString(), iso(latest));
    const QJsonArray buckets = throughput.value(QStringLiteral("buckets")).toArray();
    QCOMPARE(buckets.size(), 6);
    QCOMPARE(buckets.last().toObject().value(QStringLiteral("users_completed")).toInteger(), 2);
    QCOMPARE(buckets.last().toObject().value(QStringLiteral("queue_depth")).toInteger(), 50);
    QCOMPARE(throughput.value(QStringLiteral("users_completed_per_minute")).toDouble(), 27.0);
    const QJsonObject eta = json.value(QStringLiteral("eta")).toObject();
    const qint64 backlog = byStatus.value(QStringLiteral("pending"))
                           + byStatus.value(QStringLiteral("in_progress"));
    QCOMPARE(eta.value(QStringLiteral("backlog_users")).toInteger(), backlog);
    QCOMPARE(eta.value(QStringLiteral("seconds")).toInteger(),
             qint64(std::ceil(double(backlog) * 60.0 / 27.0)));

    run = migctl.run({QStringLiteral("status")});
    EXPECT_EXIT(run, 0);
    QVERIFY2(run.out.contains("Users completed per minute: 27.0"), run.out.constData());
    QVERIFY2(run.out.contains(QStringLiteral("ETA: %1 users in the backlog").arg(backlog).toUtf8()),
             run.out.constData());
}

void MigctlTest::failuresPagesVisitEveryRowOnce()
{
    TestDatabase db(m_server);
    auto store = db.installedStore();
    auto writer = db.openWriter();
    seedCatalogue(*writer);
    addUsers(*writer, QStringLiteral("lt"), 1, 10, UserStatus::Failed);
    addUsers(*writer, QStringLiteral("de"), 1, 10, UserStatus::Failed);
    struct Written { qint64 id; QString portal; int model; QString errorClass; EpochMs at; };
    QList<Written> written;
    for (int i = 0; i < 37; ++i) {
        const QString portal = i % 4 == 0 ? QStringLiteral("de") : QStringLiteral("lt");
        const int model = 1 + i % 3;
        const QString errorClass = i % 2 ? QStringLiteral("A") : QStringLiteral("B");
        const EpochMs at = kT0 + (i / 3) * 1000; // ties of three: the id breaks them
        const qint64 id = addFailure(*writer, {portal, 1 + i % 10}, model, errorClass,
                                     QStringLiteral("failure %1").arg(i), at);
        written.append({id, portal, model, errorClass, at});
    }
    writer->connection().exec(QStringLiteral("UPDATE failed_records SET resolution = 'ignored' "
                                             "WHERE id = $1"),
                              {written[5].id});
    auto expected = [&](auto keep) {
        QList<Written> rows;
        for (const Written &w : written)
            if (keep(w))
                rows << w;
        std::sort(rows.begin(), rows.end(), [](const Written &a, const Written &b) {
            return a.at != b.at ? a.at > b.at : a.id > b.id;
        });
        QList<qint64> ids;
        for (const Written &w : rows)
            ids << w.id;
        return ids;
    };
    MigctlRunner migctl(db.url());

    QCOMPARE(pagedIds(migctl, {}, 5), expected([&](const Written &w) { return w.id != written[5].id; }));
    QCOMPARE(pagedIds(migctl, {QStringLiteral("--include-resolved")}, 4),
             expected([](const Written &) { return true; }));
    const QStringList filter{QStringLiteral("--model"), QStringLiteral("items"),
                             QStringLiteral("--error-class"), QStringLiteral("A"),
                             QStringLiteral("--portal"), QStringLiteral("lt"),
                             QStringLiteral("--since"), iso(kT0 + 1000),
                             QStringLiteral("--until"), iso(kT0 + 10'000)};
    const QList<qint64> narrowed = expected([&](const Written &w) {
        return w.model == 2 && w.errorClass == QLatin1String("A") && w.portal == QLatin1String("lt")
               && w.at >= kT0 + 1000 && w.at < kT0 + 10'000 && w.id != written[5].id;
    });
    QVERIFY(narrowed.size() >= 2);
    QCOMPARE(pagedIds(migctl, filter, 1), narrowed);

    // Ages count back from now: the rows above failed a year before this run.
    QVERIFY(pagedIds(migctl, {QStringLiteral("--since"), QStringLiteral("1h")}, 50).isEmpty());
    QCOMPARE(pagedIds(migctl, {QStringLiteral("--since"), QStringLiteral("3650d"),
                               QStringLiteral("--until"), QStringLiteral("15m")}, 50),
             pagedIds(migctl, {}, 50));

    // For people: a table, and the flag that gives the next page.
    const MigctlRun table = migctl.run({QStringLiteral("failures"), QStringLiteral("--limit"),
                                        QStringLiteral("5")});
    EXPECT_EXIT(table, 0);
    QCOMPARE(table.out.count('\n'), 1 + 5 + 1);
    const QRegularExpressionMatch more =
        QRegularExpression(QStringLiteral("add --after (\\S+)")).match(QString::fromUtf8(table.out));
    QVERIFY2(more.hasMatch(), table.out.constData());
    const MigctlRun second = migctl.run({QStringLiteral("failures"), QStringLiteral("--limit"),
                                         QStringLiteral("5"), QStringLiteral("--after"),
                                         more.captured(1), QStringLiteral("--json")});
    EXPECT_EXIT(second, 0);
    QCOMPARE(second.json().value(QStringLiteral("rows")).toArray().first().toObject()
                 .value(QStringLiteral("id")).toInteger(),
             pagedIds(migctl, {}, 5).at(5));
}

void MigctlTest::failureShowPayloadIsTheExactBytes()
{
    TestDatabase db(m_server);
    auto store = db.installedStore();
    auto writer = db.openWriter();
    seedCatalogue(*writer);
    addUsers(*writer, QStringLiteral("lt"), 1, 1, UserStatus::Failed);
    QByteArray binary;
    for (int round = 0; round < 4; ++round)
        for (int b = 0; b < 256; ++b)
            binary.append(char(b));
    binary.append("\xff\xfe\x00\r\n\x1b[2J", 9);
    QByteArray large(3 * 1024 * 1024 + 7, Qt::Uninitialized);
    QRandomGenerator random(42);
    for (char &c : large)
        c = char(random.bounded(256));

    QList<qint64> ids;
    for (const QByteArray &payload : {binary, large, QByteArray()}) {
        NewFailure failure;
        failure.user = {QStringLiteral("lt"), 1};
        failure.modelId = 2;
        failure.payload = payload;
        failure.contentType = QStringLiteral("application/octet-stream");
        failure.errorClass = QStringLiteral("Encoding::UndefinedConversionError");
        failure.message = QStringLiteral("\"\\xFF\" from ASCII-8BIT to UTF-8");
        failure.backtrace = QStringLiteral("a.rb:1\nb.rb:2");
        ids << writer->addFailure(failure);
    }
    MigctlRunner migctl(db.url());
    const QList<MigctlRun> raw = migctl.runAll({
        {QStringLiteral("failure"), QStringLiteral("show"), QString::number(ids[0]), QStringLiteral("--payload")},
        {QStringLiteral("failure"), QStringLiteral("show"), QString::number(ids[1]), QStringLiteral("--payload")},
        {QStringLiteral("failure"), QStringLiteral("show"), QString::number(ids[2]), QStringLiteral("--payload")},
        {QStringLiteral("failure"), QStringLiteral("show"), QString::number(ids[0]), QStringLiteral("--json")},
        {QStringLiteral("failure"), QStringLiteral("show"), QString::number(ids[0])},
    });
    for (const MigctlRun &run : raw)
        EXPECT_EXIT(run, 0);
    QCOMPARE(raw[0].out, binary);
    QVERIFY(raw[1].out == large); // QCOMPARE would print 3 MB on failure
    QCOMPARE(raw[2].out, QByteArray());
    const QJsonObject json = raw[3].json();
    QCOMPARE(QByteArray::fromBase64(json.value(QStringLiteral("payload_base64")).toString().toLatin1()),
             binary);
    QCOMPARE(json.value(QStringLiteral("payload_size")).toInteger(), binary.size());
    QCOMPARE(json.value(QStringLiteral("content_type")).toString(),
             QStringLiteral("application/octet-stream"));
    const QString text = QString::fromUtf8(raw[4].out);
    QVERIFY2(text.contains(QStringLiteral("Encoding::UndefinedConversionError")), qPrintable(text));
    QVERIFY2(text.contains(QStringLiteral("  b.rb:2")), qPrintable(text));
    QVERIFY2(text.contains(QStringLiteral("1.0 KiB (1033 bytes), application/octet-stream")),
             qPrintable(text));
}

void MigctlTest::errorsAndUserShowMatchTheDatabase()
{
    TestDatabase db(m_server);
    auto store = db.installedStore();
    auto writer = db.openWriter();
    seedCatalogue(*writer);
    addUsers(*writer, QStringLiteral("lt"), 1, 2, UserStatus::Failed);
    const UserKey one{QStringLiteral("lt"), 1};
    const qint64 a = addFailure(*writer, one, 2, QStringLiteral("Timeout"), QStringLiteral("after 30 s"));
    const qint64 b = addFailure(*writer, {QStringLiteral("lt"), 2}, 3, QStringLiteral("Timeout"),
                                QStringLiteral("after 45 s"));
    addFailure(*writer, one, 1, QStringLiteral("Invalid"), QStringLiteral("bad 'x'"));
    writer->setProgress(one, 2, 12, 12, 11, 1);
    writer->addMapping(2, one, 77, 9077);
    MigctlRunner migctl(db.url());

    MigctlRun run = migctl.run({QStringLiteral("errors"), QStringLiteral("--json")});
    EXPECT_EXIT(run, 0);
    const QJsonArray groups = run.json().value(QStringLiteral("groups")).toArray();
    QCOMPARE(groups.size(), 2);
    const QJsonObject timeout = groups.first().toObject(); // the biggest group first
    QCOMPARE(timeout.value(QStringLiteral("error_class")).toString(), QStringLiteral("Timeout"));
    QCOMPARE(timeout.value(QStringLiteral("failures")).toInteger(), 2);
    QCOMPARE(timeout.value(QStringLiteral("models")).toArray().size(), 2);
    run = migctl.run({QStringLiteral("failures"), QStringLiteral("--json"), QStringLiteral("--group"),
                      timeout.value(QStringLiteral("fingerprint")).toString()});
    EXPECT_EXIT(run, 0);
    QSet<qint64> inGroup;
    for (const QJsonValue &row : run.json().value(QStringLiteral("rows")).toArray())
        inGroup << row.toObject().value(QStringLiteral("id")).toInteger();
    QCOMPARE(inGroup, (QSet<qint64>{a, b}));
    EXPECT_EXIT(migctl.run({QStringLiteral("errors")}), 0);

    run = migctl.run({QStringLiteral("user"), QStringLiteral("show"), QStringLiteral("lt:1"),
                      QStringLiteral("--json")});
    EXPECT_EXIT(run, 0);
    const QJsonObject dossier = run.json();
    QCOMPARE(dossier.value(QStringLiteral("migration")).toObject().value(QStringLiteral("status")).toString(),
             QStringLiteral("failed"));
    QCOMPARE(dossier.value(QStringLiteral("failures")).toArray().size(), 2);
    const QJsonObject progress = dossier.value(QStringLiteral("progress")).toArray().first().toObject();
    QCOMPARE(progress.value(QStringLiteral("name")).toString(), QStringLiteral("items"));
    QCOMPARE(progress.value(QStringLiteral("created")).toInteger(), 11);
    QCOMPARE(dossier.value(QStringLiteral("mappings")).toArray().first().toObject()
                 .value(QStringLiteral("target_id")).toInteger(), 9077);
    run = migctl.run({QStringLiteral("user"), QStringLiteral("show"), QStringLiteral("lt:1")});
    EXPECT_EXIT(run, 0);
    QVERIFY2(QString::fromUtf8(run.out).contains(QRegularExpression(QStringLiteral("\n  status\\s+failed\n"))),
             run.out.constData());
}
