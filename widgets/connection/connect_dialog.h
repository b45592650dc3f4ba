#pragma once

// Asks for the merge database to connect to: a URL (recent ones offered, never with their
// password) and the password in a masked field. A password typed or pasted into the URL moves to
// the masked field at once.

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

    void setUrl(const QString &url);
    QString url() const; // with the password

    QComboBox *urlField() const { return m_url; }
    QLineEdit *passwordField() const { return m_password; }

private:
    void onUrlEdited(const QString &text);
    void validate();

    QComboBox *m_url;
    QLineEdit *m_password;
    QLabel *m_problem;
    QDialogButtonBox *m_buttons;
};

} // namespace mc::widgets
