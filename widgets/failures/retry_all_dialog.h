#pragma once

// "Retry all matching the filter": says which filter in words, counts the distinct users that
// will move from failed to pending (shown large: this is the number the operator confirms), asks
// for a reason, then moves them in batches in the background with progress and Cancel, and ends
// with what happened: moved, skipped because no longer failed, not found, batches, and whether it
// completed, was cancelled or stopped by an error (committed batches stay; the rest is untouched).
//
// Closing it while the retry runs asks first (inline); stopping takes effect before the next batch
// and the dialog stays to show the summary.

#include "failures.h"
#include "operations.h"

#include <QDialog>

#include <optional>

class QLabel;
class QLineEdit;
class QProgressBar;
class QPushButton;
class QFrame;

namespace mc {
class BulkRetryJob;
class FailuresService;
struct StoreError;
}

namespace mc::widgets {

class RetryAllDialog : public QDialog
{
    Q_OBJECT

public:
    enum class State { Counting, CountFailed, Ready, Running, Cancelling, Done };

    RetryAllDialog(FailuresService *service, const mc::FailureFilter &filter,
                   QWidget *parent = nullptr);
    ~RetryAllDialog() override;

    void setBatchSize(int users); // default 1000

    State state() const { return m_state; }
    std::optional<qint64> count() const { return m_count; } // users that will move
    qint64 moved() const { return m_moved; }                // committed so far / in the end
    std::optional<mc::RetryReport> report() const { return m_report; } // when it ended cleanly

    QLineEdit *reasonField() const { return m_reason; }
    QPushButton *retryButton() const { return m_retry; }
    QPushButton *guardedButton() const { return m_guarded; }
    QPushButton *cancelButton() const { return m_cancel; }
    QPushButton *stopButton() const { return m_stop; } // in the "stop the retry?" question
    QLabel *countLabel() const { return m_countLabel; }
    QLabel *summaryLabel() const { return m_summary; }
    QProgressBar *progressBar() const { return m_progress; }

    void reject() override;

signals:
    // The run ended (completed, cancelled or by an error) having moved this many users.
    void retryEnded(qint64 moved);
    // The operator chose to retry these users as a guarded plan instead (the dialog closes).
    void guardedPlanRequested(const mc::FailureFilter &filter);

private:
    void buildUi(const QString &filterText);
    void recount();
    void onCounted(qint64 users);
    void onFailed(const mc::StoreError &error, const mc::RetryProgress &committed);
    void onProgress(const mc::RetryProgress &progress);
    void onFinished(const mc::RetryReport &report);
    void showProgress(qint64 processed, qint64 total);
    void startRetry();
    void stopRetry();
    void onCancelClicked();
    void setState(State state);
    void updateButtons();
    bool reasonGiven() const;

    mc::FailureFilter m_filter;
    mc::BulkRetryJob *m_job;
    State m_state = State::Counting;
    std::optional<qint64> m_count;
    qint64 m_moved = 0;
    mc::RetryProgress m_lastProgress;
    std::optional<mc::RetryReport> m_report;

    QLabel *m_countLabel = nullptr;
    QLabel *m_countCaption = nullptr;
    QLineEdit *m_reason = nullptr;
    QLineEdit *m_typedName = nullptr; // production only: the environment's name, typed
    QString m_requiredName;
    QLabel *m_hint = nullptr;
    QProgressBar *m_progress = nullptr;
    QLabel *m_progressText = nullptr;
    QFrame *m_question = nullptr;
    QPushButton *m_stop = nullptr;
    QLabel *m_summary = nullptr;
    QLabel *m_problem = nullptr;
    QPushButton *m_recount = nullptr;
    QPushButton *m_retry = nullptr;
    QPushButton *m_guarded = nullptr;
    QPushButton *m_cancel = nullptr;
};

} // namespace mc::widgets
