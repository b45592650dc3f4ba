#pragma once

// The Audit view: every operator action (who, when, action, target, before → after, reason),
// newest first, loaded page by page as the table scrolls; filtered by action, operator and time;
// the selected entry in full below; Export writes everything the filter selects to CSV or JSON in
// the background.

#include "audit_export_format.h"
#include "operations.h"

#include <QWidget>

class QCheckBox;
class QComboBox;
class QDateTimeEdit;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QProgressBar;
class QPushButton;
class QTableView;
class QTimer;

namespace mc {
class AuditExporter;
class AuditLogModel;
class AuditService;
}

namespace mc::widgets {

class AuditPage : public QWidget
{
    Q_OBJECT

public:
    // Shows the service's database; nothing while it is closed.
    explicit AuditPage(AuditService *service, QWidget *parent = nullptr);

    // The filter the fields describe now.
    AuditQuery currentFilter() const;
    static QStringList knownActions();

    QComboBox *actionBox() const { return m_action; }
    QLineEdit *operatorEdit() const { return m_operator; }
    QCheckBox *sinceCheck() const { return m_sinceOn; }
    QDateTimeEdit *sinceEdit() const { return m_since; }
    QCheckBox *untilCheck() const { return m_untilOn; }
    QDateTimeEdit *untilEdit() const { return m_until; }
    QPushButton *refreshButton() const { return m_refresh; }
    QPushButton *exportButton() const { return m_export; }
    QPushButton *cancelExportButton() const { return m_cancelExport; }
    QTableView *table() const { return m_table; }
    AuditLogModel *model() const { return m_model; }
    QPlainTextEdit *detail() const { return m_detail; }
    QLabel *statusLabel() const { return m_status; }
    QLabel *exportLabel() const { return m_exportLabel; }
    AuditExporter *exporter() const { return m_exporter; }

public slots:
    // Loads the first page again with the filter the fields describe.
    void refresh();
    // Exports every entry of the current filter to `path` (asks nothing); false when an export
    // is already running or nothing is connected.
    bool exportTo(const QString &path, mc::AuditExportFormat format);

signals:
    void exportFinished(bool ok, const QString &message);

private:
    QWidget *createFilterBar();
    QWidget *createExportBar();
    void askForExportFile();
    void showStatus();
    void showDetail();
    void setConnected(bool connected);
    bool isConnected() const;

    AuditService *m_service;
    AuditLogModel *m_model;
    AuditExporter *m_exporter;
    QTimer *m_applyTimer;

    QComboBox *m_action = nullptr;
    QLineEdit *m_operator = nullptr;
    QCheckBox *m_sinceOn = nullptr;
    QDateTimeEdit *m_since = nullptr;
    QCheckBox *m_untilOn = nullptr;
    QDateTimeEdit *m_until = nullptr;
    QPushButton *m_refresh = nullptr;
    QPushButton *m_export = nullptr;
    QPushButton *m_cancelExport = nullptr;
    QProgressBar *m_exportProgress = nullptr;
    QLabel *m_exportLabel = nullptr;
    QTableView *m_table;
    QPlainTextEdit *m_detail;
    QLabel *m_status;
};

} // namespace mc::widgets
