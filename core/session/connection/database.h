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
#include "store_opener.h"

#include <QObject>

namespace mc {

class StoreRunner;
class StoreSession;

// What the connected role may do. Filled by the roles work; until then every action is offered
// and a refusal by the server is what the operator sees.
struct RoleAccess
{
    bool known = false;
    bool mayWrite = true;
};

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
    const RoleAccess &access() const { return m_access; }
    void setAccess(const RoleAccess &access) { m_access = access; }

    StoreSession *polling() const { return m_polling; }
    StoreRunner *interactive() const { return m_interactive; }
    StoreRunner *bulk() const { return m_bulk; }

signals:
    // A database was opened (true) or closed (false): views reset what they show.
    void changed(bool open);

private:
    StoreFactory m_factory;
    StoreSession *m_polling;
    StoreRunner *m_interactive;
    StoreRunner *m_bulk;
    RoleAccess m_access;
    bool m_open = false;
};

} // namespace mc
