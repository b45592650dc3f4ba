#include "failure_actions.h"

#include "role_gate.h"

#include "failure_table_model.h"
#include "message_banner.h"
#include "database.h"
#include "reason_dialog.h"
#include "failures_service.h"

#include <QAction>
#include <QItemSelectionModel>
#include <QLocale>
#include <QPointer>
#include <QSet>
#include <QTableView>

#include <algorithm>

namespace mc::widgets {

namespace {

QString number(qint64 n)
{
    return QLocale().toString(n);
}

QString records(qint64 n)
{
    return n == 1 ? FailureActions::tr("1 failed record")
                  : FailureActions::tr("%1 failed records").arg(number(n));
}

QString users(qint64 n)
{
    return n == 1 ? FailureActions::tr("1 user") : FailureActions::tr("%1 users").arg(number(n));
}

} // namespace

FailureActions::FailureActions(FailuresService *service, FailureTableModel *model,
                               QTableView *view, MessageBanner *messages, QWidget *dialogParent)
    : QObject(dialogParent), m_model(model), m_view(view), m_messages(messages),
      m_dialogParent(dialogParent), m_service(service),
      m_retry(new QAction(tr("&Retry Users…"), this)),
      m_ignore(new QAction(tr("Mark &Ignored…"), this)),
      m_resolve(new QAction(tr("Mark Re&solved…"), this)),
      m_undo(new QAction(tr("&Undo Mark"), this))
{
    m_retry->setObjectName(QStringLiteral("retryUsersAction"));
    m_retry->setToolTip(tr("Move the users behind the selected failed records from failed back "
                           "to pending, so they migrate again"));
    m_ignore->setObjectName(QStringLiteral("markIgnoredAction"));
    m_ignore->setToolTip(tr("Mark the selected failed records ignored: looked at, no retry "
                            "needed"));
    m_resolve->setObjectName(QStringLiteral("markResolvedAction"));
    m_resolve->setToolTip(tr("Mark the selected failed records resolved: fixed some other way"));
    m_undo->setObjectName(QStringLiteral("undoMarkAction"));
    m_undo->setToolTip(tr("Reopen the records the last mark changed (not those somebody else "
                          "changed since)"));
    connect(m_retry, &QAction::triggered, this, &FailureActions::askRetry);
    connect(m_ignore, &QAction::triggered, this, [this] { askMark(Resolution::Ignored); });
    connect(m_resolve, &QAction::triggered, this, [this] { askMark(Resolution::Resolved); });
    connect(m_undo, &QAction::triggered, this, &FailureActions::undoMark);
    updateEnabled();
}

void FailureActions::setConnected(bool connected)
{
    m_lastMark.reset();
    if (m_dialog)
        m_dialog->reject();
    m_connected = connected;
    setBusy(false);
}

QList<FailureRow> FailureActions::selectedFailures() const
{
    QList<int> rows;
    if (QItemSelectionModel *selection = m_view->selectionModel())
        for (const QModelIndex &index : selection->selectedRows())
            rows << index.row();
    std::sort(rows.begin(), rows.end());
    QList<FailureRow> failures;
    failures.reserve(rows.size());
    for (int row : std::as_const(rows))
        if (row < m_model->rowCount())
            failures << m_model->failureAt(row);
    return failures;
}

QList<UserKey> FailureActions::distinctUsers(const QList<FailureRow> &rows)
{
    QList<UserKey> result;
    QSet<QString> seen;
    for (const FailureRow &row : rows) {
        const QString key = row.user.toString();
        if (!seen.contains(key)) {
            seen.insert(key);
            result << row.user;
        }
    }
    return result;
}

void FailureActions::setAccess(const RoleAccess &access)
{
    m_access = access;
    updateEnabled();
}

void FailureActions::updateEnabled()
{
    const bool selected = m_view->selectionModel() && m_view->selectionModel()->hasSelection();
    const bool ready = m_connected && !m_busy && !m_dialog;
    gate(m_retry, ready && selected, m_access, RoleAction::RetryUsers);
    gate(m_ignore, ready && selected, m_access, RoleAction::MarkFailures);
    gate(m_resolve, ready && selected, m_access, RoleAction::MarkFailures);
    gate(m_undo, ready && m_lastMark.has_value(), m_access, RoleAction::MarkFailures);
    m_undo->setText(m_lastMark ? tr("&Undo Mark (%1)").arg(records(qint64(m_lastMark->ids.size())))
                               : tr("&Undo Mark"));
}

void FailureActions::setBusy(bool busy)
{
    if (m_busy != busy) {
        m_busy = busy;
        emit busyChanged(busy);
    }
    updateEnabled();
}

ReasonDialog *FailureActions::ask(const QString &title, const QString &question,
                                  const QString &confirm)
{
    auto *dialog = new ReasonDialog(title, question, confirm, m_dialogParent);
    dialog->guardProduction(m_service->database()->status().server.environment);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    m_dialog = dialog;
    connect(dialog, &QDialog::finished, this, [this, dialog] {
        if (m_dialog == dialog)
            m_dialog = nullptr;
        updateEnabled();
    });
    updateEnabled();
    dialog->open();
    return dialog;
}

void FailureActions::askRetry()
{
    const QList<FailureRow> rows = selectedFailures();
    const QList<UserKey> chosen = distinctUsers(rows);
    if (chosen.isEmpty() || m_busy || m_dialog)
        return;
    ReasonDialog *dialog = ask(
        tr("Retry Users"),
        tr("Move %1 behind the %2 selected from failed back to pending, so they migrate again?\n"
           "Users that are no longer failed are left as they are.")
            .arg(users(chosen.size()), records(rows.size())),
        chosen.size() == 1 ? tr("Retry 1 User") : tr("Retry %1 Users").arg(number(chosen.size())));
    connect(dialog, &QDialog::accepted, this,
            [this, dialog, chosen] { retry(chosen, dialog->reason()); });
}

void FailureActions::retry(const QList<UserKey> &chosen, const QString &reason)
{
    setBusy(true);
    m_messages->showInfo(tr("Retrying %1…").arg(users(chosen.size())));
    RetryRequest request;
    request.users = std::vector<UserKey>(chosen.begin(), chosen.end());
    request.reason = reason;
    request.by = Operator::fromEnvironment();
    m_service->retryUsers(
        this, request,
        [this](const Result<RetryReport> &report) {
            setBusy(false);
            if (!report.ok()) {
                m_messages->showError(tr("The retry failed; no user was moved by it: %1")
                                          .arg(report.error().message));
                return;
            }
            QList<UserKey> moved;
            for (const UserOutcome &outcome : report->outcomes)
                if (outcome.kind == UserOutcome::Kind::Moved)
                    moved << outcome.user;
            m_model->showRetried(moved);
            m_messages->showInfo(tr("Retried %1: %2 moved to pending, %3 no longer failed "
                                    "(left as they were), %4 not found.")
                                     .arg(users(report->total), number(report->moved),
                                          number(report->notFailed), number(report->notFound)));
            emit changed();
        });
}

void FailureActions::askMark(Resolution to)
{
    const QList<FailureRow> rows = selectedFailures();
    if (rows.isEmpty() || m_busy || m_dialog)
        return;
    std::vector<qint64> ids;
    ids.reserve(size_t(rows.size()));
    for (const FailureRow &row : rows)
        ids.push_back(row.id);
    const QString how = resolutionName(to);
    ReasonDialog *dialog = ask(
        to == Resolution::Ignored ? tr("Mark Ignored") : tr("Mark Resolved"),
        tr("Mark the %1 selected %2?\nOnly open records change; Undo reopens them.")
            .arg(records(qint64(ids.size())), how),
        to == Resolution::Ignored ? tr("Mark Ignored") : tr("Mark Resolved"));
    connect(dialog, &QDialog::accepted, this,
            [this, dialog, ids, to] { mark(ids, to, dialog->reason()); });
}

void FailureActions::mark(const std::vector<qint64> &ids, Resolution to, const QString &reason)
{
    setBusy(true);
    ResolutionChange change;
    change.failureIds = ids;
    change.to = to;
    change.reason = reason;
    change.by = Operator::fromEnvironment();
    const qint64 asked = qint64(ids.size());
    m_service->setResolution(
        this, change,
        [this, to, reason, asked](const Result<ResolutionReport> &report) {
            setBusy(false);
            const QString how = resolutionName(to);
            if (!report.ok()) {
                if (report.error().kind == StoreError::Kind::NothingToChange)
                    m_messages->showInfo(tr("None of the %1 is open; nothing was marked %2.")
                                             .arg(records(asked), how));
                else
                    m_messages->showError(tr("Marking failed; nothing was changed: %1")
                                              .arg(report.error().message));
                return;
            }
            m_lastMark = Mark{report->changed, to, reason};
            m_model->showResolution(report->changed, how);
            QString text = tr("Marked %1 %2.").arg(records(qint64(report->changed.size())), how);
            if (report->unchanged > 0)
                text += tr(" %1 not open (already marked or retried) and left as they were.")
                            .arg(number(report->unchanged));
            m_messages->showInfo(text);
            updateEnabled();
            emit changed();
        });
}

void FailureActions::undoMark()
{
    if (!m_lastMark || m_busy)
        return;
    const Mark last = *m_lastMark;
    setBusy(true);
    ResolutionChange change;
    change.failureIds = last.ids;
    change.to = Resolution::Open;
    change.onlyFrom = last.to;
    change.reason = tr("Undo of: %1").arg(last.reason);
    change.by = Operator::fromEnvironment();
    m_service->setResolution(
        this, change,
        [this, last](const Result<ResolutionReport> &report) {
            if (!report.ok() && report.error().kind != StoreError::Kind::NothingToChange) {
                setBusy(false);
                m_messages->showError(tr("Undo failed; nothing was reopened: %1")
                                          .arg(report.error().message));
                return;
            }
            m_lastMark.reset();
            setBusy(false);
            const qint64 reopened = report.ok() ? qint64(report->changed.size()) : 0;
            const qint64 left = qint64(last.ids.size()) - reopened;
            if (report.ok())
                m_model->showResolution(report->changed, QString());
            QString text = tr("Reopened %1.").arg(records(reopened));
            if (left > 0)
                text += tr(" %1 changed by somebody else since the mark and left as they are.")
                            .arg(number(left));
            m_messages->showInfo(text);
            emit changed();
        });
}

} // namespace mc::widgets
