#pragma once

// Tools ▸ Verify counters…: checks every counter the overview and the Failures view read against
// the tables it counts (on the console's bulk connection, off the GUI thread), lists each drift
// (counter, key, stored, true), and offers Repair: a reason (ReasonDialog), then one transaction
// with one audit entry; a new check follows and shows the result.

#include "operations.h"
#include "role_access.h"

#include <QDialog>

class QLabel;
class QPushButton;
class QTableWidget;

namespace mc {
class CounterCheckJob;
class FeatureService;
struct StoreError;
}

namespace mc::widgets {

class ReasonDialog;

class VerifyCountersDialog : public QDialog
{
    Q_OBJECT

public:
    // Checks on the service's bulk connection, so the views' own reads go on meanwhile.
    explicit VerifyCountersDialog(mc::FeatureService *service, QWidget *parent = nullptr);

    void verify();
    QLabel *summaryLabel() const { return m_summary; }
    QTableWidget *driftTable() const { return m_table; }
    QPushButton *repairButton() const { return m_repair; }
    QPushButton *verifyButton() const { return m_verify; }
    ReasonDialog *reasonDialog() const { return m_reasonDialog; } // while it is open
    // Repair needs a role that may repair counters; otherwise off, with why.
    void setAccess(const mc::RoleAccess &access);

signals:
    void repaired(); // counters were rewritten: views may refresh

private:
    void onChecked(const mc::CounterCheck &check);
    void onFailed(const mc::StoreError &error);
    void askRepair();
    void updateButtons();

    mc::FeatureService *m_service;
    mc::CounterCheckJob *m_job;
    mc::CounterCheck m_last;
    mc::RoleAccess m_access;
    QString m_repairNote; // said above the next check's result after a repair
    QLabel *m_summary;
    QTableWidget *m_table;
    QPushButton *m_verify;
    QPushButton *m_repair;
    ReasonDialog *m_reasonDialog = nullptr;
};

} // namespace mc::widgets
