#pragma once

// Exports the failed records of a filter to a file: CSV or JSON, optionally with full messages,
// backtraces and payloads (read record by record: slower). Runs in the background with progress
// and Cancel; a cancelled or failed export leaves no file behind. Closing the dialog while it
// runs cancels the export.

#include "failure_export.h"

#include <QDialog>

#include <functional>

class QCheckBox;
class QLabel;
class QLineEdit;
class QProgressBar;
class QPushButton;
class QRadioButton;

namespace mc {
class FailureExportJob;
class FailuresService;
}

namespace mc::widgets {

class ExportDialog : public QDialog
{
    Q_OBJECT

public:
    enum class State { Ready, Running, Cancelling, Done };
    // Asks where to save: returns the chosen path, empty when the operator cancels.
    using PathChooser = std::function<QString(QWidget *parent, const QString &suggested,
                                              mc::ExportFormat format)>;

    ExportDialog(FailuresService *service, const mc::FailureFilter &filter,
                 QWidget *parent = nullptr);
    ~ExportDialog() override;

    // Tests (and scripts) replace the file dialog.
    void setPathChooser(PathChooser chooser) { m_chooser = std::move(chooser); }
    void setPath(const QString &path);
    QString path() const;
    void setFormat(mc::ExportFormat format);
    mc::ExportFormat format() const;
    void setPageSize(int rows) { m_pageSize = rows; }

    State state() const { return m_state; }
    std::optional<mc::ExportReport> report() const { return m_report; }

    QPushButton *exportButton() const { return m_export; }
    QPushButton *cancelButton() const { return m_cancel; }
    QCheckBox *detailsBox() const { return m_details; }
    QLabel *summaryLabel() const { return m_summary; }
    QProgressBar *progressBar() const { return m_progress; }

    void reject() override;

signals:
    void exported(const QString &path, qint64 records);

private:
    void choosePath();
    void onFormatChanged();
    void startExport();
    void onCancelClicked();
    void onProgress(const mc::ExportProgress &progress);
    void onFinished(const mc::ExportReport &report);
    void onFailed(const QString &message);
    void setState(State state);

    mc::FailureFilter m_filter;
    mc::FailureExportJob *m_job;
    PathChooser m_chooser;
    State m_state = State::Ready;
    int m_pageSize = 1000;
    std::optional<mc::ExportReport> m_report;

    QRadioButton *m_csv = nullptr;
    QRadioButton *m_json = nullptr;
    QLineEdit *m_path = nullptr;
    QPushButton *m_browse = nullptr;
    QCheckBox *m_details = nullptr;
    QProgressBar *m_progress = nullptr;
    QLabel *m_progressText = nullptr;
    QLabel *m_summary = nullptr;
    QLabel *m_problem = nullptr;
    QPushButton *m_export = nullptr;
    QPushButton *m_cancel = nullptr;
};

} // namespace mc::widgets
