#include "profile_editor.h"

#include "connection_url.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPixmap>
#include <QPushButton>
#include <QVBoxLayout>

namespace mc::widgets {

namespace {

QIcon swatch(EnvironmentClass environmentClass)
{
    QPixmap pixmap(12, 12);
    pixmap.fill(QColor(environmentColour(environmentClass)));
    return QIcon(pixmap);
}

} // namespace

ProfileEditor::ProfileEditor(ProfileStore &store, QWidget *parent)
    : QDialog(parent), m_store(store), m_list(new QListWidget(this)), m_name(new QLineEdit(this)),
      m_url(new QLineEdit(this)), m_class(new QComboBox(this)),
      m_readOnly(new QCheckBox(tr("Open sessions read-only (the server refuses writes)"), this)),
      m_ca(new QLineEdit(this)), m_cert(new QLineEdit(this)), m_key(new QLineEdit(this)),
      m_message(new QLabel(this))
{
    setWindowTitle(tr("Connection profiles"));
    setObjectName(QStringLiteral("profileEditor"));
    for (EnvironmentClass c :
         {EnvironmentClass::Development, EnvironmentClass::Staging, EnvironmentClass::Production})
        m_class->addItem(swatch(c), environmentClassName(c), int(c));
    m_url->setPlaceholderText(QStringLiteral("postgresql://user@host:5432/merge?sslmode=verify-full"));
    m_url->setMinimumWidth(420);
    m_ca->setPlaceholderText(tr("PEM file: the CA that signed the server's certificate"));
    m_cert->setPlaceholderText(tr("PEM file, only if the server asks for one"));
    m_key->setPlaceholderText(tr("PEM file, with the client certificate"));
    m_message->setWordWrap(true);
    connect(m_class, &QComboBox::currentIndexChanged, this, &ProfileEditor::onClassChosen);

    auto *form = new QFormLayout;
    form->addRow(tr("&Name:"), m_name);
    form->addRow(tr("&URL (no password):"), m_url);
    form->addRow(tr("&Environment:"), m_class);
    form->addRow(QString(), m_readOnly);
    form->addRow(tr("TLS &CA:"), m_ca);
    form->addRow(tr("Client c&ertificate:"), m_cert);
    form->addRow(tr("Client &key:"), m_key);
    auto *save = new QPushButton(tr("&Save Profile"), this);
    save->setObjectName(QStringLiteral("saveProfile"));
    connect(save, &QPushButton::clicked, this, &ProfileEditor::saveCurrent);
    auto *formSide = new QVBoxLayout;
    formSide->addLayout(form);
    formSide->addWidget(save, 0, Qt::AlignRight);
    formSide->addWidget(m_message);
    formSide->addStretch();

    auto *create = new QPushButton(tr("&New"), this);
    auto *remove = new QPushButton(tr("&Delete"), this);
    auto *import = new QPushButton(tr("&Import Service File…"), this);
    import->setObjectName(QStringLiteral("importServiceFile"));
    import->setToolTip(tr("Profiles from a PostgreSQL service file (%1); passwords are not copied")
                           .arg(defaultPgServiceFile()));
    connect(create, &QPushButton::clicked, this, &ProfileEditor::startNew);
    connect(remove, &QPushButton::clicked, this, &ProfileEditor::deleteCurrent);
    connect(import, &QPushButton::clicked, this, &ProfileEditor::chooseServiceFile);
    auto *listButtons = new QHBoxLayout;
    listButtons->addWidget(create);
    listButtons->addWidget(remove);
    auto *listSide = new QVBoxLayout;
    listSide->addWidget(m_list);
    listSide->addLayout(listButtons);
    listSide->addWidget(import);

    auto *columns = new QHBoxLayout;
    columns->addLayout(listSide, 1);
    columns->addLayout(formSide, 3);
    auto *close = new QDialogButtonBox(QDialogButtonBox::Close, this);
    connect(close, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(columns);
    layout->addWidget(close);

    connect(m_list, &QListWidget::currentTextChanged, this, [this](const QString &name) {
        if (auto profile = m_store.find(name))
            showProfile(*profile);
    });
    reload({});
    if (m_list->count() == 0)
        startNew();
}

void ProfileEditor::reload(const QString &selected)
{
    const QSignalBlocker block(m_list);
    m_list->clear();
    for (const ConnectionProfile &profile : m_store.profiles()) {
        auto *item = new QListWidgetItem(swatch(profile.environmentClass), profile.name, m_list);
        item->setToolTip(profile.url);
    }
    const auto found = m_list->findItems(selected, Qt::MatchExactly);
    if (!found.isEmpty())
        m_list->setCurrentItem(found.first());
    else if (m_list->count() > 0 && selected.isEmpty())
        m_list->setCurrentRow(0);
    if (m_list->currentItem())
        if (auto profile = m_store.find(m_list->currentItem()->text()))
            showProfile(*profile);
}

void ProfileEditor::select(const QString &name)
{
    reload(name);
}

void ProfileEditor::showProfile(const ConnectionProfile &profile)
{
    m_editing = profile.name;
    m_name->setText(profile.name);
    QString url = profile.url;
    m_ca->clear();
    m_cert->clear();
    m_key->clear();
    if (auto parsed = ConnectionUrl::parse(profile.url)) {
        // The files have fields of their own; the URL shows the rest.
        m_ca->setText(parsed->settings.sslRootCert);
        m_cert->setText(parsed->settings.sslCert);
        m_key->setText(parsed->settings.sslKey);
        parsed->settings.sslRootCert.clear();
        parsed->settings.sslCert.clear();
        parsed->settings.sslKey.clear();
        url = parsed->redacted();
    }
    m_url->setText(url);
    {
        const QSignalBlocker block(m_class);
        m_class->setCurrentIndex(m_class->findData(int(profile.environmentClass)));
    }
    m_readOnly->setChecked(profile.readOnly);
    m_message->clear();
}

void ProfileEditor::startNew()
{
    m_list->clearSelection();
    m_list->setCurrentItem(nullptr);
    showProfile(ConnectionProfile{});
    m_editing.clear();
    m_name->setFocus();
}

void ProfileEditor::onClassChosen()
{
    // Production sessions open read-only unless the operator unticks it afterwards.
    m_readOnly->setChecked(EnvironmentClass(m_class->currentData().toInt())
                           == EnvironmentClass::Production);
}

Result<ConnectionProfile> ProfileEditor::fromForm() const
{
    ConnectionProfile profile;
    profile.name = m_name->text().trimmed();
    profile.environmentClass = EnvironmentClass(m_class->currentData().toInt());
    profile.readOnly = m_readOnly->isChecked();
    profile.url = m_url->text().trimmed();
    const bool anyFile = !m_ca->text().trimmed().isEmpty() || !m_cert->text().trimmed().isEmpty()
                         || !m_key->text().trimmed().isEmpty();
    if (!anyFile || profile.url.isEmpty())
        return profile; // the store's own checks say what is wrong with the URL
    auto parsed = ConnectionUrl::parse(profile.url);
    if (!parsed)
        return parsed.error();
    if (!parsed->settings.password.isEmpty())
        return StoreError::make(StoreError::Kind::InvalidInput,
                                tr("A profile keeps no password: remove it from the URL "
                                   "(the keychain remembers it)."));
    parsed->settings.sslRootCert = m_ca->text().trimmed();
    parsed->settings.sslCert = m_cert->text().trimmed();
    parsed->settings.sslKey = m_key->text().trimmed();
    profile.url = parsed->toString();
    return profile;
}

bool ProfileEditor::saveCurrent()
{
    auto profile = fromForm();
    if (profile)
        profile = m_store.save(*profile);
    if (!profile) {
        say(profile.error().message, true);
        return false;
    }
    if (!m_editing.isEmpty() && m_editing != profile->name)
        m_store.remove(m_editing); // renamed
    reload(profile->name);
    say(tr("Saved profile %1.").arg(profile->name), false);
    return true;
}

void ProfileEditor::deleteCurrent()
{
    if (m_editing.isEmpty() || !m_store.remove(m_editing))
        return;
    const QString removed = m_editing;
    reload({});
    if (m_list->count() == 0)
        startNew();
    say(tr("Deleted profile %1.").arg(removed), false);
}

void ProfileEditor::chooseServiceFile()
{
    const QString path = QFileDialog::getOpenFileName(
        this, tr("Import a PostgreSQL service file"), defaultPgServiceFile());
    if (!path.isEmpty())
        importServiceFile(path);
}

void ProfileEditor::importServiceFile(const QString &path)
{
    const auto names = importPgServiceProfiles(m_store, path);
    if (!names) {
        say(names.error().message, true);
        return;
    }
    reload(names->isEmpty() ? QString() : names->first());
    say(tr("Imported %n profile(s) from %1: %2 (passwords are not copied).", nullptr,
           int(names->size()))
            .arg(path, names->join(QStringLiteral(", "))),
        false);
}

void ProfileEditor::say(const QString &text, bool problem)
{
    m_message->setStyleSheet(problem ? QStringLiteral("color: #c0392b") : QString());
    m_message->setText(text);
}

} // namespace mc::widgets
