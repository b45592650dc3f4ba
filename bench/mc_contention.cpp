// mc-contention: what the counters cost the workers. N concurrent writers, each on its own
// connection, run single-statement transactions as fast as the server commits them: a status
// change (a random user of one portal to its next status) or a progress update (a random model
// progress row, created + 1). Each run happens twice, side by side: with the counter triggers, and
// with the counter triggers of the written table off (PostgreSQL: DISABLE TRIGGER USER; MariaDB:
// dropped and re-created from SHOW CREATE TRIGGER). bench/run starts servers with fsync on for it.
//
//   mc-contention --db URL [--writers 1,16,64] [--seconds 8] [--json FILE] [--budget 85]

#include "connection_url.h"
#include "fleet/fleet_connection.h"
#include "sql/sql_connection.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRandomGenerator>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <thread>
#include <vector>

using namespace mc;

namespace {

struct Workload
{
    QString name;
    QString table;
    QString sql;                           // $1… from one row of `keys`
    std::vector<QVariantList> keys;
};

[[noreturn]] void die(const QString &message)
{
    std::fprintf(stderr, "mc-contention: %s\n", qPrintable(message));
    std::exit(2);
}

std::vector<QVariantList> readKeys(sql::Connection &c, const QString &sql, int columns)
{
    const sql::Rows rows = c.query(sql);
    std::vector<QVariantList> keys;
    for (int r = 0; r < rows.size(); ++r) {
        QVariantList key{rows.text(r, 0)};
        for (int col = 1; col < columns; ++col)
            key << rows.int64(r, col);
        keys.push_back(key);
    }
    if (keys.empty())
        die(QStringLiteral("no rows for: ") + sql + QStringLiteral(" (seed the database first)"));
    return keys;
}

// Turns the counter triggers of one table off and back on.
class CounterTriggers
{
public:
    CounterTriggers(sql::Connection &c, QString table) : m_c(c), m_table(std::move(table)) {}

    void disable()
    {
        if (m_c.backend() == sql::Backend::PostgreSQL) {
            m_c.exec(QStringLiteral("ALTER TABLE %1 DISABLE TRIGGER USER").arg(m_table));
            return;
        }
        const sql::Rows names = m_c.query(
            QStringLiteral("SELECT trigger_name FROM information_schema.triggers WHERE "
                           "trigger_schema = DATABASE() AND event_object_table = $1 AND "
                           "action_timing = 'AFTER'"),
            {m_table});
        for (int r = 0; r < names.size(); ++r) {
            const sql::Rows create =
                m_c.query(QStringLiteral("SHOW CREATE TRIGGER %1").arg(names.text(r, 0)));
            m_saved << create.text(0, 2); // SQL Original Statement
            m_c.exec(QStringLiteral("DROP TRIGGER %1").arg(names.text(r, 0)));
        }
    }
    void enable()
    {
        if (m_c.backend() == sql::Backend::PostgreSQL) {
            m_c.exec(QStringLiteral("ALTER TABLE %1 ENABLE TRIGGER USER").arg(m_table));
            return;
        }
        for (const QString &statement : std::as_const(m_saved))
            m_c.execScript(statement);
        m_saved.clear();
    }

private:
    sql::Connection &m_c;
    QString m_table;
    QStringList m_saved;
};

// Transactions per second of `writers` connections over `seconds`, after a one-second warm-up.
double measure(const ConnectionUrl &url, const Workload &w, int writers, int seconds)
{
    std::atomic<bool> stop{false};
    std::atomic<bool> counting{false};
    std::atomic<qint64> done{0};
    std::atomic<int> ready{0};
    std::vector<std::thread> threads;
    for (int i = 0; i < writers; ++i) {
        threads.emplace_back([&, i] {
            auto c = fleet::openFleetConnection(url);
            QRandomGenerator random(quint32(1000 + i));
            ++ready;
            while (!stop.load()) {
                const QVariantList &key = w.keys[random.bounded(quint32(w.keys.size()))];
                try {
                    c->exec(w.sql, key);
                } catch (const sql::DbError &error) {
                    if (error.kind() != sql::DbError::Kind::Deadlock)
                        die(QString::fromStdString(error.what()));
                    continue; // a deadlock victim: not counted
                }
                if (counting.load())
                    ++done;
            }
        });
    }
    while (ready.load() < writers)
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    std::this_thread::sleep_for(std::chrono::seconds(1));
    counting = true;
    const auto start = std::chrono::steady_clock::now();
    std::this_thread::sleep_for(std::chrono::seconds(seconds));
    counting = false;
    const double elapsed =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    stop = true;
    for (std::thread &t : threads)
        t.join();
    return double(done.load()) / elapsed;
}

QString thousands(double value)
{
    QString digits = QString::number(qint64(value + 0.5));
    for (qsizetype i = digits.size() - 3; i > 0; i -= 3)
        digits.insert(i, QChar(0x202F));
    return digits;
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Writer contention with and without counters."));
    parser.addHelpOption();
    parser.addOption({QStringLiteral("db"), QStringLiteral("Merge database URL."),
                      QStringLiteral("url")});
    parser.addOption({QStringLiteral("writers"), QStringLiteral("Concurrent writers, comma list."),
                      QStringLiteral("list"), QStringLiteral("1,16,64")});
    parser.addOption({QStringLiteral("seconds"), QStringLiteral("Measured seconds per run."),
                      QStringLiteral("n"), QStringLiteral("8")});
    parser.addOption({QStringLiteral("budget"), QStringLiteral("Least with/without ratio at the "
                                                               "most writers, in percent."),
                      QStringLiteral("percent"), QStringLiteral("85")});
    parser.addOption({QStringLiteral("json"), QStringLiteral("Also write the figures here."),
                      QStringLiteral("file")});
    parser.process(app);

    const auto parsed = ConnectionUrl::parse(parser.value(QStringLiteral("db")));
    if (!parsed.ok())
        die(parsed.error().message);
    const ConnectionUrl url = *parsed;
    std::vector<int> writerCounts;
    for (const QString &n : parser.value(QStringLiteral("writers")).split(QLatin1Char(',')))
        writerCounts.push_back(std::max(1, n.toInt()));
    const int seconds = std::max(1, parser.value(QStringLiteral("seconds")).toInt());
    const double budget = parser.value(QStringLiteral("budget")).toDouble();

    auto admin = fleet::openFleetConnection(url);
    std::vector<Workload> workloads{
        {QStringLiteral("status changes"), QStringLiteral("user_migrations"),
         QStringLiteral("UPDATE user_migrations SET status = CASE status WHEN 'nil' THEN "
                        "'pending' WHEN 'pending' THEN 'in_progress' WHEN 'in_progress' THEN "
                        "'completed' WHEN 'completed' THEN 'failed' ELSE 'nil' END, updated_at = "
                        "CURRENT_TIMESTAMP(3) WHERE source_portal = $1 AND source_user_id = $2"),
         readKeys(*admin,
                  QStringLiteral("SELECT source_portal, source_user_id FROM user_migrations "
                                 "WHERE source_portal = (SELECT MIN(source_portal) FROM "
                                 "user_migrations) ORDER BY source_user_id LIMIT 50000"),
                  2)},
        {QStringLiteral("progress updates"), QStringLiteral("model_progress"),
         QStringLiteral("UPDATE model_progress SET created = created + 1, updated_at = "
                        "CURRENT_TIMESTAMP(3) WHERE source_portal = $1 AND source_user_id = $2 "
                        "AND model_id = $3"),
         readKeys(*admin,
                  QStringLiteral("SELECT source_portal, source_user_id, model_id FROM "
                                 "model_progress ORDER BY source_portal, source_user_id, "
                                 "model_id LIMIT 50000"),
                  3)},
    };

    std::printf("\nwriter contention (%s, one UPDATE per transaction, %d s per run)\n",
                qPrintable(backendName(url.backend)), seconds);
    std::printf("%-17s %8s %14s %16s %7s\n", "workload", "writers", "counters on",
                "triggers off", "ratio");
    QJsonArray rows;
    bool met = true;
    for (const Workload &w : workloads) {
        CounterTriggers triggers(*admin, w.table);
        for (int writers : writerCounts) {
            const double on = measure(url, w, writers, seconds);
            triggers.disable();
            double off = 0;
            try {
                off = measure(url, w, writers, seconds);
            } catch (...) {
                triggers.enable();
                throw;
            }
            triggers.enable();
            const double ratio = off > 0 ? 100.0 * on / off : 0;
            const bool last = writers == writerCounts.back();
            if (last && ratio < budget)
                met = false;
            std::printf("%-17s %8d %10s tps %12s tps %6.0f %%%s\n", qPrintable(w.name), writers,
                        qPrintable(thousands(on)), qPrintable(thousands(off)), ratio,
                        last && ratio < budget ? "  (budget ≥ 85 % missed)" : "");
            std::fflush(stdout);
            rows.append(QJsonObject{{QStringLiteral("workload"), w.name},
                                    {QStringLiteral("writers"), writers},
                                    {QStringLiteral("counters_on_tps"), on},
                                    {QStringLiteral("triggers_off_tps"), off},
                                    {QStringLiteral("ratio_percent"), ratio}});
        }
    }
    if (parser.isSet(QStringLiteral("json"))) {
        QFile out(parser.value(QStringLiteral("json")));
        if (out.open(QIODevice::WriteOnly))
            out.write(QJsonDocument(QJsonObject{{QStringLiteral("backend"),
                                                 backendName(url.backend)},
                                                {QStringLiteral("runs"), rows}})
                          .toJson());
    }
    return met ? 0 : 1;
}
