#pragma once

// The database URLs an operator connected to, newest first, kept in QSettings without passwords.

#include <QStringList>

class QSettings;

namespace mc::widgets {

class RecentUrls
{
public:
    static constexpr int kMaxEntries = 10;

    explicit RecentUrls(QSettings &settings);

    QStringList urls() const;
    void remember(const QString &url); // drops the password, moves the URL to the front

    static QString withoutPassword(const QString &url);
    static QString password(const QString &url);
    static QString withPassword(const QString &url, const QString &password);

private:
    QSettings &m_settings;
};

} // namespace mc::widgets
