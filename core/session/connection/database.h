#pragma once

// One connected merge database, as a console holds it: the URL with its secret (nothing else in
// the console keeps it), the console's fixed set of connections and where the connection stands.
//
// A console opens at most kConnections connections, whatever views are open:
//   polling      the live overview's refreshes, with the connection state and reconnect
//                (StoreSession);
//   interactive  the views' own reads and single changes, one after another (StoreRunner);
//   bulk         what may take long: retry all, a pasted user list, exports, the failures
//                count (StoreRunner).
// Connections are made on first use. Closing never waits for the server.
//
// Views never see this class's connections directly: they receive feature services (failures,
// users, controls, audit; the overview is LiveOverview) made on it.

#include "connection_status.h"
#include "role_access.h"
#include "store_opener.h"

#include <QObject>

namespace mc {

class StoreRunner;
class StoreSession;

class Database : public QObject
{
    Q_OBJECT

public:
    static constexpr int kConnections = 3;

    explicit Database(QObject *parent = nullptr);
    // Tests open an in-memory fake through the factory; every connection uses it.
    explicit Database(StoreFactory factory, QObject *parent = nullptr);
    ~Database() override;

    // Connects to url (postgresql://, mariadb://, mysql://), closing any current connection.
    void open(const QString &url);
    void close();
    bool isOpen() const { return m_open; }

    QString redactedUrl() const; // never the password; empty when closed
    const ConnectionStatus &status() const;
    // What the login may do (role_access.h): read once at open on the interactive connection;
    // not known until then (accessChanged), when every action is offered and the server decides.
    const RoleAccess &access() const { return m_access; }
    void setAccess(const RoleAccess &access);

    StoreSession *polling() const { return m_polling; }
    StoreRunner *interactive() const { return m_interactive; }
    StoreRunner *bulk() const { return m_bulk; }

signals:
    // A database was opened (true) or closed (false): views reset what they show.
    void changed(bool open);
    // What the login may do was read (or reset on close): views enable their actions anew.
    void accessChanged(const mc::RoleAccess &access);

private:
    void readAccess();

    StoreFactory m_factory;
    StoreSession *m_polling;
    StoreRunner *m_interactive;
    StoreRunner *m_bulk;
    RoleAccess m_access;
    bool m_open = false;
};

} // namespace mc
