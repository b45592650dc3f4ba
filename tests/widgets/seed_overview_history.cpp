// seed-overview-history: fills a fresh merge database with a migration in progress and the last
// hours of its throughput, with the operator actions that shaped it, ending at the server's "now".
// Deterministic. For screenshots and for looking at the console without a running fleet:
//
//   seed-overview-history --server URL --database NAME [--hours H] [--empty | --drop]
//
// URL names any database on the server (it is used to drop and create NAME); prints NAME's URL.
// --empty only recreates NAME (for merge-sim to seed); --drop only drops it.

#include "connection_url.h"
#include "fleet_writer.h"
#include "merge_store.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QRandomGenerator>
#include <QRegularExpression>

#include <cmath>
#include <cstdio>

using namespace mc;

namespace {

constexpr qint64 kBucket = 10'000;
constexpr qint64 kMinute = 60'000;

struct ModelSpec
{
    int id;
    const char *name;
    bool high;   // throughput class
    double rate; // records/s at full speed
    int records; // typical records per user
};

const ModelSpec kModels[] = {
    {1, "users", true, 3.0, 1},          {2, "items", true, 42.0, 60},
    {3, "item_photos", true, 66.0, 140}, {4, "followers", false, 12.0, 25},
    {5, "liked_items", false, 21.0, 45}, {6, "messages", false, 6.5, 12},
    {7, "feedback", false, 2.0, 4},      {8, "favourites", false, 9.0, 18},
};

// The story the charts tell, in milliseconds before now.
constexpr qint64 kRolloutAt = 250 * kMinute;     // de 10 % → 25 %: more users arrive
constexpr qint64 kParallelismAt = 150 * kMinute; // create_high 8 → 16: high models speed up
constexpr qint64 kIncidentFrom = 75 * kMinute;   // item photos fail (CDN timeouts) …
constexpr qint64 kIncidentUntil = 62 * kMinute;  // … until fixed
constexpr qint64 kRetryAt = 50 * kMinute;        // the failed users are retried
constexpr qint64 kPauseAt = 25 * kMinute;        // create_low paused for a schema change …
constexpr qint64 kResumeAt = 19 * kMinute;       // … and resumed

// INSERTs of many rows, a few hundred a statement.
void insertRows(sql::Connection &c, const QString &head, const QString &rowTemplate,
                const QList<QVariantList> &rows)
{
    constexpr int kRowsPerStatement = 300;
    for (qsizetype first = 0; first < rows.size(); first += kRowsPerStatement) {
        QStringList values;
        QVariantList params;
        for (qsizetype r = first; r < std::min(rows.size(), first + kRowsPerStatement); ++r) {
            // $N of the template becomes the placeholder of this row's N-th value.
            QString row;
            qsizetype done = 0;
            static const QRegularExpression placeholder(QStringLiteral("\\$(\\d+)"));
            for (const QRegularExpressionMatch &m : placeholder.globalMatch(rowTemplate)) {
                row += rowTemplate.mid(done, m.capturedStart() - done);
                row += QStringLiteral("$%1").arg(params.size() + m.captured(1).toInt());
                done = m.capturedEnd();
            }
            values << row + rowTemplate.mid(done);
            params += rows[r];
        }
        c.exec(head + values.join(QLatin1Char(',')), params);
    }
}

void seedCatalogue(FleetWriter &w)
{
    const std::pair<const char *, const char *> portals[] = {
        {"lt", "Lithuania"}, {"de", "Germany"}, {"pl", "Poland"}, {"fr", "France"}};
    for (const auto &[code, name] : portals)
        w.addPortal({QString::fromLatin1(code), QString::fromLatin1(name), QStringLiteral("source")});
    w.addPortal({QStringLiteral("target"), QStringLiteral("Target"), QStringLiteral("target")});
    for (const ModelSpec &m : kModels)
        w.addModel({m.id, QString::fromLatin1(m.name), m.id, QString(), QString(), {},
                    m.high ? QStringLiteral("high") : QStringLiteral("low")});
    w.addQueue(QStringLiteral("serialize"), 8, 1000, 5);
    w.addQueue(QStringLiteral("create_high"), 16, 500, 5);
    w.addQueue(QStringLiteral("create_low"), 4, 2000, 5);
    w.addRolloutFlag(QStringLiteral("merge"), QStringLiteral("lt"), 10000);
    w.addRolloutFlag(QStringLiteral("merge"), QStringLiteral("de"), 2500);
    w.addRolloutFlag(QStringLiteral("merge"), QStringLiteral("pl"), 500);
    w.addRolloutFlag(QStringLiteral("merge"), QStringLiteral("fr"), 0);
}

void seedUsersAndProgress(FleetWriter &w, QRandomGenerator &random, EpochMs now, int hours)
{
    const QStringList portals{QStringLiteral("lt"), QStringLiteral("de"), QStringLiteral("pl")};
    std::vector<NewUser> users;
    QList<QVariantList> progress;
    for (int i = 0; i < 12'000; ++i) {
        NewUser user;
        user.user = UserKey{portals[i % 3], 100'000 + i};
        const int roll = int(random.bounded(1000));
        user.status = roll < 580   ? UserStatus::Completed
                      : roll < 605 ? UserStatus::Failed
                      : roll < 635 ? UserStatus::InProgress
                      : roll < 790 ? UserStatus::Pending
                                   : UserStatus::Nil;
        // Most users take a minute or two; a long tail takes a quarter of an hour.
        const qint64 took = 20'000 + qint64(std::pow(random.generateDouble(), 3) * 900'000.0)
                            + qint64(random.bounded(60'000));
        if (user.status == UserStatus::Completed || user.status == UserStatus::Failed) {
            user.finishedAt = now - qint64(random.generateDouble() * hours * 3'600'000.0);
            user.startedAt = *user.finishedAt - took;
            user.requestedAt = *user.startedAt - qint64(random.bounded(3'600'000));
        } else if (user.status == UserStatus::InProgress) {
            user.startedAt = now - qint64(random.bounded(600'000));
            user.requestedAt = *user.startedAt - qint64(random.bounded(3'600'000));
        }
        users.push_back(user);
        if (user.status == UserStatus::Nil || user.status == UserStatus::Pending)
            continue;
        for (const ModelSpec &m : kModels) {
            const qint64 total = m.records == 1 ? 1 : m.records / 2 + random.bounded(m.records);
            qint64 serialized = total, failed = 0;
            if (user.status == UserStatus::InProgress)
                serialized = total * qint64(random.bounded(11)) / 10;
            if (user.status == UserStatus::Failed && m.id == 3)
                failed = std::min<qint64>(total, 1 + random.bounded(6));
            else if (random.bounded(400) == 0)
                failed = 1;
            failed = std::min(failed, serialized);
            const qint64 created = user.status == UserStatus::InProgress ? serialized / 2
                                                                         : serialized - failed;
            progress.append({user.user.portal, user.user.userId, m.id, total, serialized, created,
                             failed});
        }
    }
    w.addUsers(users);
    insertRows(w.connection(),
               QStringLiteral("INSERT INTO model_progress (source_portal, source_user_id, model_id, "
                              "records_total, serialized, created, failed) VALUES "),
               QStringLiteral("($1, $2, $3, $4, $5, $6, $7)"), progress);
}

double wave(qint64 t, double period, double phase)
{
    return 1.0 + 0.08 * std::sin(double(t) / period + phase);
}

void seedSamples(FleetWriter &w, QRandomGenerator &random, EpochMs now, int hours)
{
    const EpochMs end = now - now % kBucket;
    const EpochMs start = end - hours * 3'600'000LL;
    QList<QVariantList> rows;
    // Queue depths wander around a level that each phase of the story sets.
    double serializeDepth = 150, highDepth = 4200, lowDepth = 300;
    auto drift = [&](double &depth, double level, double pull, double jitter) {
        depth += (level - depth) * pull + jitter * (random.generateDouble() - 0.5);
        depth = std::max(0.0, depth);
    };
    for (EpochMs at = start; at < end; at += kBucket) {
        const qint64 ago = end - at;
        auto noise = [&] { return 0.85 + 0.3 * random.generateDouble(); };
        const bool afterRollout = ago <= kRolloutAt;
        const bool fasterHigh = ago <= kParallelismAt;
        const bool incident = ago <= kIncidentFrom && ago > kIncidentUntil;
        const bool lowPaused = ago <= kPauseAt && ago > kResumeAt;
        const bool lowDraining = ago <= kResumeAt && ago > kResumeAt - 6 * kMinute;
        for (const ModelSpec &m : kModels) {
            double speed = m.high ? (fasterHigh ? 1.0 : 0.55) : (lowPaused ? 0.0 : 0.9);
            if (!m.high && lowDraining)
                speed = 1.35; // the backlog of the pause drains
            const double records = m.rate * 10.0 * speed * noise() * wave(at, 2.2e6, m.id);
            double failRate = 0.002;
            if (incident && m.id == 3)
                failRate = 0.09;
            const qint64 created = qint64(std::llround(records * (1 - failRate)));
            const qint64 failed = qint64(std::llround(records * failRate * noise()));
            rows.append({at, m.id, QString(), created, failed, 0, 0, 0, 0, 0});
        }
        // Users arrive faster after the rollout step; finish faster once create_high is wider.
        const double arriving = (afterRollout ? 7.5 : 4.2) * noise() * wave(at, 2e6, 0.3);
        const double finishing = (fasterHigh ? 7.2 : 3.8) * (lowPaused ? 0.4 : 1.0) * noise();
        const double failing = (incident ? 1.6 : 0.08) * noise();
        drift(serializeDepth, !afterRollout ? 150 : !fasterHigh ? 1400 : 320, 0.004, 40);
        drift(highDepth, !afterRollout ? 4200 : !fasterHigh ? 6100 : 900, 0.003, 90);
        drift(lowDepth, lowPaused ? 2600 : lowDraining ? 250 : 330, lowPaused ? 0.03 : 0.01, 30);
        const qint64 started = qint64(std::llround(arriving));
        rows.append({at, 0, QStringLiteral("serialize"), 0, 0, started, 0, 0,
                     qint64(serializeDepth), qint64(std::min(8.0, serializeDepth))});
        rows.append({at, 0, QStringLiteral("create_high"), 0, 0, 0,
                     qint64(std::llround(finishing)), qint64(std::llround(failing)),
                     qint64(highDepth), fasterHigh ? 16 - qint64(random.bounded(2)) : 8});
        rows.append({at, 0, QStringLiteral("create_low"), 0, 0, 0, 0, 0, qint64(lowDepth),
                     lowPaused ? 0 : 4 - qint64(random.bounded(2))});
    }
    insertRows(w.connection(),
               QStringLiteral("INSERT INTO throughput_samples (bucket_start, model_id, queue_name, "
                              "records_created, records_failed, users_started, users_completed, "
                              "users_failed, queue_depth, jobs_in_progress) VALUES "),
               QStringLiteral("({ts:$1}, $2, $3, $4, $5, $6, $7, $8, $9, $10)"), rows);
}

void seedOperatorActions(FleetWriter &w, EpochMs now)
{
    auto action = [&](qint64 ago, const char *who, const char *what, const char *target,
                      const char *before, const char *after, const char *reason) {
        return QVariantList{now - ago, QStringLiteral("lead"), QString::fromLatin1(who),
                            QString::fromLatin1(what), QString::fromLatin1(target),
                            QString::fromLatin1(before), QString::fromLatin1(after),
                            QString::fromLatin1(reason)};
    };
    QList<QVariantList> rows{
        action(kRolloutAt, "ruta", "set_rollout", "rollout:merge:de", R"({"percentage":"10.00"})",
               R"({"percentage":"25.00"})", "de error rate below 1 % for a day"),
        action(kParallelismAt, "ruta", "set_queue", "queue:create_high", R"({"parallelism":8})",
               R"({"parallelism":16})", "create_high cannot keep up with the influx"),
        action(kRetryAt, "jonas", "retry_users", "de: 1000 users", R"({"status":"failed"})",
               R"({"status":"pending"})", "CDN timeouts fixed; retry the photo failures"),
        action(kRetryAt - 4'000, "jonas", "retry_users", "lt: 412 users", R"({"status":"failed"})",
               R"({"status":"pending"})", "CDN timeouts fixed; retry the photo failures"),
        action(kPauseAt, "ruta", "set_queue", "queue:create_low", R"({"paused":false})",
               R"({"paused":true})", "target schema change on followers"),
        action(kResumeAt, "ruta", "set_queue", "queue:create_low", R"({"paused":true})",
               R"({"paused":false})", "schema change done"),
    };
    // The audit log stamps who and when, but lets its owner import history (004_roles.sql).
    w.connection().exec(w.connection().backend() == sql::Backend::PostgreSQL
                            ? QStringLiteral("SET mc.audit_import = 'on'")
                            : QStringLiteral("SET @mc_audit_import = 1"));
    insertRows(w.connection(),
               QStringLiteral("INSERT INTO audit_log (at, database_user, os_user, action, target, "
                              "before_state, after_state, reason) VALUES "),
               QStringLiteral("({ts:$1}, $2, $3, $4, $5, $6, $7, $8)"), rows);
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Seeds a fresh merge database with a "
                                                    "migration in progress and its history."));
    parser.addHelpOption();
    const QCommandLineOption server(QStringLiteral("server"), QStringLiteral("Any database on "
                                    "the server, to drop and create --database."),
                                    QStringLiteral("url"));
    const QCommandLineOption database(QStringLiteral("database"),
                                      QStringLiteral("The database to (re)create."),
                                      QStringLiteral("name"), QStringLiteral("merge_overview"));
    const QCommandLineOption hours(QStringLiteral("hours"), QStringLiteral("Hours of history."),
                                   QStringLiteral("hours"), QStringLiteral("26"));
    const QCommandLineOption empty(QStringLiteral("empty"),
                                   QStringLiteral("Only (re)create --database, empty."));
    const QCommandLineOption drop(QStringLiteral("drop"), QStringLiteral("Only drop --database."));
    parser.addOptions({server, database, hours, empty, drop});
    parser.process(app);

    try {
        auto admin = ConnectionUrl::parse(parser.value(server));
        if (!admin)
            throw std::runtime_error(admin.error().message.toStdString());
        const QString name = parser.value(database);
        if (!QRegularExpression(QStringLiteral("^[a-z_][a-z0-9_]*$")).match(name).hasMatch())
            throw std::runtime_error("the database name must be a plain identifier");
        {
            auto writer = FleetWriter::open(*admin);
            const bool postgres = admin->backend == sql::Backend::PostgreSQL;
            writer->connection().execScript(
                QStringLiteral("DROP DATABASE IF EXISTS %1%2")
                    .arg(name, postgres ? QStringLiteral(" WITH (FORCE)") : QString()));
            if (!parser.isSet(drop))
                writer->connection().execScript(QStringLiteral("CREATE DATABASE %1").arg(name));
        }
        ConnectionUrl target = *admin;
        target.settings.database = name;
        if (parser.isSet(drop))
            return 0;
        if (parser.isSet(empty)) {
            std::printf("%s\n", qPrintable(target.toString()));
            return 0;
        }
        auto store = openStore(target.toString());
        if (!store)
            throw std::runtime_error(store.error().message.toStdString());
        auto installed = (*store)->installSchema(Operator{QStringLiteral("seed-overview-history")});
        if (!installed)
            throw std::runtime_error(installed.error().message.toStdString());
        auto overview = (*store)->overview({});
        if (!overview)
            throw std::runtime_error(overview.error().message.toStdString());
        const EpochMs now = overview->takenAt;

        QRandomGenerator random(4);
        auto writer = FleetWriter::open(target);
        seedCatalogue(*writer);
        const int history = std::clamp(parser.value(hours).toInt(), 1, 24 * 8);
        seedUsersAndProgress(*writer, random, now, history);
        seedSamples(*writer, random, now, history);
        seedOperatorActions(*writer, now);
        writer->refreshStatistics();
        std::printf("%s\n", qPrintable(target.toString()));
        return 0;
    } catch (const std::exception &error) {
        std::fprintf(stderr, "seed-overview-history: %s\n", error.what());
        return 1;
    }
}
