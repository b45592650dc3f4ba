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


} // namespace mc::test

QTEST_GUILESS_MAIN(MigctlTest)
