#pragma once

// Asks for the merge database to connect to: a URL (recent ones offered, never with their
// password) and the password in a masked field. A password typed or pasted into the URL moves to
// the masked field at once.

#include "connection_profile.h"

#include <QDialog>

class QComboBox;
class QDialogButtonBox;
class QLabel;
class QLineEdit;

namespace mc::widgets {

class ConnectDialog : public QDialog
{
    Q_OBJECT

public:
    ConnectDialog(const QStringList &recentUrls, QWidget *parent = nullptr);
    // With the saved connection profiles offered first; choosing one fills the URL (read-only
    // when the profile says so).
    ConnectDialog(const QStringList &recentUrls, const QList<ConnectionProfile> &profiles,
                  QWidget *parent = nullptr);

    void setUrl(const QString &url);
    QString url() const; // with the password

    QComboBox *urlField() const { return m_url; }
    QComboBox *profileField() const { return m_profile; }
    QLineEdit *passwordField() const { return m_password; }

private:
    void onUrlEdited(const QString &text);
    void validate();

    void onProfileChosen(int index);

    QList<ConnectionProfile> m_profiles;
    QComboBox *m_profile;
    QComboBox *m_url;
    QLineEdit *m_password;
    QLabel *m_problem;
    QDialogButtonBox *m_buttons;
};

} // namespace mc::widgets
