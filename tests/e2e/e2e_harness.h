#pragma once

// End to end: the built merge-sim and migctl executables as processes on one fresh database of
// the server under test (MC_TEST_BACKEND). merge-sim seeds it and then runs in the background as
// a live fleet; the tests steer and read it with migctl, the way an operator's script would, and
// check the outcome with plain SQL on a connection of their own.

#include "contract_fixture.h"

#include <QByteArray>
#include <QJsonObject>
#include <QProcess>
#include <QProcessEnvironment>
#include <QStringList>
#include <QTemporaryDir>

#include <functional>
#include <memory>
#include <optional>

namespace mc::sql {
class Connection;
}

namespace mc::test::e2e {

QString mergeSimBinary();
QString migctlBinary();

// One finished run of a tool: arguments as separate argv elements, stdin closed, stdout and
// stderr captured apart.
struct ToolRun
{
    QString tool;
    QStringList arguments;
    int exitCode = -1;
    bool started = false;
    bool crashed = false;
    bool timedOut = false;
    QByteArray out;
    QByteArray err;

    bool exited(int code) const { return started && !crashed && !timedOut && exitCode == code; }
    bool ok() const { return exited(0); }
    // stdout as one JSON object; nullopt (and *why) when it is not one.
    std::optional<QJsonObject> json(QString *why = nullptr) const;
    QString describe() const; // for failure messages: command line, exit, stderr
};

ToolRun runTool(const QString &binary, const QStringList &arguments,
                const QProcessEnvironment &environment, int timeoutMs = 60'000);

// Polls `condition` every `intervalMs` until it holds or `timeoutMs` have passed (events are
// processed meanwhile); true when it held. The condition is evaluated once more at the end.
bool pollUntil(const std::function<bool()> &condition, int timeoutMs, int intervalMs = 150);

// What became of the background fleet when it was stopped.
struct FleetStop
{
    bool wasRunning = false; // still alive when SIGTERM was sent
    bool timedOut = false;   // did not exit within the grace period (then killed)
    bool crashed = false;
    int exitCode = -1;
    QString out;     // merge-sim's summary line
    QString errTail; // the end of its log
    qint64 pid = 0;

    bool clean() const { return wasRunning && !timedOut && !crashed && exitCode == 0; }
    QString describe() const;
};

// A fresh database (dropped at the end) with a merge-sim seed, a merge-sim fleet running in the
// background, migctl pointed at it, and a plain SQL connection for checks.
class LiveMigration
{
public:
    static constexpr int kUsers = 2000;
    static constexpr int kSeed = 7;

    explicit LiveMigration(const TestServer &server);
    ~LiveMigration(); // stops the fleet (SIGTERM, SIGKILL after a grace period), then drops

    QString url() const { return m_db.url(); }
    const QString &backend() const { return m_backend; }

    // merge-sim seed --users 2000 --seed 7, with its "now" (--at) 3 minutes in the past: the
    // claims of the seed's dead fleet have lease-expired already, so the live fleet reclaims
    // them at once instead of a minute later, and every in-progress job we see is a live one.
    ToolRun seed();
    // merge-sim run with these options, in the background until stopFleet(). Its stdout and
    // stderr go to files (a pipe nobody reads while migctl runs could fill and stall it).
    bool startFleet(const QStringList &runOptions, QString *why);
    bool fleetAlive();
    qint64 fleetPid() const { return m_fleetPid; }
    qint64 fleetStartedAtMs() const { return m_fleetStartedAtMs; } // server clock
    FleetStop stopFleet(); // SIGTERM and wait

    ToolRun migctl(const QStringList &arguments, int timeoutMs = 60'000) const;

    sql::Connection &sql();
    qint64 scalar(const QString &sql, const QVariantList &params = {});
    qint64 dbNowMs(); // the server's clock, in the same terms the workers stamp rows with

    QTemporaryDir &scratch() { return m_scratch; }

private:
    QString m_backend;
    TestDatabase m_db;
    std::unique_ptr<FleetWriter> m_writer;
    QTemporaryDir m_scratch;
    QProcessEnvironment m_migctlEnvironment;
    std::unique_ptr<QProcess> m_fleet;
    qint64 m_fleetPid = 0;
    qint64 m_fleetStartedAtMs = 0;
};

// Small readers of migctl's JSON.
QJsonObject findByName(const QJsonObject &listing, const QString &arrayKey, const QString &key,
                       const QString &value); // the first element whose `key` equals `value`
qint64 sumOfCreated(const QJsonObject &status, const QStringList &models);

} // namespace mc::test::e2e

// A tool run that must exit with `code`, or the test fails with its command line and stderr.
#define E2E_EXPECT_EXIT(run, code)                                                              \
    QVERIFY2((run).exited(code),                                                                \
             qPrintable(QStringLiteral("expected exit %1: %2").arg(code).arg((run).describe())))

// stdout of a run parsed as one JSON object into `var`, or the test fails.
#define E2E_JSON(var, run)                                                                      \
    QJsonObject var;                                                                            \
    do {                                                                                        \
        QString why_;                                                                           \
        const std::optional<QJsonObject> parsed_ = (run).json(&why_);                           \
        QVERIFY2(parsed_.has_value(), qPrintable(why_));                                        \
        var = *parsed_;                                                                         \
    } while (false)
