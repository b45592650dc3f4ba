#include "connection_url.h"

#include "url_secret.h"

#include <QUrl>
#include <QUrlQuery>

namespace mc {

QString backendName(sql::Backend backend)
{
    return backend == sql::Backend::PostgreSQL ? QStringLiteral("postgresql")
                                               : QStringLiteral("mariadb");
}

namespace {

StoreError invalid(const QString &why)
{
    return StoreError::make(StoreError::Kind::InvalidInput,
                            QStringLiteral("Invalid database URL: %1").arg(why));
}

bool isHex(QChar c)
{
    return (c >= u'0' && c <= u'9') || (c >= u'a' && c <= u'f') || (c >= u'A' && c <= u'F');
}

// Percent-decodes user information; a '%' must start "%XX". Never echoes the text.
std::optional<QString> decodeUserInfo(const QString &text)
{
    for (qsizetype i = text.indexOf(u'%'); i >= 0; i = text.indexOf(u'%', i + 1))
        if (i + 2 >= text.size() || !isHex(text.at(i + 1)) || !isHex(text.at(i + 2)))
            return std::nullopt;
    return QString::fromUtf8(QByteArray::fromPercentEncoding(text.toUtf8()));
}

const QStringList kPostgresModes = {"disable", "allow",     "prefer",
                                    "require", "verify-ca", "verify-full"};
const QStringList kMariaDbModes = {"DISABLED", "REQUIRED", "VERIFY_CA", "VERIFY_IDENTITY"};

// Applies one query parameter; returns an error naming it when it is not known here.
std::optional<StoreError> applyParameter(ConnectionUrl &result, const QString &key,
                                         const QString &value)
{
    sql::ConnectionSettings &s = result.settings;
    const bool pg = result.backend == sql::Backend::PostgreSQL;
    const QString where = pg ? QStringLiteral("a PostgreSQL URL") : QStringLiteral("a MariaDB URL");
    if (key == u"connect_timeout") {
        bool ok = false;
        const int seconds = value.toInt(&ok);
        if (!ok || seconds <= 0)
            return invalid(QStringLiteral("connect_timeout must be a positive number of seconds"));
        s.connectTimeoutSeconds = seconds;
        return std::nullopt;
    }
    if (key == u"read_only") {
        if (value != u"true" && value != u"false" && value != u"1" && value != u"0")
            return invalid(QStringLiteral("read_only=%1 must be true or false").arg(value));
        s.readOnly = value == u"true" || value == u"1";
        return std::nullopt;
    }
    if (pg && key == u"sslmode") {
        if (!kPostgresModes.contains(value))
            return invalid(QStringLiteral("sslmode=%1 is not one of %2")
                               .arg(value, kPostgresModes.join(u'|')));
        s.sslMode = value;
        return std::nullopt;
    }
    if (!pg && key == u"ssl-mode") {
        const QString mode = value.toUpper();
        if (!kMariaDbModes.contains(mode))
            return invalid(QStringLiteral("ssl-mode=%1 is not one of %2")
                               .arg(value, kMariaDbModes.join(u'|')));
        s.sslMode = mode;
        return std::nullopt;
    }
    QString *file = nullptr;
    if (key == (pg ? u"sslrootcert" : u"ssl-ca"))
        file = &s.sslRootCert;
    else if (key == (pg ? u"sslcert" : u"ssl-cert"))
        file = &s.sslCert;
    else if (key == (pg ? u"sslkey" : u"ssl-key"))
        file = &s.sslKey;
    else if (!pg && key == u"socket")
        file = &s.socket;
    if (file) {
        if (value.isEmpty())
            return invalid(QStringLiteral("%1 needs a file path").arg(key));
        *file = value;
        return std::nullopt;
    }
    QString hint;
    if (!pg && (key == u"ssl" || key == u"sslmode"))
        hint = QStringLiteral(" (use ssl-mode=REQUIRED, VERIFY_CA or VERIFY_IDENTITY)");
    else if (pg && (key == u"ssl" || key == u"ssl-mode"))
        hint = QStringLiteral(" (use sslmode=require, verify-ca or verify-full)");
    return invalid(QStringLiteral("unknown parameter \"%1\" in %2%3").arg(key, where, hint));
}

} // namespace

Result<ConnectionUrl> ConnectionUrl::parse(const QString &input)
{
    const QString text = input.trimmed();
    if (text.isEmpty())
        return invalid(QStringLiteral("it is empty"));
    // The user information is taken apart by hand: a password may hold characters QUrl rejects,
    // and QUrl's error text would repeat the whole URL with it.
    const qsizetype separator = text.indexOf(QLatin1String("://"));
    if (separator <= 0)
        return invalid(QStringLiteral("it must start with postgresql://, mysql:// or mariadb://"));
    const qsizetype at = userInfoEnd(text, separator + 3);
    QString user;
    QString password;
    if (at >= 0) {
        const QString info = text.mid(separator + 3, at - separator - 3);
        const qsizetype colon = info.indexOf(u':');
        const auto decodedUser = decodeUserInfo(colon < 0 ? info : info.left(colon));
        if (!decodedUser)
            return invalid(QStringLiteral("the user name has a % that does not start %XX "
                                          "(write % as %25)"));
        user = *decodedUser;
        if (colon >= 0) {
            const auto decoded = decodeUserInfo(info.mid(colon + 1));
            if (!decoded)
                return invalid(QStringLiteral("the password has a % that does not start %XX "
                                              "(write % as %25)"));
            password = *decoded;
        }
    }
    const QString rest = text.left(separator + 3) + text.mid(at < 0 ? separator + 3 : at + 1);
    const QUrl url(rest, QUrl::StrictMode);
    if (!url.isValid()) // the text holds no password any more
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

    result.settings.host = url.host().isEmpty() ? QStringLiteral("127.0.0.1") : url.host();
    if (url.port() > 0)
        result.settings.port = url.port();
    result.settings.user = user;
    result.settings.password = password;
    result.settings.database = url.path(QUrl::FullyDecoded).mid(1);
    const QUrlQuery query(url);
    for (const auto &[key, value] : query.queryItems(QUrl::FullyDecoded))
        if (auto problem = applyParameter(result, key, value))
            return *problem;
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
    const bool pg = source.backend == sql::Backend::PostgreSQL;
    QUrl url;
    url.setScheme(backendName(source.backend));
    url.setUserName(settings.user);
    if (withPassword && !settings.password.isEmpty())
        url.setPassword(settings.password);
    url.setHost(settings.host);
    url.setPort(settings.port);
    url.setPath(QLatin1Char('/') + settings.database);
    QUrlQuery query;
    const auto add = [&query](const QString &key, const QString &value) {
        if (!value.isEmpty())
            query.addQueryItem(key, value);
    };
    add(QStringLiteral("socket"), settings.socket);
    add(pg ? QStringLiteral("sslmode") : QStringLiteral("ssl-mode"), settings.sslMode);
    add(pg ? QStringLiteral("sslrootcert") : QStringLiteral("ssl-ca"), settings.sslRootCert);
    add(pg ? QStringLiteral("sslcert") : QStringLiteral("ssl-cert"), settings.sslCert);
    add(pg ? QStringLiteral("sslkey") : QStringLiteral("ssl-key"), settings.sslKey);
    if (settings.readOnly)
        query.addQueryItem(QStringLiteral("read_only"), QStringLiteral("true"));
    if (settings.connectTimeoutSeconds != sql::ConnectionSettings().connectTimeoutSeconds)
        query.addQueryItem(QStringLiteral("connect_timeout"),
                           QString::number(settings.connectTimeoutSeconds));
    url.setQuery(query);
    return url;
}

} // namespace

QString ConnectionUrl::toString() const
{
    return toUrl(*this, true).toString(QUrl::FullyEncoded);
}

QString ConnectionUrl::redacted() const
{
    return toUrl(*this, false).toString();
}

} // namespace mc
