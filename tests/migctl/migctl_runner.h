#pragma once

// Runs the built migctl binary the way a script would: arguments as separate argv elements,
// stdin from a pipe (never a terminal), stdout and stderr captured apart.

#include <QByteArray>
#include <QJsonObject>
#include <QList>
#include <QProcessEnvironment>
#include <QStringList>

#include <memory>

class QProcess;

namespace mc::test {

struct MigctlRun
{
    QStringList arguments;
    int exitCode = -1;
    bool crashed = false;
    QByteArray out;
    QByteArray err;

    QJsonObject json() const; // stdout parsed as one JSON object (fails the test otherwise)
    QString describe() const; // for failure messages: arguments, exit code, stderr
};

class MigctlRunner
{
public:
    explicit MigctlRunner(const QString &databaseUrl);

    // MIGCTL_DB is set unless withoutDatabase(); USER is "migctl-tester".
    void withoutDatabase() { m_environment.remove(QStringLiteral("MIGCTL_DB")); }

    MigctlRun run(const QStringList &arguments, const QByteArray &stdinData = {}) const;
    // Starts one run and leaves it running (for signals); stdin is closed.
    std::unique_ptr<QProcess> start(const QStringList &arguments) const;
    // Runs them all, `parallel` at a time; results in the order given.
    QList<MigctlRun> runAll(const QList<QStringList> &argumentLists, int parallel = 4) const;

    static QString binary();

private:
    QProcessEnvironment m_environment;
};

} // namespace mc::test
