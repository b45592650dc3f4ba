#pragma once

// The Users view for support staff: find one user by portal and source user id or by target user
// id and read the dossier, retry that user (failed → pending, with a reason), or paste a list of
// users and retry them all with a per-user report. Everything goes through the users service; a
// list retry runs on the bulk connection, so it never holds up looking at a user.

#include "domain.h"
#include "role_access.h"
#include "feature_service.h"

#include <QWidget>

class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QTabWidget;

namespace mc {
class UsersService;
}

namespace mc::widgets {

class UserDossierView;
class UserListPanel;

class UsersPage : public QWidget
{
    Q_OBJECT

public:
    // Shows what the service's database holds; nothing while it is closed.
    explicit UsersPage(UsersService *service, QWidget *parent = nullptr);

    std::optional<UserKey> shownUser() const { return m_user; }

    QTabWidget *tabs() const { return m_tabs; }
    QComboBox *portalBox() const { return m_portal; }
    QLineEdit *userIdEdit() const { return m_userId; }
    QPushButton *findButton() const { return m_find; }
    QLineEdit *targetIdEdit() const { return m_targetId; }
    QPushButton *findTargetButton() const { return m_findTarget; }
    QPushButton *retryButton() const { return m_retry; }
    // Retry (one user or a list) needs a role that may retry users; otherwise off, with why.
    void setAccess(const RoleAccess &access);
    QPushButton *reloadButton() const { return m_reload; }
    QLabel *messageLabel() const { return m_message; }
    QLabel *outcomeLabel() const { return m_outcome; }
    UserDossierView *dossierView() const { return m_dossier; }
    UserListPanel *listPanel() const { return m_list; }

public slots:
    // Shows the user's dossier (other views call this: failures, audit, the pasted list).
    void showUser(const mc::UserKey &user);

signals:
    void failureRequested(qint64 failureId); // open the payload viewer for this failed record
    void dossierShown(const mc::UserKey &user);
    void historyShown(const mc::UserKey &user);
    void retryFinished(const mc::UserKey &user); // the outcome label says what happened

private:
    QWidget *createFindBar();
    QWidget *createDossierTab();
    void findByUserId();
    void findByTargetId();
    void loadDossier();
    void loadPortals();
    void askForRetry();
    void retry(const QString &reason);
    void showMessage(const QString &text, bool isError = false);
    void showOutcome(const QString &text, bool isError = false);
    void updateRetryButton();
    void setConnected(bool connected);

    UsersService *m_service;
    std::optional<UserKey> m_user;
    NewestWins m_newest; // the dossier and history shown are of the newest lookup
    bool m_retrying = false;
    RoleAccess m_access;

    QTabWidget *m_tabs;
    QComboBox *m_portal = nullptr;
    QLineEdit *m_userId = nullptr;
    QPushButton *m_find = nullptr;
    QLineEdit *m_targetId = nullptr;
    QPushButton *m_findTarget = nullptr;
    QPushButton *m_retry = nullptr;
    QPushButton *m_reload = nullptr;
    QLabel *m_message = nullptr;
    QLabel *m_outcome = nullptr;
    UserDossierView *m_dossier = nullptr;
    UserListPanel *m_list = nullptr;
};

} // namespace mc::widgets
