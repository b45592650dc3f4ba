#include "retry_all_dialog.h"

#include "database.h"

#include "bulk_retry_job.h"
#include "failures_service.h"
#include "role_gate.h"

#include <QDialogButtonBox>
#include <QFormLayout>
#include <QFrame>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QVBoxLayout>

#include <limits>

namespace mc::widgets {

namespace {

QString number(qint64 value)
{
    return QLocale().toString(value);
}

QString users(qint64 count)
{
    return count == 1 ? QObject::tr("1 user") : QObject::tr("%1 users").arg(number(count));
}

QLabel *wrapping(QWidget *parent)
{
    auto *label = new QLabel(parent);
    label->setWordWrap(true);
    label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    return label;
}

} // namespace

RetryAllDialog::RetryAllDialog(FailuresService *service, const FailureFilter &filter,
                               QWidget *parent)
    : QDialog(parent), m_filter(filter), m_job(new BulkRetryJob(this))
{
    setObjectName(QStringLiteral("retryAllDialog"));
    setWindowTitle(tr("Retry all matching users"));
    const Environment environment = service->database()->status().server.environment;
    if (environment.isProduction())
        m_requiredName = environment.name;
    buildUi(filter.describe());

    connect(m_job, &BulkRetryJob::counted, this, &RetryAllDialog::onCounted);
    connect(m_job, &BulkRetryJob::failed, this, &RetryAllDialog::onFailed);
    connect(m_job, &BulkRetryJob::progress, this, &RetryAllDialog::onProgress);
    connect(m_job, &BulkRetryJob::finished, this, &RetryAllDialog::onFinished);
    connect(m_reason, &QLineEdit::textChanged, this, &RetryAllDialog::updateButtons);
    connect(m_retry, &QPushButton::clicked, this, &RetryAllDialog::startRetry);
    connect(m_cancel, &QPushButton::clicked, this, &RetryAllDialog::onCancelClicked);
    connect(m_recount, &QPushButton::clicked, this, &RetryAllDialog::recount);
    connect(m_stop, &QPushButton::clicked, this, &RetryAllDialog::stopRetry);

    m_job->setRunner(service->bulkRunner());
    gate(m_guarded, true, service->database()->access(), RoleAction::ManagePlans);
    recount();
}

RetryAllDialog::~RetryAllDialog() = default; // the job cancels a running retry as it goes

void RetryAllDialog::buildUi(const QString &filterText)
{
    auto *heading = new QLabel(tr("<b>Retry every failed user who has a failed record matching "
                                  "this filter</b>"),
                               this);
    heading->setWordWrap(true);
    auto *filterLabel = wrapping(this);
    filterLabel->setObjectName(QStringLiteral("filterText"));
    filterLabel->setText(filterText);

    auto *countBox = new QFrame(this);
    countBox->setObjectName(QStringLiteral("countBox"));
    countBox->setFrameShape(QFrame::StyledPanel);
    countBox->setStyleSheet(QStringLiteral("#countBox { background: palette(base); "
                                           "border: 1px solid #c0392b; border-radius: 4px; }"));
    m_countLabel = new QLabel(tr("counting…"), countBox);
    m_countLabel->setObjectName(QStringLiteral("count"));
    QFont big = m_countLabel->font();
    big.setPointSizeF(big.pointSizeF() * 2.2);
    big.setBold(true);
    m_countLabel->setFont(big);
    m_countCaption = wrapping(countBox);
    m_countCaption->setText(tr("Counting the distinct users still failed…"));
    auto *countLayout = new QHBoxLayout(countBox);
    countLayout->addWidget(m_countLabel);
    countLayout->addWidget(m_countCaption, 1);

    m_reason = new QLineEdit(this);
    m_reason->setObjectName(QStringLiteral("reason"));
    m_reason->setPlaceholderText(tr("required: a ticket, the fix deployed, … (audit log)"));
    m_reason->setMaxLength(2000);
    m_hint = wrapping(this);
    m_hint->setForegroundRole(QPalette::PlaceholderText);

    m_progress = new QProgressBar(this);
    m_progress->setObjectName(QStringLiteral("progress"));
    m_progress->setRange(0, 1);
    m_progress->setValue(0);
    m_progressText = wrapping(this);

    m_question = new QFrame(this);
    m_question->setObjectName(QStringLiteral("stopQuestion"));
    m_question->setFrameShape(QFrame::StyledPanel);
    auto *questionText = wrapping(m_question);
    questionText->setText(tr("The retry is still running. Stop it before the next batch? Users "
                             "in batches already committed stay pending."));
    m_stop = new QPushButton(tr("Stop the retry"), m_question);
    m_stop->setObjectName(QStringLiteral("stop"));
    auto *keep = new QPushButton(tr("Keep running"), m_question);
    connect(keep, &QPushButton::clicked, m_question, &QWidget::hide);
    auto *questionLayout = new QHBoxLayout(m_question);
    questionLayout->addWidget(questionText, 1);
    questionLayout->addWidget(m_stop);
    questionLayout->addWidget(keep);
    m_question->hide();

    m_summary = wrapping(this);
    m_summary->setObjectName(QStringLiteral("summary"));
    m_summary->setTextFormat(Qt::RichText);
    m_problem = wrapping(this);
    m_problem->setObjectName(QStringLiteral("problem"));
    m_problem->setStyleSheet(QStringLiteral("color: #c0392b"));

    auto *buttons = new QDialogButtonBox(this);
    m_recount = buttons->addButton(tr("Count again"), QDialogButtonBox::ResetRole);
    m_retry = buttons->addButton(tr("Retry"), QDialogButtonBox::AcceptRole);
    m_retry->setObjectName(QStringLiteral("retry"));
    m_retry->setAutoDefault(false);
    m_retry->setDefault(false);
    // A risky action looks like one once it can be taken.
    m_retry->setStyleSheet(QStringLiteral(
        "QPushButton:enabled { background: #c0392b; color: white; border: 1px solid #922b21; "
        "border-radius: 3px; padding: 4px 14px; font-weight: bold; }"
        "QPushButton:enabled:hover { background: #a93226; }"));
    m_guarded = buttons->addButton(tr("As a Guarded Plan…"), QDialogButtonBox::ActionRole);
    m_guarded->setObjectName(QStringLiteral("asGuardedPlan"));
    m_guarded->setToolTip(tr("A canary first, then steps, halting by itself if the retried users "
                             "fail again"));
    connect(m_guarded, &QPushButton::clicked, this, [this] {
        emit guardedPlanRequested(m_filter);
        QDialog::reject();
    });
    m_cancel = buttons->addButton(QDialogButtonBox::Cancel);
    m_cancel->setObjectName(QStringLiteral("cancel"));
    // The buttons' own signals drive everything: the box's accepted/rejected are not used.

    auto *form = new QFormLayout;
    form->addRow(tr("Filter:"), filterLabel);
    form->addRow(tr("&Reason:"), m_reason);
    if (!m_requiredName.isEmpty()) {
        // On production the operator types the environment's name, as well as a reason.
        m_typedName = new QLineEdit(this);
        m_typedName->setObjectName(QStringLiteral("typedNameEdit"));
        m_typedName->setPlaceholderText(tr("type %1 to confirm").arg(m_requiredName));
        form->addRow(tr("Production %1:").arg(m_requiredName), m_typedName);
        connect(m_typedName, &QLineEdit::textChanged, this, &RetryAllDialog::updateButtons);
    }
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(heading);
    layout->addLayout(form);
    layout->addWidget(countBox);
    layout->addWidget(m_hint);
    layout->addWidget(m_progress);
    layout->addWidget(m_progressText);
    layout->addWidget(m_question);
    layout->addWidget(m_summary);
    layout->addWidget(m_problem);
    layout->addStretch(1);
    layout->addWidget(buttons);
    setMinimumWidth(560);
    setState(State::Counting);
}

void RetryAllDialog::setBatchSize(int users)
{
    m_job->setBatchSize(users);
    setState(m_state); // the hint names the batch size
}

void RetryAllDialog::recount()
{
    m_count.reset();
    m_countLabel->setText(tr("counting…"));
    m_countCaption->setText(tr("Counting the distinct users still failed…"));
    m_problem->clear();
    setState(State::Counting);
    m_job->count(m_filter);
}

void RetryAllDialog::onCounted(qint64 count)
{
    if (m_state != State::Counting)
        return;
    m_count = count;
    m_countLabel->setText(number(count));
    m_countCaption->setText(count == 0
                                ? tr("users to retry: no failed user has a failed record "
                                     "matching this filter.")
                                : tr("%1 will move from <b>failed</b> to <b>pending</b> and run "
                                     "again.")
                                      .arg(count == 1 ? tr("user") : tr("distinct users")));
    setState(State::Ready);
}

void RetryAllDialog::onFailed(const StoreError &error, const RetryProgress &committed)
{
    if (m_state == State::Counting) {
        m_countLabel->setText(tr("?"));
        m_countCaption->setText(tr("The users could not be counted."));
        m_problem->setText(error.message);
        setState(State::CountFailed);
        return;
    }
    if (m_state != State::Running && m_state != State::Cancelling)
        return;
    m_moved = committed.moved;
    const qint64 total = committed.total > 0 ? committed.total : m_count.value_or(0);
    const qint64 untouched = std::max<qint64>(0, total - committed.processed);
    m_problem->setText(tr("Stopped by an error: %1").arg(error.message));
    m_summary->setText(
        tr("<b>%1</b> moved to pending in batches committed before the error; they stay "
           "pending.<br>The other %2 were not touched (the batch the error interrupted was "
           "rolled back). Check the audit log, then retry again for the rest.")
            .arg(users(m_moved), users(untouched)));
    setState(State::Done);
    emit retryEnded(m_moved);
}

void RetryAllDialog::onProgress(const RetryProgress &progress)
{
    m_lastProgress = progress;
    m_moved = progress.moved;
    showProgress(progress.processed, progress.total);
    m_progressText->setText(tr("%1 of %2 processed · %3 moved so far")
                                .arg(number(progress.processed), users(progress.total),
                                     number(progress.moved)));
}

void RetryAllDialog::onFinished(const RetryReport &report)
{
    m_report = report;
    m_moved = report.moved;
    const qint64 processed = report.moved + report.notFailed + report.notFound;
    QString text;
    if (report.cancelled)
        text = tr("<b>Cancelled</b> after %1 batches: <b>%2</b> moved to pending.<br>The other "
                  "%3 were not touched and are still failed.")
                   .arg(number(report.batches), users(report.moved),
                        users(report.total - processed));
    else
        text = tr("<b>Complete</b>: <b>%1</b> moved to pending in %2 batches.")
                   .arg(users(report.moved), number(report.batches));
    text += tr("<br>Skipped because no longer failed: %1 · not found: %2")
                .arg(number(report.notFailed), number(report.notFound));
    if (m_count && report.total != *m_count)
        text += tr("<br>%1 were failed when the retry started (%2 when counted): the users "
                   "changed in between.")
                    .arg(number(report.total), number(*m_count));
    if (report.moved > 0)
        text += tr("<br>Each batch is in the audit log with your reason.");
    m_summary->setText(text);
    showProgress(processed, report.total);
    setState(State::Done);
    emit retryEnded(m_moved);
}

void RetryAllDialog::showProgress(qint64 processed, qint64 total)
{
    if (total <= 0) {
        m_progress->setRange(0, 1);
        m_progress->setValue(1); // nothing to do is done
        return;
    }
    // QProgressBar counts in int: scale down past two billion users.
    const qint64 scale = total > std::numeric_limits<int>::max() ? 1000 : 1;
    m_progress->setRange(0, int(total / scale));
    m_progress->setValue(int(std::min(processed, total) / scale));
}

void RetryAllDialog::startRetry()
{
    if (m_state != State::Ready || !m_count || *m_count == 0 || !reasonGiven())
        return;
    showProgress(0, *m_count);
    m_progressText->setText(tr("Starting…"));
    setState(State::Running);
    m_job->start(m_filter, m_reason->text().trimmed());
}

void RetryAllDialog::stopRetry()
{
    m_question->hide();
    if (m_state != State::Running)
        return;
    m_job->cancel();
    setState(State::Cancelling);
}

void RetryAllDialog::onCancelClicked()
{
    if (m_state == State::Running)
        stopRetry(); // the button says "Stop": no question needed
    else
        reject();
}

void RetryAllDialog::reject()
{
    switch (m_state) {
    case State::Running:
        m_question->show(); // ask; Stop cancels before the next batch
        m_stop->setFocus();
        return;
    case State::Cancelling:
        return; // the summary follows after the batch in flight
    default:
        QDialog::reject();
    }
}

void RetryAllDialog::setState(State state)
{
    m_state = state;
    if (m_count && *m_count > 0) {
        const QString who = *m_count == 1 ? tr("user") : tr("distinct users");
        if (state == State::Running || state == State::Cancelling)
            m_countCaption->setText(tr("%1 moving from <b>failed</b> to <b>pending</b>, batch "
                                       "by batch…")
                                        .arg(who));
        else if (state == State::Done)
            m_countCaption->setText(tr("%1 counted when you confirmed. What happened is below.")
                                        .arg(who));
    }
    const bool running = state == State::Running || state == State::Cancelling;
    m_reason->setReadOnly(running || state == State::Done);
    m_progress->setVisible(running || state == State::Done);
    m_progressText->setVisible(running || state == State::Done);
    m_summary->setVisible(state == State::Done);
    m_recount->setVisible(state == State::CountFailed);
    m_retry->setVisible(state != State::Done);
    if (state != State::Running)
        m_question->hide();
    m_cancel->setText(running ? tr("Stop") : state == State::Done ? tr("Close") : tr("Cancel"));
    m_cancel->setEnabled(state != State::Cancelling);
    switch (state) {
    case State::Cancelling:
        m_hint->setText(tr("Stopping before the next batch…"));
        break;
    case State::Running:
        m_hint->setText(tr("Retrying in batches of %1; each batch is committed with its audit "
                           "entry. Stop keeps what is committed and touches no one else.")
                            .arg(number(m_job->batchSize())));
        break;
    case State::Done:
        m_hint->clear();
        break;
    default:
        m_hint->setText(tr("Users move in batches of %1, each committed with its audit entry. "
                           "Users whose status changes before their batch are skipped.")
                            .arg(number(m_job->batchSize())));
    }
    m_hint->setVisible(!m_hint->text().isEmpty());
    updateButtons();
    if (state == State::Done)
        m_cancel->setFocus(); // Close, rather than the read-only reason
}

void RetryAllDialog::updateButtons()
{
    const bool ready = m_state == State::Ready && m_count && *m_count > 0;
    m_retry->setEnabled(ready && reasonGiven());
    m_retry->setText(m_count && *m_count > 0 ? tr("Retry %1").arg(users(*m_count))
                                             : tr("Retry"));
    if (ready && !reasonGiven())
        m_retry->setToolTip(tr("Type a reason first: it goes into the audit log."));
    else
        m_retry->setToolTip(QString());
}

bool RetryAllDialog::reasonGiven() const
{
    const bool named = !m_typedName || m_typedName->text() == m_requiredName;
    return named && !m_reason->text().trimmed().isEmpty();
}

} // namespace mc::widgets
