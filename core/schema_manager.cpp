#include "schema_manager.h"

#include <QDir>
#include <QFile>

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

QStringList SchemaManager::tablesInDatabase()
{
    const QString sql = m_connection.backend() == sql::Backend::PostgreSQL
        ? QStringLiteral("SELECT table_name FROM information_schema.tables "
                         "WHERE table_schema = current_schema() ORDER BY table_name")
        : QStringLiteral("SELECT table_name FROM information_schema.tables "
                         "WHERE table_schema = DATABASE() ORDER BY table_name");
    const sql::Rows rows = m_connection.query(sql);
    QStringList names;
    for (int r = 0; r < rows.size(); ++r)
        names << rows.text(r, 0);
    return names;
}

SchemaStatus SchemaManager::status()
{
    SchemaStatus status;
    status.knownVersion = knownVersion();
    const QStringList tables = tablesInDatabase();
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
        rows = m_connection.query(QStringLiteral("SELECT MAX(version) FROM schema_version"));
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

void SchemaManager::apply(const QString &installedBy)
{
    const SchemaStatus before = status();
    if (before.state != SchemaStatus::State::Empty && before.state != SchemaStatus::State::Older)
        throw sql::DbError(sql::DbError::Kind::Other, "schema is not empty or older");
    for (int version = before.installedVersion + 1; version <= before.knownVersion; ++version) {
        m_connection.execScript(script(version));
        m_connection.exec(QStringLiteral("INSERT INTO schema_version (version, installed_by, "
                                         "description) VALUES ($1, $2, $3)"),
                          {version, installedBy,
                           QStringLiteral("Migration Console schema v%1").arg(version)});
    }
}

} // namespace mc
