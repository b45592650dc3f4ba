#include "e2e_harness.h"

#include "sql/sql_connection.h"

#include <QDateTime>
#include <QDeadlineTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

#include <stdexcept>

namespace mc::test::e2e {

namespace {

constexpr int kStopGraceMs = 20'000; // a clean stop finishes the current transactions only

QString shown(const QStringList &arguments)
{
    QStringList out;
    for (const QString &argument : arguments)
        out << (argument.size() > 80 ? argument.left(80) + QStringLiteral("…") : argument);
    return out.join(QLatin1Char(' '));
}

QString tailOf(const QString &path, qsizetype bytes)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return QString();
    if (file.size() > bytes)
        file.seek(file.size() - bytes);
    return QString::fromUtf8(file.readAll()).trimmed();
}

} // namespace

QString mergeSimBinary()
{
    return QStringLiteral(MERGE_SIM_BINARY);
}

QString migctlBinary()
{
    return QStringLiteral(MIGCTL_BINARY);
}

std::optional<QJsonObject> ToolRun::json(QString *why) const
{
    QJsonParseError error{};
    const QJsonDocument document = QJsonDocument::fromJson(out, &error);
    if (error.error == QJsonParseError::NoError && document.isObject())
        return document.object();
    if (why)
        *why = QStringLiteral("stdout is not one JSON object (%1): %2; stdout: %3")
                   .arg(error.errorString(), describe(), QString::fromUtf8(out.left(500)));
    return std::nullopt;
}

QString ToolRun::describe() const
{
    QString exit = started ? QString::number(exitCode) : QStringLiteral("(did not start)");
    if (crashed)
        exit += QStringLiteral(" (crashed)");
    if (timedOut)
        exit += QStringLiteral(" (timed out)");
    return QStringLiteral("%1 %2 → exit %3; stderr: %4")
        .arg(tool, shown(arguments), exit, QString::fromUtf8(err).trimmed());
}

ToolRun runTool(const QString &binary, const QStringList &arguments,
                const QProcessEnvironment &environment, int timeoutMs)
{
    ToolRun result;
    result.tool = binary.section(QLatin1Char('/'), -1);
    result.arguments = arguments;
    QProcess process;
    process.setProcessEnvironment(environment);
    process.start(binary, arguments);
    if (!process.waitForStarted(10'000))
        return result;
    result.started = true;
    process.closeWriteChannel();
    if (!process.waitForFinished(timeoutMs)) {
        result.timedOut = true;
        process.kill();
        process.waitForFinished(5'000);
    }
    result.crashed = process.exitStatus() != QProcess::NormalExit;
    result.exitCode = process.exitCode();
    result.out = process.readAllStandardOutput();
    result.err = process.readAllStandardError();
    return result;
}

bool pollUntil(const std::function<bool()> &condition, int timeoutMs, int intervalMs)
{
    QDeadlineTimer deadline(timeoutMs);
    while (!deadline.hasExpired()) {
        if (condition())
            return true;
        QTest::qWait(int(std::min<qint64>(intervalMs, std::max<qint64>(1, deadline.remainingTime()))));
    }
    return condition();
}

QString FleetStop::describe() const
{
    return QStringLiteral("merge-sim run (pid %1): %2, exit %3%4%5; stdout: %6; log tail: %7")
        .arg(pid)
        .arg(wasRunning ? QStringLiteral("running when stopped")
                        : QStringLiteral("had already ended before SIGTERM"))
        .arg(exitCode)
        .arg(crashed ? QStringLiteral(" (crashed)") : QString())
        .arg(timedOut ? QStringLiteral(" (no exit within the grace period: killed)") : QString())
        .arg(out.trimmed(), errTail);
}

LiveMigration::LiveMigration(const TestServer &server)
    : m_backend(server.backend),
      m_db(server),
      m_writer(m_db.openWriter()),
      m_migctlEnvironment(QProcessEnvironment::systemEnvironment())
{
    if (!m_scratch.isValid())
        throw std::runtime_error("cannot create a temporary directory");
    m_migctlEnvironment.insert(QStringLiteral("MIGCTL_DB"), m_db.url());
    m_migctlEnvironment.insert(QStringLiteral("USER"), QStringLiteral("e2e-tester"));
    m_migctlEnvironment.remove(QStringLiteral("MIGRATION_CONSOLE_LOG"));
}

LiveMigration::~LiveMigration()
{
    if (m_fleet) {
        const FleetStop stop = stopFleet();
        if (!stop.clean())
            qWarning("%s", qPrintable(stop.describe()));
    }
}

ToolRun LiveMigration::seed()
{
    const QString at = QDateTime::currentDateTimeUtc().addSecs(-180).toString(Qt::ISODateWithMs);
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.remove(QStringLiteral("MIGRATION_CONSOLE_LOG"));
    return runTool(mergeSimBinary(),
                   {QStringLiteral("--db"), m_db.url(), QStringLiteral("--log-level"),
                    QStringLiteral("warn"), QStringLiteral("seed"), QStringLiteral("--users"),
                    QString::number(kUsers), QStringLiteral("--seed"), QString::number(kSeed),
                    QStringLiteral("--at"), at},
                   environment, 60'000);
}

bool LiveMigration::startFleet(const QStringList &runOptions, QString *why)
{
    m_fleet = std::make_unique<QProcess>();
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.remove(QStringLiteral("MIGRATION_CONSOLE_LOG"));
    m_fleet->setProcessEnvironment(environment);
    m_fleet->setStandardOutputFile(m_scratch.filePath(QStringLiteral("merge-sim.out")));
    m_fleet->setStandardErrorFile(m_scratch.filePath(QStringLiteral("merge-sim.err")));
    m_fleet->setStandardInputFile(QProcess::nullDevice());
    const QStringList arguments = QStringList{QStringLiteral("--db"), m_db.url(),
                                              QStringLiteral("--log-level"),
                                              QStringLiteral("info"), QStringLiteral("run")}
                                  + runOptions;
    m_fleetStartedAtMs = dbNowMs();
    m_fleet->start(mergeSimBinary(), arguments);
    if (!m_fleet->waitForStarted(10'000)) {
        *why = QStringLiteral("merge-sim did not start: %1").arg(m_fleet->errorString());
        m_fleet.reset();
        return false;
    }
    m_fleetPid = m_fleet->processId();
    return true;
}

bool LiveMigration::fleetAlive()
{
    // waitForFinished(0) reaps a process that has ended; it never waits for a live one.
    return m_fleet && m_fleet->state() == QProcess::Running && !m_fleet->waitForFinished(0);
}

FleetStop LiveMigration::stopFleet()
{
    FleetStop stop;
    stop.pid = m_fleetPid;
    if (!m_fleet)
        return stop;
    stop.wasRunning = fleetAlive();
    if (stop.wasRunning) {
        m_fleet->terminate(); // SIGTERM
        if (!m_fleet->waitForFinished(kStopGraceMs)) {
            stop.timedOut = true;
            m_fleet->kill();
            m_fleet->waitForFinished(5'000);
        }
    }
    stop.crashed = m_fleet->exitStatus() != QProcess::NormalExit;
    stop.exitCode = m_fleet->exitCode();
    m_fleet.reset();
    stop.out = tailOf(m_scratch.filePath(QStringLiteral("merge-sim.out")), 2000);
    stop.errTail = tailOf(m_scratch.filePath(QStringLiteral("merge-sim.err")), 1500);
    return stop;
}

ToolRun LiveMigration::migctl(const QStringList &arguments, int timeoutMs) const
{
    return runTool(migctlBinary(), arguments, m_migctlEnvironment, timeoutMs);
}

sql::Connection &LiveMigration::sql()
{
    return m_writer->connection();
}

qint64 LiveMigration::scalar(const QString &sql, const QVariantList &params)
{
    return m_writer->connection().query(sql, params).int64(0, 0);
}

qint64 LiveMigration::dbNowMs()
{
    return scalar(QStringLiteral("SELECT {ms:CURRENT_TIMESTAMP(3)}"));
}

QJsonObject findByName(const QJsonObject &listing, const QString &arrayKey, const QString &key,
                       const QString &value)
{
    for (const QJsonValue &element : listing.value(arrayKey).toArray())
        if (element.toObject().value(key).toString() == value)
            return element.toObject();
    return {};
}

qint64 sumOfCreated(const QJsonObject &status, const QStringList &models)
{
    qint64 sum = 0;
    for (const QJsonValue &model : status.value(QStringLiteral("models")).toArray())
        if (models.contains(model.toObject().value(QStringLiteral("name")).toString()))
            sum += model.toObject().value(QStringLiteral("created")).toInteger();
    return sum;
}

} // namespace mc::test::e2e
