#pragma once

// What the support tests check without a database (support_units, label `unit`: no server).

#include <QObject>
#include <QTemporaryDir>

class SupportUnitsTest : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void pastedListAccountsForEveryLine();
    void typedUserIsCheckedLikeAListLine();
    void compactChangeSaysWhatChanged();
    void csvFollowsRfc4180();
    void timelineMergesTimesAndRetries();
    void modelsPassTheModelTester();

private:
    QTemporaryDir m_settingsDir;
};
