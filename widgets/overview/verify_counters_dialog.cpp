#include "verify_counters_dialog.h"

#include "role_gate.h"

#include "counter_check_job.h"
#include "database.h"
#include "feature_service.h"
#include "reason_dialog.h"

#include <QDialogButtonBox>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QPushButton>
#include <QTableWidget>
#include <QVBoxLayout>

namespace mc::widgets {

namespace {

QString counters(qsizetype n)
{
    return n == 1 ? QObject::tr("1 counter")
                  : QObject::tr("%1 counters").arg(QLocale().toString(n));
}

QTableWidgetItem *numberItem(qint64 value)
{
    auto *item = new QTableWidgetItem(QLocale().toString(value));
    item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
    return item;
}

} // namespace

VerifyCountersDialog::VerifyCountersDialog(FeatureService *service, QWidget *parent)
    : QDialog(parent), m_service(service), m_job(new CounterCheckJob(this)), m_summary(new QLabel(this)),
      m_table(new QTableWidget(0, 4, this)), m_verify(new QPushButton(tr("Verify Again"), this)),
      m_repair(new QPushButton(tr("Repair…"), this))
{
    setWindowTitle(tr("Verify Counters"));
    auto *intro = new QLabel(tr("The overview and the Failures view read counters that triggers "
                                "keep. This compares each one with the tables it counts."),
                             this);
    intro->setWordWrap(true);
    m_summary->setWordWrap(true);
    m_summary->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_table->setHorizontalHeaderLabels({tr("Counter"), tr("Key"), tr("Stored"), tr("True")});
    m_table->horizontalHeader()->setSectionResizeMode(1, QHeaderView::Stretch);
    m_table->verticalHeader()->hide();
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    buttons->addButton(m_verify, QDialogButtonBox::ActionRole);
    buttons->addButton(m_repair, QDialogButtonBox::ActionRole);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_verify, &QPushButton::clicked, this, [this] {
        m_repairNote.clear();
        verify();
    });
    connect(m_repair, &QPushButton::clicked, this, &VerifyCountersDialog::askRepair);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(intro);
    layout->addWidget(m_summary);
    layout->addWidget(m_table, 1);
    layout->addWidget(buttons);
    resize(720, 420);

    connect(m_job, &CounterCheckJob::checked, this, &VerifyCountersDialog::onChecked);
    connect(m_job, &CounterCheckJob::failed, this, &VerifyCountersDialog::onFailed);
    connect(m_job, &CounterCheckJob::runningChanged, this, &VerifyCountersDialog::updateButtons);
    m_job->setRunner(service->bulkRunner());
    verify();
}

void VerifyCountersDialog::verify()
{
    m_summary->setText(tr("Checking every counter against its table…"));
    m_job->verify();
}

void VerifyCountersDialog::onChecked(const CounterCheck &check)
{
    if (check.repaired) { // what was rewritten; a fresh check shows where things stand now
        m_repairNote = tr("Repaired %1 in one transaction (audit: repair_counters).")
                           .arg(counters(check.drifts.size()));
        emit repaired();
        verify();
        return;
    }
    m_last = check;
    m_table->setRowCount(int(check.drifts.size()));
    for (int r = 0; r < check.drifts.size(); ++r) {
        const CounterDrift &drift = check.drifts[r];
        m_table->setItem(r, 0, new QTableWidgetItem(drift.counter));
        m_table->setItem(r, 1, new QTableWidgetItem(drift.key));
        m_table->setItem(r, 2, numberItem(drift.stored));
        m_table->setItem(r, 3, numberItem(drift.actual));
    }
    m_table->resizeColumnToContents(0);
    const QString keys = QLocale().toString(check.keysChecked);
    QString text = check.drifts.isEmpty()
        ? tr("%1 counter keys checked: every counter equals its table.").arg(keys)
        : tr("%1 drifted from the tables they count (%2 keys checked). Repair recomputes them "
             "from the tables.")
              .arg(counters(check.drifts.size()), keys);
    if (!m_repairNote.isEmpty())
        text = m_repairNote + QLatin1Char(' ') + text;
    m_summary->setText(text);
    updateButtons();
}

void VerifyCountersDialog::onFailed(const StoreError &error)
{
    m_summary->setText(tr("The check could not run: %1").arg(error.message));
    updateButtons();
}

void VerifyCountersDialog::askRepair()
{
    if (m_last.drifts.isEmpty() || m_job->isRunning() || m_reasonDialog)
        return;
    auto *dialog = new ReasonDialog(
        tr("Repair Counters"),
        tr("Recompute %1 from the tables they count?").arg(counters(m_last.drifts.size())),
        tr("Repair"), this);
    dialog->guardProduction(m_service->database()->status().server.environment);
    QStringList changes;
    for (const CounterDrift &drift : std::as_const(m_last.drifts))
        changes << QStringLiteral("%1 %2: %3 → %4")
                       .arg(drift.counter, drift.key, QLocale().toString(drift.stored),
                            QLocale().toString(drift.actual));
    dialog->setChanges(changes.mid(0, 12));
    dialog->setDetail(tr("Writers of the counted tables wait while it runs; one audit entry "
                         "records every value before and after."));
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    m_reasonDialog = dialog;
    connect(dialog, &QDialog::finished, this, [this] {
        m_reasonDialog = nullptr;
        updateButtons();
    });
    connect(dialog, &QDialog::accepted, this, [this, dialog] {
        m_summary->setText(tr("Repairing…"));
        m_job->repair(dialog->reason());
    });
    updateButtons();
    dialog->open();
}

void VerifyCountersDialog::setAccess(const RoleAccess &access)
{
    m_access = access;
    updateButtons();
}

void VerifyCountersDialog::updateButtons()
{
    const bool idle = !m_job->isRunning() && !m_reasonDialog;
    m_verify->setEnabled(idle);
    gate(m_repair, idle && !m_last.drifts.isEmpty(), m_access, RoleAction::RepairCounters);
}

} // namespace mc::widgets
