#pragma once

// For a test program's initTestCase: its QSettings (window layout, recent URLs, intervals) go to
// `dir`, out of the user's, and numbers read as the expected values write them (the C locale).

#include <QCoreApplication>
#include <QLocale>
#include <QSettings>
#include <QTemporaryDir>

namespace mc::test {

inline bool useScratchSettings(const QTemporaryDir &dir, const QString &application)
{
    if (!dir.isValid())
        return false;
    QSettings::setDefaultFormat(QSettings::IniFormat);
    QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, dir.path());
    QCoreApplication::setOrganizationName(QStringLiteral("MigrationConsoleTests"));
    QCoreApplication::setApplicationName(application);
    QLocale::setDefault(QLocale::c());
    return true;
}

} // namespace mc::test
