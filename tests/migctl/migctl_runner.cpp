#include "migctl_runner.h"

#include <QEventLoop>
#include <QJsonDocument>
#include <QProcess>
#include <QTest>

#include <functional>
#include <memory>

namespace mc::test {

QJsonObject MigctlRun::json() const
{
    QJsonParseError error{};
    const QJsonDocument document = QJsonDocument::fromJson(out, &error);
    if (error.error != QJsonParseError::NoError || !document.isObject()) {
        QTest::qFail(qPrintable(QStringLiteral("stdout is not one JSON object (%1): %2")
                                    .arg(error.errorString(), describe())),
                     __FILE__, __LINE__);
        return {};
    }
    return document.object();
}

QString MigctlRun::describe() const
{
    QStringList shown;
    for (const QString &argument : arguments)
        shown << (argument.size() > 60 ? argument.left(60) + QStringLiteral("…") : argument);
    return QStringLiteral("migctl %1 → exit %2%3; stderr: %4")
        .arg(shown.join(QLatin1Char(' ')))
        .arg(exitCode)
        .arg(crashed ? QStringLiteral(" (crashed)") : QString())
        .arg(QString::fromUtf8(err).trimmed());
}

MigctlRunner::MigctlRunner(const QString &databaseUrl)
    : m_environment(QProcessEnvironment::systemEnvironment())
{
    m_environment.insert(QStringLiteral("MIGCTL_DB"), databaseUrl);
    m_environment.insert(QStringLiteral("USER"), QStringLiteral("migctl-tester"));
    m_environment.remove(QStringLiteral("MIGRATION_CONSOLE_LOG"));
}

QString MigctlRunner::binary()
{
    return QStringLiteral(MIGCTL_BINARY);
}

MigctlRun MigctlRunner::run(const QStringList &arguments, const QByteArray &stdinData) const
{
    QProcess process;
    process.setProcessEnvironment(m_environment);
    process.start(binary(), arguments);
    MigctlRun result;
    result.arguments = arguments;
    if (!process.waitForStarted(10'000))
        return result;
    process.write(stdinData);
    process.closeWriteChannel();
    process.waitForFinished(60'000);
    result.crashed = process.exitStatus() != QProcess::NormalExit;
    result.exitCode = process.exitCode();
    result.out = process.readAllStandardOutput();
    result.err = process.readAllStandardError();
    return result;
}

std::unique_ptr<QProcess> MigctlRunner::start(const QStringList &arguments) const
{
    auto process = std::make_unique<QProcess>();
    process->setProcessEnvironment(m_environment);
    process->start(binary(), arguments);
    process->waitForStarted(10'000);
    process->closeWriteChannel();
    return process;
}

QList<MigctlRun> MigctlRunner::runAll(const QList<QStringList> &argumentLists, int parallel) const
{
    QList<MigctlRun> results(argumentLists.size());
    std::vector<std::unique_ptr<QProcess>> processes(size_t(argumentLists.size()));
    QEventLoop loop;
    qsizetype next = 0, running = 0, finished = 0;
    std::function<void()> startNext = [&] {
        while (running < parallel && next < argumentLists.size()) {
            const qsizetype index = next++;
            auto process = std::make_unique<QProcess>();
            process->setProcessEnvironment(m_environment);
            QObject::connect(process.get(), &QProcess::finished, &loop,
                             [&, index](int code, QProcess::ExitStatus status) {
                                 QProcess &done = *processes[size_t(index)];
                                 results[index].exitCode = code;
                                 results[index].crashed = status != QProcess::NormalExit;
                                 results[index].out = done.readAllStandardOutput();
                                 results[index].err = done.readAllStandardError();
                                 --running;
                                 if (++finished == argumentLists.size())
                                     loop.quit();
                                 else
                                     startNext();
                             });
            QObject::connect(process.get(), &QProcess::errorOccurred, &loop,
                             [&, index](QProcess::ProcessError error) {
                                 if (error != QProcess::FailedToStart)
                                     return;
                                 results[index].crashed = true;
                                 --running;
                                 if (++finished == argumentLists.size())
                                     loop.quit();
                                 else
                                     startNext();
                             });
            results[index].arguments = argumentLists[index];
            process->start(binary(), argumentLists[index]);
            process->closeWriteChannel();
            processes[size_t(index)] = std::move(process);
            ++running;
        }
    };
    if (argumentLists.isEmpty())
        return results;
    startNext();
    loop.exec();
    return results;
}

} // namespace mc::test
