#include "tst_migctl.h"

#include "sql/sql_connection.h"

#include <QFile>
#include <QFileInfo>
#include <QStringDecoder>
#include <QTest>

using namespace mc;

void MigctlTest::initTestCase()
{
    QVERIFY2(QFileInfo(test::MigctlRunner::binary()).isExecutable(),
             qPrintable(test::MigctlRunner::binary() + QStringLiteral(" is not built")));
    m_server = test::TestServer::fromEnvironment();
    // The server must be there: a missing server fails the suite, it never skips it.
    auto probe = openStore(m_server.admin.toString());
    QVERIFY2(probe.ok(), qPrintable(QStringLiteral("%1 server not reachable at %2: %3")
                                        .arg(m_server.backend, m_server.admin.redacted(),
                                             probe.ok() ? QString() : probe.error().message)));
}

namespace mc::test {

qint64 scalar(FleetWriter &writer, const QString &sql, const QVariantList &params)
{
    return writer.connection().query(sql, params).int64(0, 0);
}

QString statusOf(FleetWriter &writer, const UserKey &user)
{
    const sql::Rows rows = writer.connection().query(
        QStringLiteral("SELECT status FROM user_migrations WHERE source_portal = $1 AND "
                       "source_user_id = $2"),
        {user.portal, user.userId});
    return rows.empty() ? QString() : rows.text(0, 0);
}

void addUsers(FleetWriter &writer, const QString &portal, qint64 first, qint64 count,
              UserStatus status)
{
    std::vector<NewUser> users;
    for (qint64 id = first; id < first + count; ++id) {
        NewUser user;
        user.user = {portal, id};
        user.status = status;
        users.push_back(user);
    }
    writer.addUsers(users);
}

qint64 addFailure(FleetWriter &writer, const UserKey &user, int model, const QString &errorClass,
                  const QString &message, std::optional<EpochMs> failedAt)
{
    NewFailure failure;
    failure.user = user;
    failure.modelId = model;
    failure.recordId = QStringLiteral("r%1").arg(user.userId);
    failure.errorClass = errorClass;
    failure.message = message;
    failure.failedAt = failedAt;
    return writer.addFailure(failure);
}

QSet<QString> usersWithStatus(FleetWriter &writer, const QString &status)
{
    const sql::Rows rows = writer.connection().query(
        QStringLiteral("SELECT source_portal, source_user_id FROM user_migrations WHERE "
                       "status = $1"),
        {status});
    QSet<QString> users;
    for (int r = 0; r < rows.size(); ++r)
        users << QStringLiteral("%1:%2").arg(rows.text(r, 0)).arg(rows.int64(r, 1));
    return users;
}

QStringList args(std::initializer_list<const char *> list)
{
    QStringList result;
    for (const char *item : list)
        result << QString::fromUtf8(item);
    return result;
}

QStringList naughtyStrings()
{
    QFile file(QStringLiteral(MC_SOURCE_DIR "/../shared/corpora/naughty-strings/blns.txt"));
    if (!file.open(QIODevice::ReadOnly))
        qFatal("cannot read %s", qPrintable(file.fileName()));
    QStringList strings;
    for (const QByteArray &line : file.readAll().split('\n')) {
        if (line.isEmpty() || line.startsWith('#'))
            continue;
        // Keep a leading U+FEFF: QString::fromUtf8 would drop it, and one line is nothing else.
        QStringDecoder utf8(QStringConverter::Utf8, QStringConverter::Flag::ConvertInitialBom);
        strings << QString(utf8(line));
    }
    return strings;
}

} // namespace mc::test

QTEST_GUILESS_MAIN(MigctlTest)
