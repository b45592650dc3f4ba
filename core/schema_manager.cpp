#include "schema_manager.h"

#include <QDir>
#include <QFile>
#include <QRegularExpression>

#include <algorithm>

namespace mc {

namespace {

QString backendFolder(sql::Backend backend)
{
    return backend == sql::Backend::PostgreSQL ? QStringLiteral("postgresql")
                                               : QStringLiteral("mariadb");
}

QStringList scriptFiles(const QString &dir)
{
    return QDir(dir).entryList({QStringLiteral("*.sql")}, QDir::Files, QDir::Name);
}

int newestVersion(const QString &dir)
{
    const QStringList files = scriptFiles(dir);
    return files.isEmpty() ? 0 : files.last().left(3).toInt();
}

} // namespace

int SchemaManager::builtInVersion()
{
    // Both backends carry the same numbered list: 001_initial.sql, 002_…
    return newestVersion(QStringLiteral(":/schema/postgresql"));
}

QString SchemaManager::roleStatements(sql::Backend backend)
{
    const QString dir = QStringLiteral(":/schema/") + backendFolder(backend);
    for (const QString &name : scriptFiles(dir)) {
        QFile file(dir + QLatin1Char('/') + name);
        if (!file.open(QIODevice::ReadOnly))
            continue;
        const QString text = QString::fromUtf8(file.readAll());
        const qsizetype begin = text.indexOf(QLatin1String("-- mc:roles begin\n"));
        const qsizetype end = text.indexOf(QLatin1String("-- mc:roles end"));
        if (begin < 0 || end < begin)
            continue;
        QString statements;
        for (const QString &line : text.mid(begin, end - begin).split(u'\n').mid(1)) {
            if (line.trimmed() == u"--@@") // MariaDB's separator: one statement ends here
                statements = statements.trimmed() + QStringLiteral(";\n");
            else
                statements += line + u'\n';
        }
        statements = statements.trimmed();
        return statements + (statements.endsWith(u';') ? QStringLiteral("\n")
                                                       : QStringLiteral(";\n"));
    }
    return {};
}

QString SchemaManager::backendDir() const
{
    return m_scriptRoot + QLatin1Char('/') + backendFolder(m_connection.backend());
}

int SchemaManager::knownVersion() const
{
    return newestVersion(backendDir());
}

QString SchemaManager::script(int version) const
{
    const QString prefix = QStringLiteral("%1_").arg(version, 3, 10, QLatin1Char('0'));
    for (const QString &name : scriptFiles(backendDir())) {
        if (name.startsWith(prefix)) {
            QFile file(backendDir() + QLatin1Char('/') + name);
            if (file.open(QIODevice::ReadOnly))
                return QString::fromUtf8(file.readAll());
        }
    }
    throw sql::DbError(sql::DbError::Kind::Other,
                       "schema script for version " + std::to_string(version) + " is missing");
}

QString SchemaManager::tablesSql(sql::Backend backend)
{
    return backend == sql::Backend::PostgreSQL
        ? QStringLiteral("SELECT table_name FROM information_schema.tables "
                         "WHERE table_schema = current_schema() ORDER BY table_name")
        : QStringLiteral("SELECT table_name FROM information_schema.tables "
                         "WHERE table_schema = DATABASE() ORDER BY table_name");
}

QStringList SchemaManager::tablesInDatabase()
{
    const sql::Rows rows = m_connection.query(tablesSql(m_connection.backend()));
    QStringList names;
    for (int r = 0; r < rows.size(); ++r)
        names << rows.text(r, 0);
    return names;
}

SchemaStatus SchemaManager::status()
{
    return status(tablesInDatabase());
}

SchemaStatus SchemaManager::status(const QStringList &tables)
{
    SchemaStatus status;
    status.knownVersion = knownVersion();
    if (tables.isEmpty()) {
        status.state = SchemaStatus::State::Empty;
        return status;
    }
    auto foreign = [&](const QString &why) {
        status.state = SchemaStatus::State::Foreign;
        const QStringList sample = tables.mid(0, 5);
        status.detail = QStringLiteral("%1 (tables found: %2%3). Use an empty database, or map "
                                       "yours onto the contract with views.")
                            .arg(why, sample.join(QStringLiteral(", ")),
                                 tables.size() > 5 ? QStringLiteral(", …") : QString());
        return status;
    };
    if (!tables.contains(QStringLiteral("schema_version")))
        return foreign(QStringLiteral("This database holds tables that are not a merge database"));

    sql::Rows rows;
    try {
        // A batch of one: read once per session, not worth preparing (a round trip of its own).
        rows = m_connection.batch({{QStringLiteral("SELECT MAX(version) FROM schema_version")}})
                   .at(0);
    } catch (const sql::DbError &error) {
        if (error.kind() != sql::DbError::Kind::Syntax)
            throw;
        if (m_connection.inTransaction())
            m_connection.rollback();
        return foreign(QStringLiteral("Its schema_version table is not ours"));
    }
    status.installedVersion = rows.empty() || rows.isNull(0, 0) ? 0 : rows.int32(0, 0);
    if (status.installedVersion == status.knownVersion) {
        status.state = SchemaStatus::State::Current;
    } else if (status.installedVersion > status.knownVersion) {
        status.state = SchemaStatus::State::Newer;
        status.detail = QStringLiteral("The database has schema version %1, newer than version %2 "
                                       "that this Migration Console knows. Upgrade the console; "
                                       "nothing was changed.")
                            .arg(status.installedVersion)
                            .arg(status.knownVersion);
    } else if (status.installedVersion <= 0) {
        return foreign(QStringLiteral("Its schema_version table is empty"));
    } else {
        status.state = SchemaStatus::State::Older;
        status.detail = QStringLiteral("The database has schema version %1; this console can "
                                       "upgrade it to version %2.")
                            .arg(status.installedVersion)
                            .arg(status.knownVersion);
    }
    return status;
}

struct SchemaManager::ScriptPart
{
    QString sql;
    QString table;  // set for a batched statement
    QString column;
    qint64 rows = 0;
    QString what;
};

QList<SchemaManager::ScriptPart> SchemaManager::parts(const QString &script)
{
    static const QRegularExpression directive(
        QStringLiteral("^--\\s*mc:batch\\s+(\\w+)\\.(\\w+)\\s+(\\d+)\\s+(.+)$"));
    QList<ScriptPart> result{ScriptPart{}};
    for (const QString &line : script.split(u'\n')) {
        const QRegularExpressionMatch match = directive.match(line.trimmed());
        if (match.hasMatch()) {
            result.append(ScriptPart{QString(), match.captured(1), match.captured(2),
                                     match.captured(3).toLongLong(), match.captured(4)});
        } else if (!result.last().table.isEmpty() && line.trimmed() == u"--@@") {
            result.append(ScriptPart{}); // the batched statement ends here
        } else {
            result.last().sql += line + u'\n';
        }
    }
    return result;
}

void SchemaManager::runBatches(const ScriptPart &part, int version,
                               const SchemaProgressFn &progress)
{
    const sql::Rows bounds = m_connection.query(
        QStringLiteral("SELECT MIN(%1), MAX(%1) FROM %2").arg(part.column, part.table));
    if (bounds.empty() || bounds.isNull(0, 0))
        return;
    const qint64 first = bounds.int64(0, 0);
    const qint64 last = bounds.int64(0, 1);
    const qint64 total = last - first + 1;
    for (qint64 from = first; from <= last; from += part.rows) {
        const qint64 to = std::min(from + part.rows, last + 1);
        QString sql = part.sql;
        sql.replace(QLatin1String("{from}"), QString::number(from))
            .replace(QLatin1String("{to}"), QString::number(to));
        for (int attempt = 1;; ++attempt) {
            try {
                m_connection.execScript(sql);
                break;
            } catch (const sql::DbError &error) {
                // MariaDB commits each range on its own (the DDL before it ended the upgrade's
                // transaction): a range that met a writer's lock is simply run again.
                if (error.kind() != sql::DbError::Kind::Deadlock
                    || m_connection.backend() != sql::Backend::MariaDB || attempt >= 5)
                    throw;
            }
        }
        if (progress)
            progress({version, part.what, to - first, total});
    }
}

void SchemaManager::apply(const QString &installedBy, const SchemaProgressFn &progress)
{
    const SchemaStatus before = status();
    if (before.state != SchemaStatus::State::Empty && before.state != SchemaStatus::State::Older)
        throw sql::DbError(sql::DbError::Kind::Other, "schema is not empty or older");
    for (int version = before.installedVersion + 1; version <= before.knownVersion; ++version) {
        if (progress) {
            const QString prefix = QStringLiteral("%1_").arg(version, 3, 10, QLatin1Char('0'));
            const QStringList names = scriptFiles(backendDir()).filter(prefix);
            progress({version, QStringLiteral("applying %1").arg(names.value(0)), 0, 0});
        }
        for (const ScriptPart &part : parts(script(version))) {
            if (part.table.isEmpty())
                m_connection.execScript(part.sql);
            else
                runBatches(part, version, progress);
        }
        m_connection.exec(QStringLiteral("INSERT INTO schema_version (version, installed_by, "
                                         "description) VALUES ($1, $2, $3)"),
                          {version, installedBy,
                           QStringLiteral("Migration Console schema v%1").arg(version)});
    }
}

} // namespace mc
