#include "raw_client.h"

#include "sql/sql_connection.h"

#include <QProcess>
#include <QRegularExpression>

#include <stdexcept>

namespace mc::bench {

namespace {

QString literal(const QVariant &value, sql::Backend backend)
{
    if (!value.isValid() || value.isNull())
        return QStringLiteral("NULL");
    switch (value.typeId()) {
    case QMetaType::Bool:
        return value.toBool() ? QStringLiteral("TRUE") : QStringLiteral("FALSE");
    case QMetaType::Int:
    case QMetaType::LongLong:
    case QMetaType::UInt:
    case QMetaType::ULongLong:
        return QString::number(value.toLongLong());
    case QMetaType::Double:
        return QString::number(value.toDouble(), 'g', 17);
    default: {
        QString text = value.toString();
        text.replace(QLatin1Char('\''), QStringLiteral("''"));
        if (backend == sql::Backend::MariaDB)
            text.replace(QLatin1Char('\\'), QStringLiteral("\\\\"));
        return QLatin1Char('\'') + text + QLatin1Char('\'');
    }
    }
}

} // namespace

QString RawClient::literalSql(const RawStatement &statement) const
{
    QString sql = sql::expandTokens(m_url.backend, statement.sql);
    // Highest numbers first, so that $1 never eats the start of $10.
    for (qsizetype n = statement.params.size(); n >= 1; --n)
        sql.replace(QLatin1Char('$') + QString::number(n),
                    literal(statement.params.at(n - 1), m_url.backend));
    return sql;
}

QString RawClient::runClient(const QString &script) const
{
    const sql::ConnectionSettings &s = m_url.settings;
    QProcess process;
    QStringList args;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    if (m_url.backend == sql::Backend::PostgreSQL) {
        args << QStringLiteral("-X") << QStringLiteral("-q") << QStringLiteral("-v")
             << QStringLiteral("ON_ERROR_STOP=1") << QStringLiteral("-h") << s.host
             << QStringLiteral("-p") << QString::number(s.port) << QStringLiteral("-U") << s.user
             << QStringLiteral("-d") << s.database;
        if (!s.password.isEmpty())
            env.insert(QStringLiteral("PGPASSWORD"), s.password);
        process.setProgram(QStringLiteral("psql"));
    } else {
        args << QStringLiteral("--no-defaults") << QStringLiteral("--batch")
             << QStringLiteral("--skip-column-names") << QStringLiteral("-h") << s.host
             << QStringLiteral("-P") << QString::number(s.port) << QStringLiteral("-u") << s.user
             << s.database;
        if (!s.password.isEmpty())
            env.insert(QStringLiteral("MYSQL_PWD"), s.password);
        process.setProgram(QStringLiteral("mariadb"));
    }
    process.setArguments(args);
    process.setProcessEnvironment(env);
    process.start();
    process.write(script.toUtf8());
    process.closeWriteChannel();
    if (!process.waitForFinished(30 * 60 * 1000) || process.exitCode() != 0)
        throw std::runtime_error("client failed: "
                                 + QString::fromUtf8(process.readAllStandardError()).toStdString());
    return QString::fromUtf8(process.readAllStandardOutput());
}

std::vector<double> RawClient::time(const std::vector<RawStatement> &statements,
                                    int repetitions) const
{
    QString script;
    const bool pg = m_url.backend == sql::Backend::PostgreSQL;
    if (pg)
        script += QStringLiteral("SET TIME ZONE 'UTC';\n\\o /dev/null\n\\timing on\n");
    else
        script += QStringLiteral("SET time_zone = '+00:00';\n");
    for (int r = 0; r < repetitions; ++r) {
        if (!pg)
            script += QStringLiteral("SET @mc_t0 = SYSDATE(6);\n");
        for (const RawStatement &statement : statements) {
            // The client reads and formats every row, as the store does; only timings are kept.
            script += literalSql(statement) + QStringLiteral(";\n");
        }
        if (!pg)
            script += QStringLiteral("SELECT 'mc-time', TIMESTAMPDIFF(MICROSECOND, @mc_t0, "
                                     "SYSDATE(6));\n");
    }
    const QString output = runClient(script);
    std::vector<double> perRepetition;
    if (pg) {
        // \timing prints "Time: 0.123 ms" on stdout for every statement, even with \o elsewhere.
        static const QRegularExpression timeLine(QStringLiteral("^Time: ([0-9.]+) ms"),
                                                 QRegularExpression::MultilineOption);
        std::vector<double> all;
        for (auto it = timeLine.globalMatch(output); it.hasNext();)
            all.push_back(it.next().captured(1).toDouble());
        const size_t per = statements.size();
        // The first line belongs to SET TIME ZONE when \timing was already on; skip extras.
        const size_t offset = all.size() - per * size_t(repetitions);
        for (int r = 0; r < repetitions; ++r) {
            double sum = 0;
            for (size_t i = 0; i < per; ++i)
                sum += all.at(offset + size_t(r) * per + i);
            perRepetition.push_back(sum);
        }
    } else {
        static const QRegularExpression timeLine(QStringLiteral("^mc-time\\t([0-9]+)$"),
                                                 QRegularExpression::MultilineOption);
        for (auto it = timeLine.globalMatch(output); it.hasNext();)
            perRepetition.push_back(it.next().captured(1).toDouble() / 1000.0);
    }
    if (perRepetition.size() != size_t(repetitions))
        throw std::runtime_error("could not read the client's timings");
    return perRepetition;
}

} // namespace mc::bench
