#include "recent_urls.h"

#include "url_secret.h"

#include <QRegularExpression>
#include <QSettings>
#include <QUrl>

namespace mc::widgets {

namespace {

const QString kKey = QStringLiteral("connection/recentUrls");

} // namespace

RecentUrls::RecentUrls(QSettings &settings) : m_settings(settings) {}

QStringList RecentUrls::urls() const
{
    return m_settings.value(kKey).toStringList();
}

void RecentUrls::remember(const QString &url)
{
    const QString clean = withoutPassword(url);
    QStringList list = urls();
    list.removeAll(clean);
    list.prepend(clean);
    while (list.size() > kMaxEntries)
        list.removeLast();
    m_settings.setValue(kKey, list);
}

QString RecentUrls::withoutPassword(const QString &url)
{
    // By hand, not by QUrl: a URL QUrl calls invalid keeps its password otherwise.
    return splitPassword(url.trimmed()).withoutPassword;
}

QString RecentUrls::password(const QString &url)
{
    const QString typed = splitPassword(url.trimmed()).password;
    // Percent-encoded as a URL wants it, it is decoded; a lone '%' is taken as typed.
    static const QRegularExpression loneEscape(QStringLiteral("%(?![0-9A-Fa-f]{2})"));
    if (typed.contains(loneEscape))
        return typed;
    return QString::fromUtf8(QByteArray::fromPercentEncoding(typed.toUtf8()));
}

QString RecentUrls::withPassword(const QString &url, const QString &password)
{
    return mc::withPassword(url.trimmed(), password);
}

} // namespace mc::widgets
