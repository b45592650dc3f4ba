#include "connection_url.h"

#include <QUrl>
#include <QUrlQuery>

namespace mc {

QString backendName(sql::Backend backend)
{
    return backend == sql::Backend::PostgreSQL ? QStringLiteral("postgresql")
                                               : QStringLiteral("mariadb");
}

Result<ConnectionUrl> ConnectionUrl::parse(const QString &text)
{
    const QUrl url(text.trimmed(), QUrl::StrictMode);
    auto invalid = [&](const QString &why) {
        return StoreError::make(StoreError::Kind::InvalidInput,
                                QStringLiteral("Invalid database URL: %1").arg(why));
    };
    if (!url.isValid())
        return invalid(url.errorString());

    ConnectionUrl result;
    const QString scheme = url.scheme().toLower();
    if (scheme == QLatin1String("postgresql") || scheme == QLatin1String("postgres")) {
        result.backend = sql::Backend::PostgreSQL;
        result.settings.port = 5432;
    } else if (scheme == QLatin1String("mysql") || scheme == QLatin1String("mariadb")) {
        result.backend = sql::Backend::MariaDB;
        result.settings.port = 3306;
    } else {
        return invalid(QStringLiteral("it must start with postgresql://, mysql:// or mariadb://"));
    }

    const QUrlQuery query(url);
    result.settings.host = url.host().isEmpty() ? QStringLiteral("127.0.0.1") : url.host();
    if (url.port() > 0)
        result.settings.port = url.port();
    result.settings.user = url.userName(QUrl::FullyDecoded);
    result.settings.password = url.password(QUrl::FullyDecoded);
    result.settings.database = url.path(QUrl::FullyDecoded).mid(1);
    result.settings.socket = query.queryItemValue(QStringLiteral("socket"), QUrl::FullyDecoded);
    result.settings.sslMode = query.queryItemValue(QStringLiteral("sslmode"), QUrl::FullyDecoded);
    if (result.settings.sslMode.isEmpty())
        result.settings.sslMode = query.queryItemValue(QStringLiteral("ssl"), QUrl::FullyDecoded);
    const QString timeout = query.queryItemValue(QStringLiteral("connect_timeout"));
    if (!timeout.isEmpty()) {
        bool ok = false;
        const int seconds = timeout.toInt(&ok);
        if (!ok || seconds <= 0)
            return invalid(QStringLiteral("connect_timeout must be a positive number of seconds"));
        result.settings.connectTimeoutSeconds = seconds;
    }
    if (result.settings.database.isEmpty() || result.settings.database.contains(QLatin1Char('/')))
        return invalid(QStringLiteral("name the database after the host, as in …/merge"));
    if (result.settings.user.isEmpty())
        result.settings.user = result.backend == sql::Backend::PostgreSQL
                                   ? QStringLiteral("postgres")
                                   : QStringLiteral("root");
    return result;
}

namespace {

QUrl toUrl(const ConnectionUrl &source, bool withPassword)
{
    const sql::ConnectionSettings &settings = source.settings;
    QUrl url;
    url.setScheme(backendName(source.backend));
    url.setUserName(settings.user);
    if (withPassword && !settings.password.isEmpty())
        url.setPassword(settings.password);
    url.setHost(settings.host);
    url.setPort(settings.port);
    url.setPath(QLatin1Char('/') + settings.database);
    QUrlQuery query;
    if (!settings.socket.isEmpty())
        query.addQueryItem(QStringLiteral("socket"), settings.socket);
    if (!settings.sslMode.isEmpty())
        query.addQueryItem(QStringLiteral("sslmode"), settings.sslMode);
    if (settings.connectTimeoutSeconds != sql::ConnectionSettings().connectTimeoutSeconds)
        query.addQueryItem(QStringLiteral("connect_timeout"),
                           QString::number(settings.connectTimeoutSeconds));
    url.setQuery(query);
    return url;
}

} // namespace

QString ConnectionUrl::toString() const
{
    return toUrl(*this, true).toString();
}

QString ConnectionUrl::redacted() const
{
    return toUrl(*this, false).toString();
}

} // namespace mc
