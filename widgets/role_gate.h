#pragma once

// Every action the login's role may not take is shown disabled, with why and which role allows it
// as its tooltip ("Needs mc_lead: your login alice has mc_support"); when the role allows it, the
// view's own rule decides and its own tooltip is back. Works for widgets and actions alike.

#include "role_access.h"

#include <QVariant>

namespace mc::widgets {

template<typename Item>
void gate(Item *item, bool enabledOtherwise, const RoleAccess &access, RoleAction action)
{
    static const char kOwnTip[] = "mcOwnToolTip";
    if (!item->property(kOwnTip).isValid())
        item->setProperty(kOwnTip, item->toolTip());
    const QString why = access.whyNot(action);
    item->setEnabled(enabledOtherwise && why.isEmpty());
    item->setToolTip(why.isEmpty() ? item->property(kOwnTip).toString() : why);
}

} // namespace mc::widgets
