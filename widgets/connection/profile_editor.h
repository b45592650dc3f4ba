#pragma once

// Creates, edits and deletes connection profiles: a name, the URL without a password, the
// environment class the operator expects (shown in its colour), read-only (turned on when the
// class becomes production) and the TLS files (CA, client certificate and key), which go into the
// URL's parameters for its backend. Imports a PostgreSQL service file. Saves to a ProfileStore;
// a password in the URL is refused (the keychain remembers passwords).

#include "connection_profile.h"

#include <QDialog>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QListWidget;
class QPushButton;

namespace mc::widgets {

class ProfileEditor : public QDialog
{
    Q_OBJECT

public:
    explicit ProfileEditor(ProfileStore &store, QWidget *parent = nullptr);

    // Shows the profile in the form (the list's selection follows).
    void select(const QString &name);
    // Saves the form; false (the reason shown under the form) when the store refuses it.
    bool saveCurrent();
    void deleteCurrent();
    // An empty form for a new profile (the New button); saving the form of an existing profile
    // under another name renames it.
    void startNew();
    // Imports every service of a PostgreSQL service file; the outcome is shown under the form.
    void importServiceFile(const QString &path);

    QListWidget *list() const { return m_list; }
    QLineEdit *nameField() const { return m_name; }
    QLineEdit *urlField() const { return m_url; }
    QComboBox *classField() const { return m_class; }
    QCheckBox *readOnlyField() const { return m_readOnly; }
    QLineEdit *caField() const { return m_ca; }
    QLineEdit *certField() const { return m_cert; }
    QLineEdit *keyField() const { return m_key; }
    QLabel *messageLabel() const { return m_message; }

private:
    void reload(const QString &selected);
    void showProfile(const ConnectionProfile &profile);
    void onClassChosen();
    void chooseServiceFile();
    void say(const QString &text, bool problem);
    // The profile the form describes, its TLS files put into the URL; an error names the field.
    Result<ConnectionProfile> fromForm() const;

    ProfileStore &m_store;
    QListWidget *m_list;
    QLineEdit *m_name;
    QLineEdit *m_url;
    QComboBox *m_class;
    QCheckBox *m_readOnly;
    QLineEdit *m_ca;
    QLineEdit *m_cert;
    QLineEdit *m_key;
    QLabel *m_message;
    QString m_editing; // the stored name of the profile in the form; empty for a new one
};

} // namespace mc::widgets
