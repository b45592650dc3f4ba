#include "recent_urls.h"

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
    QUrl parsed(url.trimmed());
    if (!parsed.isValid() || parsed.password().isEmpty())
        return url.trimmed();
    parsed.setPassword(QString());
    return parsed.toString();
}

QString RecentUrls::password(const QString &url)
{
    return QUrl(url.trimmed()).password(QUrl::FullyDecoded);
}

QString RecentUrls::withPassword(const QString &url, const QString &password)
{
    QUrl parsed(url.trimmed());
    if (password.isEmpty() || !parsed.isValid())
        return url.trimmed();
    parsed.setPassword(password, QUrl::DecodedMode);
    return parsed.toString(QUrl::FullyEncoded);
}

} // namespace mc::widgets
