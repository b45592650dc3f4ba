#pragma once

// A view on a database handle of its own, as tests, screenshots and benches use one view alone:
// `setDatabase(url)` opens the handle (an empty url closes it), the way the main window's
// File ▸ Connect and Disconnect do for all views at once.

#include "audit_page.h"
#include "audit_service.h"
#include "controls_page.h"
#include "controls_service.h"
#include "database.h"
#include "failures_page.h"
#include "failures_service.h"
#include "users_page.h"
#include "users_service.h"

namespace mc::test {

template<typename Service>
struct ViewServices
{
    Database hostDatabase;
    Service hostService{&hostDatabase};
};

template<typename View, typename Service>
class HostedView : private ViewServices<Service>, public View
{
public:
    HostedView() : View(&this->hostService) {}

    void setDatabase(const QString &url)
    {
        if (url.isEmpty())
            this->hostDatabase.close();
        else
            this->hostDatabase.open(url);
    }
    Database &database() { return this->hostDatabase; }
    Service &service() { return this->hostService; }
};

// A database handle opened on url, with the failures service (the bulk dialogs use it).
struct OpenDatabase
{
    explicit OpenDatabase(const QString &url) { database.open(url); }
    Database database;
    FailuresService failures{&database};
};

using FailuresView = HostedView<widgets::FailuresPage, FailuresService>;
using UsersView = HostedView<widgets::UsersPage, UsersService>;
using ControlsView = HostedView<widgets::ControlsPage, ControlsService>;
using AuditView = HostedView<widgets::AuditPage, AuditService>;

} // namespace mc::test
