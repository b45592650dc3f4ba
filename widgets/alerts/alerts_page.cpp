#include "alerts_page.h"

#include "alert_palette.h"
#include "alert_rules_model.h"
#include "alerts_monitor.h"
#include "alerts_service.h"
#include "reason_dialog.h"
#include "role_gate.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QIdentityProxyModel>
#include <QLabel>
#include <QPushButton>
#include <QSplitter>
#include <QTableView>
#include <QVBoxLayout>

namespace mc::widgets {

namespace {

constexpr int kMuteS = 3600;

// Firing rows in their severity's colour, pending ones in its tint; disabled rules greyed.
class SeverityColours : public QIdentityProxyModel
{
public:
    using QIdentityProxyModel::QIdentityProxyModel;

    QVariant data(const QModelIndex &index, int role) const override
    {
        if (role != Qt::BackgroundRole && role != Qt::ForegroundRole)
            return QIdentityProxyModel::data(index, role);
        const QString phase = QIdentityProxyModel::data(index, kPhaseRole).toString();
        const QColor colour = severityColor(QIdentityProxyModel::data(index, kSeverityRole)
                                                .toString());
        if (role == Qt::ForegroundRole)
            return phase == QLatin1String("firing") ? QVariant(QColor(Qt::white))
                   : phase == QLatin1String("disabled") ? QVariant(QColor(Qt::gray))
                                                         : QVariant();
        if (phase == QLatin1String("firing"))
            return colour;
        if (phase == QLatin1String("pending"))
            return colour.lighter(170);
        return {};
    }
};

QTableView *table(QAbstractItemModel *model, QWidget *parent, const QString &name)
{
    auto *view = new QTableView(parent);
    view->setObjectName(name);
    auto *colours = new SeverityColours(view);
    colours->setSourceModel(model);
    view->setModel(colours);
    view->setSelectionBehavior(QAbstractItemView::SelectRows);
    view->setSelectionMode(QAbstractItemView::SingleSelection);
    view->verticalHeader()->hide();
    view->horizontalHeader()->setStretchLastSection(true);
    view->setWordWrap(false);
    return view;
}

} // namespace

AlertsPage::AlertsPage(AlertsMonitor *monitor, AlertsService *service, QWidget *parent)
    : QWidget(parent), m_monitor(monitor), m_service(service),
      m_rulesModel(new AlertRulesModel(this)), m_historyModel(new AlertHistoryModel(this)),
      m_summary(new QLabel(this)), m_open(new QPushButton(tr("Open matching view"), this)),
      m_mute(new QPushButton(tr("Mute 1 h…"), this)), m_unmute(new QPushButton(tr("Unmute…"), this)),
      m_disable(new QPushButton(tr("Disable…"), this))
{
    setObjectName(QStringLiteral("alertsPage"));
    m_rules = table(m_rulesModel, this, QStringLiteral("alertRules"));
    m_history = table(m_historyModel, this, QStringLiteral("alertHistory"));
    m_summary->setObjectName(QStringLiteral("alertsSummary"));
    m_mute->setToolTip(tr("Mute this rule's desktop notifications for everyone for an hour"));
    m_unmute->setToolTip(tr("Notify again when this rule fires"));
    m_disable->setToolTip(tr("Stop (or start again) evaluating this rule, for everyone"));

    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_open);
    buttons->addStretch(1);
    buttons->addWidget(m_mute);
    buttons->addWidget(m_unmute);
    buttons->addWidget(m_disable);
    auto *top = new QWidget(this);
    auto *topLayout = new QVBoxLayout(top);
    topLayout->setContentsMargins(0, 0, 0, 0);
    topLayout->addWidget(m_summary);
    topLayout->addWidget(m_rules, 1);
    topLayout->addLayout(buttons);
    auto *bottom = new QWidget(this);
    auto *bottomLayout = new QVBoxLayout(bottom);
    bottomLayout->setContentsMargins(0, 0, 0, 0);
    bottomLayout->addWidget(new QLabel(tr("<b>History</b> — the latest firings"), bottom));
    bottomLayout->addWidget(m_history, 1);
    auto *splitter = new QSplitter(Qt::Vertical, this);
    splitter->addWidget(top);
    splitter->addWidget(bottom);
    splitter->setStretchFactor(0, 3);
    splitter->setStretchFactor(1, 2);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(splitter);

    connect(monitor, &AlertsMonitor::changed, this, &AlertsPage::show);
    connect(m_rules->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            &AlertsPage::updateButtons);
    connect(m_rules, &QTableView::doubleClicked, m_open, &QPushButton::click);
    connect(m_open, &QPushButton::clicked, this, [this] {
        if (const AlertRuleState *entry = m_rulesModel->ruleAt(m_rules->currentIndex().row()))
            emit linkRequested(alertLink(entry->rule, entry->status));
    });
    connect(m_mute, &QPushButton::clicked, this, [this] {
        change(tr("Mute alert notifications"),
               tr("No desktop notifications of this rule for anyone for an hour; it is still "
                  "evaluated and shown."),
               [](AlertRuleChange &c) { c.muteS = kMuteS; });
    });
    connect(m_unmute, &QPushButton::clicked, this, [this] {
        change(tr("Unmute alert notifications"), tr("Notify again when this rule fires."),
               [](AlertRuleChange &c) { c.muteS = 0; });
    });
    connect(m_disable, &QPushButton::clicked, this, [this] {
        const AlertRuleState *entry = m_rulesModel->ruleAt(m_rules->currentIndex().row());
        const bool enable = entry && !entry->rule.enabled;
        change(enable ? tr("Enable alert rule") : tr("Disable alert rule"),
               enable ? tr("Evaluate this rule again, for everyone.")
                      : tr("Stop evaluating this rule for everyone; a firing alert resolves."),
               [enable](AlertRuleChange &c) { c.rule.enabled = enable; });
    });
    show(monitor->snapshot());
}

void AlertsPage::setAccess(const RoleAccess &access)
{
    m_access = access;
    updateButtons();
}

void AlertsPage::selectRule(const QString &rule)
{
    const int row = m_rulesModel->rowOf(rule);
    if (row >= 0)
        m_rules->selectRow(row);
}

void AlertsPage::show(const AlertsSnapshot &snapshot)
{
    const QString selected = [&] {
        const AlertRuleState *entry = m_rulesModel->ruleAt(m_rules->currentIndex().row());
        return entry ? entry->rule.name : QString();
    }();
    m_rulesModel->setSnapshot(snapshot);
    m_historyModel->setSnapshot(snapshot);
    m_rules->resizeColumnsToContents();
    m_history->resizeColumnsToContents();
    const QList<AlertRuleState> firing = m_monitor->firing();
    m_summary->setText(!m_monitor->hasSnapshot() ? tr("Alerts: not evaluated yet.")
                       : firing.isEmpty()
                           ? tr("No alert is firing. %n rule(s), evaluated by every console.", "",
                                int(snapshot.rules.size()))
                           : tr("<b>%n alert(s) firing.</b>", "", int(firing.size())));
    if (!selected.isEmpty())
        selectRule(selected);
    updateButtons();
}

void AlertsPage::updateButtons()
{
    const AlertRuleState *entry = m_rulesModel->ruleAt(m_rules->currentIndex().row());
    const bool selected = entry != nullptr;
    const bool muted = entry && entry->rule.mutedAt(m_monitor->snapshot().inputs.now);
    m_open->setEnabled(selected);
    m_disable->setText(entry && !entry->rule.enabled ? tr("Enable…") : tr("Disable…"));
    gate(m_mute, selected && !muted, m_access, RoleAction::EditAlerts);
    gate(m_unmute, muted, m_access, RoleAction::EditAlerts);
    gate(m_disable, selected, m_access, RoleAction::EditAlerts);
}

void AlertsPage::change(const QString &title, const QString &what,
                        const std::function<void(AlertRuleChange &)> &edit)
{
    const AlertRuleState *entry = m_rulesModel->ruleAt(m_rules->currentIndex().row());
    if (!entry)
        return;
    AlertRuleChange change;
    change.rule = entry->rule;
    change.by = Operator::fromEnvironment();
    edit(change);
    auto *dialog = new ReasonDialog(title, tr("%1: %2").arg(entry->rule.name, what), tr("Apply"),
                                    this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QDialog::accepted, this, [this, dialog, change]() mutable {
        change.reason = dialog->reason();
        m_service->setRule(this, change, [this, name = change.rule.name](
                                             const Result<AlertRule> &saved) {
            emit notice(saved ? tr("Alert rule %1 saved.").arg(name)
                              : tr("Alert rule %1 not changed: %2")
                                    .arg(name, saved.error().message));
            m_monitor->evaluateNow();
        });
    });
    dialog->open();
}

} // namespace mc::widgets
