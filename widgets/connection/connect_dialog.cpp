#include "connect_dialog.h"

#include "connection_url.h"
#include "recent_urls.h"

#include <QColor>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QVBoxLayout>

namespace mc::widgets {

ConnectDialog::ConnectDialog(const QStringList &recentUrls, QWidget *parent)
    : ConnectDialog(recentUrls, {}, parent)
{
}

ConnectDialog::ConnectDialog(const QStringList &recentUrls,
                             const QList<ConnectionProfile> &profiles, QWidget *parent)
    : QDialog(parent), m_profiles(profiles), m_profile(new QComboBox(this)),
      m_url(new QComboBox(this)), m_password(new QLineEdit(this)),
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
    m_profile->addItem(tr("(no profile: type a URL)"));
    for (const ConnectionProfile &profile : m_profiles) {
        const QString className = environmentClassName(profile.environmentClass);
        m_profile->addItem(profile.readOnly ? tr("%1 — %2, read-only").arg(profile.name, className)
                                            : tr("%1 — %2").arg(profile.name, className));
        m_profile->setItemData(m_profile->count() - 1,
                               QColor(environmentColour(profile.environmentClass)),
                               Qt::ForegroundRole);
    }
    connect(m_profile, &QComboBox::currentIndexChanged, this, &ConnectDialog::onProfileChosen);

    auto *form = new QFormLayout;
    if (!m_profiles.isEmpty())
        form->addRow(tr("P&rofile:"), m_profile);
    else
        m_profile->hide();
    form->addRow(tr("&URL:"), m_url);
    form->addRow(tr("&Password:"), m_password);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(hint);
    layout->addWidget(m_problem);
    layout->addWidget(m_buttons);

    connect(m_url, &QComboBox::editTextChanged, this, &ConnectDialog::onUrlEdited);
    connect(m_buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    validate();
}

void ConnectDialog::onProfileChosen(int index)
{
    if (index <= 0 || index > m_profiles.size())
        return;
    m_url->setEditText(m_profiles.at(index - 1).connectionUrl());
    m_password->setFocus();
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
