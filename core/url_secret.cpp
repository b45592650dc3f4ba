#include "url_secret.h"

#include <QUrl>

namespace mc {

namespace {

const QString kMask = QStringLiteral("***");

// The scheme ending at `separator` ("://"): letters, digits, '+', '-', '.'.
qsizetype schemeStart(const QString &text, qsizetype separator)
{
    qsizetype start = separator;
    while (start > 0) {
        const QChar c = text.at(start - 1);
        if (!(c.isLetterOrNumber() || c == u'+' || c == u'-' || c == u'.'))
            break;
        --start;
    }
    return start;
}

// In free text a URL ends at white space; a password holding a space makes the first token end
// before any '@', so then the URL runs on to the next '@' of the line.
qsizetype urlEndInText(const QString &text, qsizetype from)
{
    qsizetype end = from;
    while (end < text.size() && !text.at(end).isSpace())
        ++end;
    if (text.mid(from, end - from).contains(u'@'))
        return end;
    qsizetype lineEnd = text.indexOf(u'\n', from);
    if (lineEnd < 0)
        lineEnd = text.size();
    const qsizetype at = text.indexOf(u'@', from);
    const qsizetype nextUrl = text.indexOf(QLatin1String("://"), from);
    if (at < 0 || at > lineEnd || (nextUrl >= 0 && nextUrl < at))
        return end;
    end = at;
    while (end < lineEnd && !text.at(end).isSpace())
        ++end;
    return end;
}

// Masks the password of the URL text[from, end) whose authority starts at `authority`.
QString maskedUrl(const QString &url, qsizetype authority)
{
    const qsizetype at = userInfoEnd(url, authority);
    if (at < 0)
        return url;
    const qsizetype colon = url.indexOf(u':', authority);
    if (colon < 0 || colon > at)
        return url;
    return url.left(colon + 1) + kMask + url.mid(at);
}

} // namespace

qsizetype userInfoEnd(const QString &url, qsizetype from)
{
    qsizetype at = url.lastIndexOf(u'@');
    if (at < from)
        return -1;
    // "…@host/db?sslrootcert=/certs/a@b": an '@' in the query is not the user's, unless the
    // password itself holds the '?' (then there is no '@' before it).
    const qsizetype query = url.indexOf(u'?', from);
    if (query >= 0 && at > query) {
        const qsizetype before = url.lastIndexOf(u'@', query);
        if (before >= from)
            at = before;
    }
    return at;
}

UrlSecret splitPassword(const QString &url)
{
    UrlSecret result;
    const qsizetype separator = url.indexOf(QLatin1String("://"));
    if (separator < 0) {
        result.withoutPassword = url;
        return result;
    }
    const qsizetype authority = separator + 3;
    const qsizetype at = userInfoEnd(url, authority);
    const qsizetype colon = at < 0 ? -1 : url.indexOf(u':', authority);
    if (colon < 0 || colon > at) {
        result.withoutPassword = url;
        return result;
    }
    result.hasPassword = true;
    result.password = url.mid(colon + 1, at - colon - 1);
    result.withoutPassword = url.left(colon) + url.mid(at);
    return result;
}

QString withPassword(const QString &url, const QString &password)
{
    if (password.isEmpty() || splitPassword(url).hasPassword)
        return url;
    const qsizetype separator = url.indexOf(QLatin1String("://"));
    if (separator < 0)
        return url;
    const qsizetype at = userInfoEnd(url, separator + 3);
    if (at < 0)
        return url; // no user named: the server's default user has no password to take
    const QString encoded = QString::fromLatin1(QUrl::toPercentEncoding(password));
    return url.left(at) + u':' + encoded + url.mid(at);
}

QString redactSecrets(const QString &text)
{
    QString out;
    qsizetype done = 0;
    qsizetype separator = text.indexOf(QLatin1String("://"));
    while (separator >= 0) {
        const qsizetype start = schemeStart(text, separator);
        const qsizetype end = urlEndInText(text, separator + 3);
        out += text.mid(done, start - done);
        const QString url = text.mid(start, end - start);
        out += maskedUrl(url, separator + 3 - start);
        done = end;
        separator = text.indexOf(QLatin1String("://"), end);
    }
    out += text.mid(done);
    // libpq-style "password=…" items (quoted or not).
    static const QLatin1String key("password=");
    qsizetype index = out.indexOf(key, 0, Qt::CaseInsensitive);
    while (index >= 0) {
        const qsizetype valueStart = index + key.size();
        qsizetype valueEnd = valueStart;
        if (valueEnd < out.size() && out.at(valueEnd) == u'\'') {
            ++valueEnd;
            while (valueEnd < out.size() && out.at(valueEnd) != u'\'')
                valueEnd += out.at(valueEnd) == u'\\' ? 2 : 1;
            valueEnd = std::min(valueEnd + 1, out.size());
        } else {
            while (valueEnd < out.size() && !out.at(valueEnd).isSpace())
                ++valueEnd;
        }
        out.replace(valueStart, valueEnd - valueStart, kMask);
        index = out.indexOf(key, valueStart + kMask.size(), Qt::CaseInsensitive);
    }
    return out;
}

} // namespace mc
