#include "connect_dialog.h"

#include "connection_url.h"
#include "password_keychain.h"
#include "profile_editor.h"
#include "recent_urls.h"

#include <QCheckBox>
#include <QColor>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QTimer>
#include <QVBoxLayout>

namespace mc::widgets {

namespace {

// A URL typed by hand is looked up in the keychain once the typing pauses.
constexpr int kReadDelayMs = 400;

} // namespace

ConnectDialog::ConnectDialog(const QStringList &recentUrls, QWidget *parent)
    : ConnectDialog(recentUrls, {}, parent)
{
}

ConnectDialog::ConnectDialog(const QStringList &recentUrls,
                             const QList<ConnectionProfile> &profiles, QWidget *parent)
    : QDialog(parent), m_profiles(profiles), m_profile(new QComboBox(this)),
      m_url(new QComboBox(this)), m_password(new QLineEdit(this)),
      m_remember(new QCheckBox(tr("&Remember password in the keychain"), this)),
      m_keychainNote(new QLabel(this)), m_editProfiles(new QPushButton(tr("Pro&files…"), this)),
      m_readDelay(new QTimer(this)), m_form(new QFormLayout), m_profileRow(new QWidget(this)),
      m_problem(new QLabel(this)),
      m_buttons(new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this))
{
    setWindowTitle(tr("Connect to a merge database"));
    setObjectName(QStringLiteral("connectDialog"));
    m_url->setEditable(true);
    m_url->addItems(recentUrls);
    m_url->setMinimumContentsLength(64);
    m_url->setInsertPolicy(QComboBox::NoInsert);
    m_url->lineEdit()->setPlaceholderText(QStringLiteral("postgresql://user@host:5432/merge"));
    m_password->setEchoMode(QLineEdit::Password);
    m_password->setPlaceholderText(tr("not stored"));
    m_buttons->button(QDialogButtonBox::Ok)->setText(tr("Connect"));
    m_remember->setObjectName(QStringLiteral("rememberPassword"));
    m_remember->hide();
    m_keychainNote->setObjectName(QStringLiteral("keychainNote"));
    m_keychainNote->setWordWrap(true);
    m_keychainNote->hide();
    m_editProfiles->setObjectName(QStringLiteral("editProfiles"));
    m_editProfiles->hide();
    m_readDelay->setSingleShot(true);
    m_readDelay->setInterval(kReadDelayMs);
    connect(m_readDelay, &QTimer::timeout, this, &ConnectDialog::readRemembered);

    auto *hint = new QLabel(
        tr("<small>postgresql://user@host:5432/merge?sslmode=verify-full&amp;sslrootcert=/ca.pem<br>"
           "mariadb://user@host:3306/merge?ssl-mode=VERIFY_IDENTITY&amp;ssl-ca=/ca.pem "
           "(or mysql://…, ?socket=/path)<br>"
           "Recent URLs are remembered without their password.</small>"),
        this);
    hint->setTextFormat(Qt::RichText);
    hint->setForegroundRole(QPalette::PlaceholderText);
    m_problem->setForegroundRole(QPalette::BrightText);
    m_problem->setStyleSheet(QStringLiteral("color: #c0392b"));

    m_profile->setObjectName(QStringLiteral("profileField"));
    connect(m_profile, &QComboBox::currentIndexChanged, this, &ConnectDialog::onProfileChosen);

    auto *profileRow = new QHBoxLayout(m_profileRow);
    profileRow->setContentsMargins(0, 0, 0, 0);
    profileRow->addWidget(m_profile, 1);
    profileRow->addWidget(m_editProfiles);
    auto *form = m_form;
    form->addRow(tr("P&rofile:"), m_profileRow);
    form->addRow(tr("&URL:"), m_url);
    form->addRow(tr("&Password:"), m_password);
    form->addRow(QString(), m_remember);
    form->addRow(QString(), m_keychainNote);
    fillProfiles();
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(hint);
    layout->addWidget(m_problem);
    layout->addWidget(m_buttons);

    connect(m_url, &QComboBox::editTextChanged, this, &ConnectDialog::onUrlEdited);
    connect(m_editProfiles, &QPushButton::clicked, this, &ConnectDialog::editProfiles);
    connect(m_buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    validate();
}

void ConnectDialog::fillProfiles()
{
    const QSignalBlocker block(m_profile);
    m_profile->clear();
    m_profile->addItem(tr("(no profile: type a URL)"));
    for (const ConnectionProfile &profile : std::as_const(m_profiles)) {
        const QString className = environmentClassName(profile.environmentClass);
        m_profile->addItem(profile.readOnly ? tr("%1 — %2, read-only").arg(profile.name, className)
                                            : tr("%1 — %2").arg(profile.name, className));
        m_profile->setItemData(m_profile->count() - 1,
                               QColor(environmentColour(profile.environmentClass)),
                               Qt::ForegroundRole);
    }
    m_form->setRowVisible(m_profileRow, !m_profiles.isEmpty() || m_store);
}

void ConnectDialog::setProfileStore(ProfileStore *store)
{
    m_store = store;
    m_editProfiles->setVisible(store != nullptr);
    fillProfiles();
}

void ConnectDialog::editProfiles()
{
    if (!m_store)
        return;
    ProfileEditor editor(*m_store, this);
    editor.exec();
    m_profiles = m_store->profiles();
    fillProfiles();
}

void ConnectDialog::setKeychain(PasswordKeychain *keychain)
{
    m_keychain = keychain;
    m_remember->setVisible(keychain != nullptr);
    if (!keychain)
        return;
    m_password->setPlaceholderText(tr("kept only in the keychain, if remembered"));
    connect(keychain, &PasswordKeychain::passwordRead, this, &ConnectDialog::onPasswordRead);
    connect(keychain, &PasswordKeychain::unavailable, this,
            &ConnectDialog::showKeychainUnavailable);
    if (keychain->availability() == PasswordKeychain::Availability::Unavailable)
        showKeychainUnavailable(PasswordKeychain::unavailableText());
    // Also tells, before anything is typed, whether a keychain service answers at all.
    readRemembered();
}

void ConnectDialog::showKeychainUnavailable(const QString &message)
{
    m_keychainNote->setText(message);
    m_keychainNote->show();
    m_password->setPlaceholderText(tr("asked each time, never stored"));
    m_remember->setChecked(false);
    m_remember->setEnabled(false);
}

void ConnectDialog::readRemembered()
{
    if (!m_keychain || m_keychain->availability() == PasswordKeychain::Availability::Unavailable)
        return;
    const QString key = PasswordKeychain::keyFor(m_url->currentText().trimmed());
    m_keychain->read(key.isEmpty() ? QStringLiteral("availability-check") : key);
}

void ConnectDialog::onPasswordRead(const QString &key, const QString &password)
{
    if (key != PasswordKeychain::keyFor(m_url->currentText().trimmed()))
        return; // an answer for a URL no longer in the field
    const bool untouched = m_password->text().isEmpty() || m_password->text() == m_filledPassword;
    m_rememberedKey = password.isEmpty() ? QString() : key;
    if (password.isEmpty()) {
        if (untouched && !m_filledPassword.isEmpty())
            m_password->clear();
        m_filledPassword.clear();
        m_remember->setChecked(false);
        return;
    }
    if (untouched) {
        m_password->setText(password);
        m_filledPassword = password;
    }
    m_remember->setChecked(true);
}

void ConnectDialog::accept()
{
    const QString key = PasswordKeychain::keyFor(m_url->currentText().trimmed());
    if (m_keychain && !key.isEmpty()
        && m_keychain->availability() != PasswordKeychain::Availability::Unavailable) {
        if (m_remember->isChecked() && !m_password->text().isEmpty())
            m_keychain->remember(key, m_password->text());
        else if (!m_remember->isChecked() && m_rememberedKey == key)
            m_keychain->forget(key);
    }
    QDialog::accept();
}

void ConnectDialog::onProfileChosen(int index)
{
    if (index <= 0 || index > m_profiles.size())
        return;
    m_url->setEditText(m_profiles.at(index - 1).connectionUrl());
    m_password->setFocus();
    if (m_readDelay->isActive()) {
        m_readDelay->stop();
        readRemembered();
    }
}

void ConnectDialog::setUrl(const QString &url)
{
    m_url->setEditText(url);
}

QString ConnectDialog::url() const
{
    return RecentUrls::withPassword(m_url->currentText(), m_password->text());
}

void ConnectDialog::onUrlEdited(const QString &text)
{
    const QString password = RecentUrls::password(text);
    if (!password.isEmpty()) {
        // Never leave a password readable on screen: it moves to the masked field.
        m_password->setText(password);
        const QSignalBlocker block(m_url);
        m_url->setEditText(RecentUrls::withoutPassword(text));
    }
    if (m_keychain)
        m_readDelay->start();
    validate();
}

void ConnectDialog::validate()
{
    const QString text = m_url->currentText().trimmed();
    QString problem;
    if (text.isEmpty()) {
        problem = tr("Enter the URL of a merge database.");
    } else {
        // The parser's words never repeat a password (QUrl's error text would).
        const auto parsed = ConnectionUrl::parse(text);
        if (!parsed)
            problem = parsed.error().message;
    }
    m_problem->setText(text.isEmpty() ? QString() : problem);
    m_problem->setVisible(!m_problem->text().isEmpty());
    m_buttons->button(QDialogButtonBox::Ok)->setEnabled(problem.isEmpty());
}

} // namespace mc::widgets
