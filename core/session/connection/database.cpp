#include "database.h"

#include "merge_store.h"
#include "store_runner.h"
#include "store_session.h"

namespace mc {

Database::Database(QObject *parent) : Database(realStores(), parent) {}

Database::Database(StoreFactory factory, QObject *parent)
    : QObject(parent), m_factory(std::move(factory)), m_polling(new StoreSession(this)),
      m_interactive(new StoreRunner(this)), m_bulk(new StoreRunner(this))
{
}

Database::~Database()
{
    blockSignals(true);
}

void Database::open(const QString &url)
{
    close();
    // The URL (with its password) goes to the connections and is not kept here.
    m_polling->open(url, m_factory);
    m_interactive->open(url, m_factory);
    m_bulk->open(url, m_factory);
    m_access = {};
    m_open = true;
    emit changed(true);
    readAccess();
}

void Database::readAccess()
{
    m_interactive->run<RoleAccess>(
        this, [](MergeStore &store) { return store.roleAccess(); },
        [this](const Result<RoleAccess> &access) {
            // Unread (the server is away): every action stays offered; the server decides.
            if (access && m_open)
                setAccess(*access);
        });
}

void Database::setAccess(const RoleAccess &access)
{
    m_access = access;
    emit accessChanged(m_access);
}

void Database::close()
{
    if (!m_open) {
        m_polling->close();
        return;
    }
    m_open = false;
    m_polling->close();
    m_interactive->close();
    m_bulk->close();
    m_access = {};
    emit accessChanged(m_access);
    emit changed(false);
}

QString Database::redactedUrl() const
{
    return m_open ? m_polling->status().url : QString();
}

const ConnectionStatus &Database::status() const
{
    return m_polling->status();
}

} // namespace mc
