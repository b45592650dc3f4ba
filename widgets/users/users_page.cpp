#include "users_page.h"

#include "role_gate.h"

#include "reason_dialog.h"
#include "users_service.h"
#include "user_dossier_view.h"
#include "user_history.h"
#include "user_list.h"
#include "user_list_panel.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QRegularExpressionValidator>
#include <QTabWidget>
#include <QVBoxLayout>

namespace mc::widgets {

namespace {

enum Tab { DossierTab, ListTab };

const char *const kErrorStyle = "QLabel { color: #b3261e; }";

} // namespace

UsersPage::UsersPage(UsersService *service, QWidget *parent)
    : QWidget(parent), m_service(service), m_tabs(new QTabWidget(this))
{
    setObjectName(QStringLiteral("usersPage"));
    m_tabs->setObjectName(QStringLiteral("usersTabs"));
    m_list = new UserListPanel(service, this);
    m_tabs->addTab(createDossierTab(), tr("User dossier"));
    m_tabs->addTab(m_list, tr("List of users"));

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(8, 6, 8, 6);
    layout->setSpacing(6);
    layout->addWidget(createFindBar());
    layout->addWidget(m_tabs, 1);

    connect(m_dossier, &UserDossierView::failureRequested, this, &UsersPage::failureRequested);
    connect(m_list, &UserListPanel::userActivated, this, &UsersPage::showUser);
    connect(service, &FeatureService::connectionChanged, this, &UsersPage::setConnected);
    setConnected(service->isConnected());
}

QWidget *UsersPage::createFindBar()
{
    auto *bar = new QWidget(this);
    auto *row = new QHBoxLayout(bar);
    row->setContentsMargins(0, 0, 0, 0);
    row->setSpacing(6);

    m_portal = new QComboBox(bar);
    m_portal->setObjectName(QStringLiteral("portalBox"));
    m_portal->setEditable(true);
    m_portal->setInsertPolicy(QComboBox::NoInsert);
    m_portal->setMinimumWidth(80);
    m_portal->setToolTip(tr("Source portal"));
    m_userId = new QLineEdit(bar);
    m_userId->setObjectName(QStringLiteral("userIdEdit"));
    m_userId->setPlaceholderText(tr("source user id"));
    m_userId->setClearButtonEnabled(true);
    m_userId->setMaximumWidth(200);
    m_find = new QPushButton(tr("Find"), bar);
    m_find->setObjectName(QStringLiteral("findButton"));
    m_targetId = new QLineEdit(bar);
    m_targetId->setObjectName(QStringLiteral("targetIdEdit"));
    m_targetId->setPlaceholderText(tr("target user id"));
    m_targetId->setClearButtonEnabled(true);
    m_targetId->setMaximumWidth(200);
    m_findTarget = new QPushButton(tr("Find by Target Id"), bar);
    m_findTarget->setObjectName(QStringLiteral("findTargetButton"));

    row->addWidget(new QLabel(tr("Portal"), bar));
    row->addWidget(m_portal);
    row->addWidget(new QLabel(tr("User id"), bar));
    row->addWidget(m_userId);
    row->addWidget(m_find);
    row->addSpacing(24);
    row->addWidget(new QLabel(tr("or target user id"), bar));
    row->addWidget(m_targetId);
    row->addWidget(m_findTarget);
    row->addStretch(1);

    connect(m_find, &QPushButton::clicked, this, &UsersPage::findByUserId);
    connect(m_userId, &QLineEdit::returnPressed, this, &UsersPage::findByUserId);
    connect(m_findTarget, &QPushButton::clicked, this, &UsersPage::findByTargetId);
    connect(m_targetId, &QLineEdit::returnPressed, this, &UsersPage::findByTargetId);
    return bar;
}

QWidget *UsersPage::createDossierTab()
{
    auto *page = new QWidget(this);
    m_message = new QLabel(page);
    m_message->setObjectName(QStringLiteral("usersMessage"));
    m_message->setTextFormat(Qt::PlainText);
    m_message->setWordWrap(true);
    m_retry = new QPushButton(tr("Retry This User…"), page);
    m_retry->setObjectName(QStringLiteral("retryUserButton"));
    m_reload = new QPushButton(tr("Reload"), page);
    m_reload->setObjectName(QStringLiteral("reloadUserButton"));
    m_outcome = new QLabel(page);
    m_outcome->setObjectName(QStringLiteral("retryOutcome"));
    m_outcome->setTextFormat(Qt::PlainText);
    m_outcome->setWordWrap(true);
    m_dossier = new UserDossierView(page);

    auto *actions = new QWidget(page);
    auto *buttons = new QVBoxLayout(actions);
    buttons->setContentsMargins(0, 0, 0, 0);
    buttons->addWidget(m_retry);
    buttons->addWidget(m_reload);
    m_dossier->setActions(actions);
    m_outcome->setVisible(false);

    auto *layout = new QVBoxLayout(page);
    layout->setContentsMargins(0, 6, 0, 0);
    layout->setSpacing(8);
    layout->addWidget(m_message);
    layout->addWidget(m_outcome);
    layout->addWidget(m_dossier, 1);

    connect(m_retry, &QPushButton::clicked, this, &UsersPage::askForRetry);
    connect(m_reload, &QPushButton::clicked, this, &UsersPage::loadDossier);
    return page;
}

void UsersPage::setConnected(bool connected)
{
    m_newest.forget();
    m_retrying = false;
    m_list->setConnected(connected);
    m_dossier->clear();
    showOutcome({});
    if (!connected) {
        showMessage(tr("Not connected to a merge database."));
    } else {
        loadPortals();
        if (m_user)
            loadDossier();
        else
            showMessage(tr("Find a user by portal and source user id, or by target user id."));
    }
    m_find->setEnabled(connected);
    m_findTarget->setEnabled(connected);
    updateRetryButton();
}

void UsersPage::loadPortals()
{
    // The source portals are those with an admission flag; the overview lists them from small
    // settings tables, cheaply.
    m_service->readCatalogue(
        this,
        [this](const Result<OverviewSnapshot> &snapshot) {
            if (!snapshot.ok())
                return; // the portal stays a free entry
            QStringList portals;
            for (const RolloutFlag &flag : snapshot->rollout)
                if (!portals.contains(flag.portal))
                    portals << flag.portal;
            portals.sort();
            const QString current = m_portal->currentText();
            m_portal->clear();
            m_portal->addItems(portals);
            m_portal->setCurrentText(current.isEmpty() && !portals.isEmpty() ? portals.first()
                                                                             : current);
            m_list->setPortals(portals);
        });
}

void UsersPage::findByUserId()
{
    QString problem;
    const std::optional<UserKey> user =
        parseUserInput(m_portal->currentText(), m_userId->text(), &problem);
    if (!user) {
        showMessage(tr("Cannot look up this user: %1.").arg(problem), true);
        return;
    }
    showUser(*user);
}

void UsersPage::findByTargetId()
{
    bool ok = false;
    const qint64 target = m_targetId->text().trimmed().toLongLong(&ok);
    if (!ok || target <= 0) {
        showMessage(tr("A target user id is a whole number from 1 up."), true);
        return;
    }
    showMessage(tr("Looking up target user id %1…").arg(target));
    m_service->findUserByTarget(
        this, target,
        m_newest.latest<std::optional<UserKey>>([this, target](
                                                    const Result<std::optional<UserKey>> &found) {
            if (!found.ok())
                showMessage(found.error().message, true);
            else if (!found->has_value())
                showMessage(tr("No user migration has target user id %1.").arg(target), true);
            else
                showUser(**found);
        }));
}

void UsersPage::showUser(const UserKey &user)
{
    if (m_user != user) {
        showOutcome({});
        m_dossier->clear();
    }
    m_user = user;
    m_portal->setCurrentText(user.portal);
    m_userId->setText(QString::number(user.userId));
    m_tabs->setCurrentIndex(DossierTab);
    loadDossier();
}

void UsersPage::loadDossier()
{
    if (!m_user)
        return;
    const UserKey user = *m_user;
    const quint64 generation = m_newest.next();
    if (!m_service->isConnected()) {
        showMessage(tr("Not connected to a merge database."));
        return;
    }
    showMessage(tr("Loading %1…").arg(user.toString()));
    updateRetryButton();
    m_service->readDossier(
        this, user, [this, generation, user](const Result<UserDossier> &dossier) {
            if (!m_newest.isNewest(generation))
                return;
            if (!dossier.ok()) {
                m_dossier->clear();
                showMessage(dossier.error().message, true);
            } else {
                m_dossier->showDossier(*dossier);
                showMessage({});
                emit dossierShown(user);
            }
            updateRetryButton();
        });
    m_service->readHistory(
        this, user, [this, generation, user](const Result<UserHistory> &history) {
            if (!m_newest.isNewest(generation) || !m_dossier->hasDossier())
                return;
            if (history.ok())
                m_dossier->showHistory(*history);
            else
                m_dossier->showHistoryError(history.error().message);
            emit historyShown(user);
        });
}

void UsersPage::askForRetry()
{
    if (!m_user || !m_retry->isEnabled())
        return;
    auto *dialog = new ReasonDialog(
        tr("Retry User"),
        tr("Retry %1? It moves from failed to pending and its migration runs again.")
            .arg(m_user->toString()),
        tr("Retry"), this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QDialog::accepted, this,
            [this, dialog, user = *m_user] {
                if (m_user == user)
                    retry(dialog->reason());
            });
    dialog->open();
}

void UsersPage::retry(const QString &reason)
{
    const UserKey user = *m_user;
    RetryRequest request;
    request.users = std::vector<UserKey>{user};
    request.reason = reason;
    request.by = Operator::fromEnvironment();
    m_retrying = true;
    updateRetryButton();
    showOutcome(tr("Retrying %1…").arg(user.toString()));
    m_service->retryUser(
        this, request,
        [this, user](const Result<RetryReport> &report) {
            m_retrying = false;
            bool isError = true;
            QString text;
            if (!report.ok()) {
                text = tr("%1 was not retried: %2").arg(user.toString(), report.error().message);
            } else if (report->outcomes.isEmpty()) {
                text = tr("%1 was not retried.").arg(user.toString());
            } else {
                const UserOutcome &outcome = report->outcomes.first();
                switch (outcome.kind) {
                case UserOutcome::Kind::Moved:
                    text = tr("%1 moved from failed to pending; it will run again.")
                               .arg(user.toString());
                    isError = false;
                    break;
                case UserOutcome::Kind::NotFailed:
                    text = tr("%1 was not retried: it is %2 now, not failed.")
                               .arg(user.toString(), statusName(outcome.statusBefore));
                    break;
                case UserOutcome::Kind::NotFound:
                    text = tr("%1 was not retried: no such user migration.").arg(user.toString());
                    break;
                }
            }
            showOutcome(text, isError);
            emit retryFinished(user);
            if (m_user == user)
                loadDossier();
        });
}

void UsersPage::showMessage(const QString &text, bool isError)
{
    m_message->setText(text);
    m_message->setVisible(!text.isEmpty());
    m_message->setStyleSheet(isError ? QLatin1String(kErrorStyle) : QString());
}

void UsersPage::showOutcome(const QString &text, bool isError)
{
    m_outcome->setText(text);
    m_outcome->setVisible(!text.isEmpty());
    m_outcome->setStyleSheet(isError ? QLatin1String(kErrorStyle)
                                     : QStringLiteral("QLabel { color: #1e6b34; }"));
}

void UsersPage::updateRetryButton()
{
    const auto &dossier = m_dossier->dossier();
    const bool failed = dossier && m_user && dossier->migration.user == *m_user
                        && dossier->migration.status == UserStatus::Failed;
    m_retry->setEnabled(m_service->isConnected() && failed && !m_retrying);
    m_reload->setEnabled(m_service->isConnected() && m_user.has_value());
    if (m_retrying)
        m_retry->setToolTip(tr("A retry is running"));
    else if (dossier && !failed)
        m_retry->setToolTip(tr("Only a failed user can be retried; this one is %1.")
                                .arg(statusName(dossier->migration.status)));
    else
        m_retry->setToolTip(tr("Move this user from failed to pending, with a reason"));
    m_retry->setProperty("mcOwnToolTip", m_retry->toolTip());
    gate(m_retry, m_retry->isEnabled(), m_access, RoleAction::RetryUsers);
}

void UsersPage::setAccess(const RoleAccess &access)
{
    m_access = access;
    m_list->setAccess(access);
    updateRetryButton();
}

} // namespace mc::widgets
