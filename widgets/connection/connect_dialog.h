#pragma once

// Asks for the merge database to connect to: a URL (recent ones offered, never with their
// password) and the password in a masked field. A password typed or pasted into the URL moves to
// the masked field at once. With a keychain, "Remember password" keeps it in the OS keychain and
// fills it in next time (asked for without waiting); with no keychain service the dialog says the
// password will be asked each time. With a profile store, "Profiles…" opens the profile editor.

#include "connection_profile.h"

#include <QDialog>

class QCheckBox;
class QComboBox;
class QPushButton;
class QTimer;
class QDialogButtonBox;
class QFormLayout;
class QLabel;
class QLineEdit;

namespace mc {
class PasswordKeychain;
}

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

    // Offers "Remember password": reads the current URL's entry, and on Connect remembers or
    // forgets it. The keychain must outlive the dialog (its jobs finish after it closes).
    void setKeychain(PasswordKeychain *keychain);
    // Offers "Profiles…": the editor saves to this store and the profile list follows.
    void setProfileStore(ProfileStore *store);

    void accept() override;

    QComboBox *urlField() const { return m_url; }
    QComboBox *profileField() const { return m_profile; }
    QLineEdit *passwordField() const { return m_password; }
    QCheckBox *rememberField() const { return m_remember; }
    QLabel *keychainNote() const { return m_keychainNote; }
    QPushButton *profilesButton() const { return m_editProfiles; }

private:
    void onUrlEdited(const QString &text);
    void validate();

    void onProfileChosen(int index);
    void fillProfiles();
    void editProfiles();
    void readRemembered();
    void onPasswordRead(const QString &key, const QString &password);
    void showKeychainUnavailable(const QString &message);

    QList<ConnectionProfile> m_profiles;
    ProfileStore *m_store = nullptr;
    PasswordKeychain *m_keychain = nullptr;
    QString m_rememberedKey; // the entry found in the keychain, if any
    QString m_filledPassword; // what the keychain put in the field
    QComboBox *m_profile;
    QComboBox *m_url;
    QLineEdit *m_password;
    QCheckBox *m_remember;
    QLabel *m_keychainNote;
    QPushButton *m_editProfiles;
    QTimer *m_readDelay;
    QFormLayout *m_form;
    QWidget *m_profileRow;
    QLabel *m_problem;
    QDialogButtonBox *m_buttons;
};

} // namespace mc::widgets
