#include "sim_command_line.h"

#include <QDateTime>

namespace mc::sim {

using fleet::RunWindow;

namespace {

// Options that take a value, and which command they belong to ("" for both).
struct OptionSpec
{
    const char *name;
    const char *command;
};

constexpr OptionSpec kOptions[] = {
    {"db", ""},           {"log-level", ""},      {"seed", ""},
    {"users", "seed"},    {"portals", "seed"},    {"failed-share", "seed"}, {"at", "seed"},
    {"connections", "seed"},
    {"duration", "run"},  {"influx", "run"},      {"failure-rate", "run"},  {"speed", "run"},
    {"workers", "run"},   {"lease", "run"},
    {"spike-after", "run"}, {"spike-rate", "run"}, {"spike-for", "run"}, {"spike-portal", "run"},
    {"stall-after", "run"}, {"stall-for", "run"},
};

const OptionSpec *specFor(const QString &name)
{
    for (const OptionSpec &spec : kOptions)
        if (name == QLatin1String(spec.name))
            return &spec;
    return nullptr;
}

bool toDouble(const QString &text, double *value)
{
    bool ok = false;
    *value = text.toDouble(&ok);
    return ok;
}

bool toInt64(const QString &text, qint64 *value)
{
    bool ok = false;
    *value = text.toLongLong(&ok);
    return ok;
}

// --at: epoch milliseconds, or an ISO 8601 time (UTC unless it names a zone).
bool toEpochMs(const QString &text, qint64 *value)
{
    if (toInt64(text, value))
        return *value > 0;
    QDateTime time = QDateTime::fromString(text, Qt::ISODateWithMs);
    if (!time.isValid())
        return false;
    if (time.timeSpec() == Qt::LocalTime)
        time.setTimeSpec(Qt::UTC);
    *value = time.toMSecsSinceEpoch();
    return true;
}

} // namespace

QString SimCommandLine::usage()
{
    return QStringLiteral(
        "usage: merge-sim --db URL [--log-level LEVEL] seed [options]\n"
        "       merge-sim --db URL [--log-level LEVEL] run [options]\n"
        "       merge-sim --help | --version\n"
        "\n"
        "A reference fleet of migration workers that drives a real merge database.\n"
        "URL: postgresql://user:password@host:port/db or mariadb://user:password@host:port/db\n"
        "(also from MERGE_SIM_DB). LEVEL: trace, debug, info, warn, error, off.\n"
        "\n"
        "seed: installs the schema into an empty database and fills it with a migration in\n"
        "      progress. Deterministic for the same --seed and --at.\n"
        "  --users N            user migrations (default 10000)\n"
        "  --portals lt,de,fr   source portals (default lt,de,fr)\n"
        "  --failed-share F     share of users that failed (default 0.02)\n"
        "  --seed S             random seed (default 1)\n"
        "  --at TIME            the data's \"now\": ISO 8601 (UTC) or epoch ms (default: now)\n"
        "  --connections N      loaders writing side by side (default 2)\n"
        "\n"
        "run: workers that admit, claim and migrate users until --duration or SIGINT/SIGTERM.\n"
        "  --duration S         seconds to run, 0 for until a signal (default 0)\n"
        "  --influx N           new users (nil) requested per second (default 0)\n"
        "  --failure-rate F     share of user runs that fail, and of attempts that fail\n"
        "                       transiently (default 0.02; 0 turns failures off)\n"
        "  --speed X            simulated work takes 1/X of its time (default 1)\n"
        "  --workers N          worker threads, one connection each (default 8)\n"
        "  --lease S            seconds a claim is leased for (default 30)\n"
        "  --seed S             random seed of the failure injection (default 1)\n"
        "  --spike-after S      a failure spike starts S seconds into the run: user runs,\n"
        "                       retried users' too, fail for good with --spike-rate\n"
        "  --spike-rate F       share of user runs that fail during the spike (default 0.8)\n"
        "  --spike-for S        how long the spike lasts (default 0: to the end)\n"
        "  --spike-portal P     only users of portal P fail in the spike (default: all)\n"
        "  --stall-after S      workers stop claiming jobs S seconds into the run: no user\n"
        "                       completes while admission goes on\n"
        "  --stall-for S        how long the stall lasts (default 0: to the end)\n"
        "\n"
        "Exit codes: 0 ok, 1 error, 2 usage.\n");
}

SimCommandLine SimCommandLine::parse(const QStringList &arguments, QString *error)
{
    SimCommandLine line;
    line.databaseUrl = qEnvironmentVariable("MERGE_SIM_DB");
    QHash<QString, QString> values;
    QString command;
    const auto fail = [&](const QString &message) {
        *error = message;
        return line;
    };

    for (qsizetype i = 0; i < arguments.size(); ++i) {
        const QString &argument = arguments[i];
        if (argument == QLatin1String("-h") || argument == QLatin1String("--help")) {
            line.command = Command::Help;
            return line;
        }
        if (argument == QLatin1String("--version")) {
            line.command = Command::Version;
            return line;
        }
        if (!argument.startsWith(QLatin1String("--"))) {
            if (!command.isEmpty())
                return fail(QStringLiteral("unexpected argument '%1'").arg(argument));
            command = argument;
            continue;
        }
        QString name = argument.mid(2);
        QString value;
        const qsizetype equals = name.indexOf(QLatin1Char('='));
        if (equals >= 0) {
            value = name.mid(equals + 1);
            name = name.left(equals);
        } else if (i + 1 < arguments.size()) {
            value = arguments[++i];
        } else {
            return fail(QStringLiteral("--%1 needs a value").arg(name));
        }
        if (!specFor(name))
            return fail(QStringLiteral("unknown option --%1").arg(name));
        values.insert(name, value);
    }

    if (command == QLatin1String("seed"))
        line.command = Command::Seed;
    else if (command == QLatin1String("run"))
        line.command = Command::Run;
    else if (command.isEmpty())
        return fail(QStringLiteral("name a command: seed or run"));
    else
        return fail(QStringLiteral("unknown command '%1'").arg(command));

    for (auto it = values.cbegin(); it != values.cend(); ++it) {
        const OptionSpec *spec = specFor(it.key());
        if (*spec->command && command != QLatin1String(spec->command))
            return fail(QStringLiteral("--%1 belongs to '%2', not '%3'")
                            .arg(it.key(), QLatin1String(spec->command), command));
    }

    if (values.contains(QStringLiteral("db")))
        line.databaseUrl = values.value(QStringLiteral("db"));
    if (line.databaseUrl.isEmpty())
        return fail(QStringLiteral("--db URL is required (or set MERGE_SIM_DB)"));
    if (values.contains(QStringLiteral("log-level")))
        line.logLevel = values.value(QStringLiteral("log-level"));

    const auto number = [&](const char *name, double low, double high, double *out) {
        const QString key = QLatin1String(name);
        if (!values.contains(key))
            return true;
        double v = 0;
        if (!toDouble(values.value(key), &v) || !(v >= low && v <= high)) {
            *error = QStringLiteral("--%1 must be a number from %2 to %3")
                         .arg(key)
                         .arg(low)
                         .arg(high);
            return false;
        }
        *out = v;
        return true;
    };

    double seed = 1;
    if (!number("seed", 0, 9e15, &seed))
        return line;
    line.seed.seed = quint64(seed);
    line.fleet.seed = quint64(seed);

    if (line.command == Command::Seed) {
        double users = double(line.seed.users);
        double connections = line.seed.connections;
        if (!number("users", 0, 1e9, &users)
            || !number("failed-share", 0, 0.5, &line.seed.failedShare)
            || !number("connections", 1, 64, &connections))
            return line;
        line.seed.users = qint64(users);
        line.seed.connections = int(connections);
        if (values.contains(QStringLiteral("portals")))
            line.seed.portals = values.value(QStringLiteral("portals"))
                                    .split(QLatin1Char(','), Qt::SkipEmptyParts);
        for (QString &portal : line.seed.portals)
            portal = portal.trimmed();
        if (values.contains(QStringLiteral("at"))
            && !toEpochMs(values.value(QStringLiteral("at")), &line.seed.at))
            return fail(QStringLiteral("--at must be an ISO 8601 time or epoch milliseconds"));
        if (const QString problem = line.seed.problem(); !problem.isEmpty())
            return fail(problem);
        return line;
    }

    double workers = line.fleet.workers;
    double lease = double(line.fleet.leaseMs) / 1000.0;
    if (!number("duration", 0, 1e7, &line.durationSeconds)
        || !number("influx", 0, 1e6, &line.fleet.influxPerSecond)
        || !number("failure-rate", 0, 1, &line.fleet.failureRate)
        || !number("speed", 0.001, 1e6, &line.fleet.speed)
        || !number("workers", 0, 256, &workers) || !number("lease", 0.1, 86400, &lease))
        return line;
    line.fleet.workers = int(workers);
    line.fleet.leaseMs = qint64(lease * 1000.0);

    const auto window = [&](const char *after, const char *length, RunWindow *out) {
        double afterSeconds = -1;
        double forSeconds = 0;
        if (!number(after, 0, 1e7, &afterSeconds) || !number(length, 0, 1e7, &forSeconds))
            return false;
        if (afterSeconds < 0 && values.contains(QLatin1String(length))) {
            *error = QStringLiteral("--%1 needs --%2").arg(QLatin1String(length),
                                                           QLatin1String(after));
            return false;
        }
        out->afterMs = afterSeconds < 0 ? -1 : qint64(afterSeconds * 1000.0);
        out->forMs = qint64(forSeconds * 1000.0);
        return true;
    };
    if (!window("spike-after", "spike-for", &line.fleet.spike)
        || !window("stall-after", "stall-for", &line.fleet.stall)
        || !number("spike-rate", 0, 1, &line.fleet.spikeRate))
        return line;
    line.fleet.spikePortal = values.value(QStringLiteral("spike-portal")).trimmed();
    if (line.fleet.spike.afterMs < 0
        && (values.contains(QStringLiteral("spike-rate"))
            || values.contains(QStringLiteral("spike-portal"))))
        return fail(QStringLiteral("--spike-rate and --spike-portal need --spike-after"));
    return line;
}

} // namespace mc::sim
