#include "queue_editor.h"

#include "role_gate.h"

#include "message_banner.h"
#include "number_text.h"
#include "queue_settings_model.h"
#include "database.h"
#include "reason_dialog.h"
#include "staged_cell_delegate.h"
#include "controls_service.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QTableView>
#include <QVBoxLayout>

namespace mc::widgets {

QueueEditor::QueueEditor(ControlsService *service, QWidget *parent)
    : QWidget(parent), m_service(service), m_by(Operator::fromEnvironment()),
      m_model(new QueueSettingsModel(this)), m_table(new QTableView(this)),
      m_banner(new MessageBanner(this)), m_stagedLabel(new QLabel(this)),
      m_apply(new QPushButton(tr("Apply…"), this)),
      m_discard(new QPushButton(tr("Discard"), this))
{
    setObjectName(QStringLiteral("queueEditor"));
    m_banner->setObjectName(QStringLiteral("queueBanner"));
    m_apply->setObjectName(QStringLiteral("applyQueuesButton"));
    m_apply->setToolTip(tr("Review the staged changes, give a reason and write them"));
    m_discard->setObjectName(QStringLiteral("discardQueuesButton"));
    m_discard->setToolTip(tr("Forget the staged changes; nothing was written"));
    m_stagedLabel->setObjectName(QStringLiteral("stagedLabel"));
    m_stagedLabel->setTextFormat(Qt::PlainText);
    m_stagedLabel->setWordWrap(true);

    m_table->setObjectName(QStringLiteral("queuesTable"));
    m_table->setModel(m_model);
    m_table->setItemDelegate(new StagedCellDelegate(m_table));
    m_table->setEditTriggers(QAbstractItemView::DoubleClicked | QAbstractItemView::EditKeyPressed
                             | QAbstractItemView::AnyKeyPressed);
    m_table->setSelectionBehavior(QAbstractItemView::SelectItems);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setAlternatingRowColors(true);
    m_table->verticalHeader()->hide();
    m_table->verticalHeader()->setDefaultSectionSize(fontMetrics().height() + 14);
    QHeaderView *header = m_table->horizontalHeader();
    header->setSectionResizeMode(QHeaderView::Interactive);
    header->setStretchLastSection(false);
    header->setSectionResizeMode(QueueSettingsModel::Version, QHeaderView::Stretch);
    const int digit = fontMetrics().horizontalAdvance(QLatin1Char('0'));
    m_table->setColumnWidth(QueueSettingsModel::Name, digit * 18);
    m_table->setColumnWidth(QueueSettingsModel::Parallelism, digit * 13);
    m_table->setColumnWidth(QueueSettingsModel::RunEvery, digit * 16);
    m_table->setColumnWidth(QueueSettingsModel::MaxAttempts, digit * 14);
    m_table->setColumnWidth(QueueSettingsModel::Paused, digit * 10);
    m_table->setColumnWidth(QueueSettingsModel::Depth, digit * 11);
    m_table->setColumnWidth(QueueSettingsModel::InProgress, digit * 12);
    m_table->setColumnWidth(QueueSettingsModel::Action, digit * 12);

    connect(m_apply, &QPushButton::clicked, this, &QueueEditor::openApplyDialog);
    connect(m_discard, &QPushButton::clicked, this, [this] {
        m_model->discard();
        m_banner->showMessage(MessageBanner::Kind::Info,
                              tr("Staged changes discarded; nothing was written."));
    });
    connect(m_model, &QueueSettingsModel::stagedChanged, this, &QueueEditor::updateState);
    connect(m_model, &QAbstractItemModel::modelReset, this, &QueueEditor::placePauseButtons);
    connect(m_model, &QAbstractItemModel::modelReset, this, &QueueEditor::preferredHeightChanged);
    connect(m_banner, &MessageBanner::messageChanged, this, &QueueEditor::preferredHeightChanged);

    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_stagedLabel, 1);
    buttons->addWidget(m_discard);
    buttons->addWidget(m_apply);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_banner);
    layout->addWidget(m_table, 1);
    layout->addLayout(buttons);
    updateState();
}

void QueueEditor::showQueues(const QList<QueueState> &queues)
{
    m_model->setQueues(queues);
    placePauseButtons();
    updateState();
    if (m_reask && !m_run)
        reask();
}

void QueueEditor::setConnected(bool connected)
{
    m_connected = connected;
    m_model->setEditable(connected && m_access.may(RoleAction::ChangeQueues));
    updateState();
}

void QueueEditor::setAccess(const RoleAccess &access)
{
    m_access = access;
    // A role that may not change queues stages nothing it could not apply.
    m_model->setEditable(m_connected && access.may(RoleAction::ChangeQueues));
    updateState();
}

void QueueEditor::clear()
{
    if (m_dialog)
        m_dialog->reject();
    m_run.reset();
    m_reask.reset();
    m_model->clear();
    m_banner->clearMessage();
    updateState();
}

int QueueEditor::preferredHeight() const
{
    const int rows = std::max(4, m_model->rowCount());
    const int table = m_table->horizontalHeader()->sizeHint().height()
                      + rows * m_table->verticalHeader()->defaultSectionSize()
                      + 2 * m_table->frameWidth() + 2;
    return table + m_apply->sizeHint().height() + 12
           + (m_banner->isHidden() ? 0 : m_banner->sizeHint().height() + 6);
}

QPushButton *QueueEditor::pauseButton(const QString &queue) const
{
    const int row = m_model->rowOf(queue);
    if (row < 0)
        return nullptr;
    return qobject_cast<QPushButton *>(
        m_table->indexWidget(m_model->index(row, QueueSettingsModel::Action)));
}

ReasonDialog *QueueEditor::openDialog() const
{
    return m_dialog && m_dialog->isVisible() ? m_dialog.data() : nullptr;
}

void QueueEditor::openApplyDialog()
{
    m_banner->clearMessage();
    askApply(QString(), QString());
}

ReasonDialog *QueueEditor::newDialog(const QString &name)
{
    if (m_dialog)
        m_dialog->reject();
    auto *dialog = new ReasonDialog(this);
    dialog->setObjectName(name);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->guardProduction(m_service->database()->status().server.environment);
    m_dialog = dialog;
    return dialog;
}

void QueueEditor::askApply(const QString &warning, const QString &reason)
{
    const QList<StagedQueueEdit> edits = m_model->stagedEdits();
    if (edits.isEmpty() || !m_connected || m_run)
        return;
    QStringList lines;
    QStringList warnings;
    if (!warning.isEmpty())
        warnings << warning;
    for (const StagedQueueEdit &edit : edits) {
        for (const QString &change : edit.changes())
            lines << QStringLiteral("%1  %2").arg(edit.base.name, -14).arg(change);
        if (m_model->rowChangedUnder(edit.base.name)) {
            const QueueState now = *m_model->queue(edit.base.name);
            warnings << tr("%1 was changed by %2 since you edited it (version %3 → %4). The "
                           "database will refuse this change and show what changed; you can "
                           "then apply again.")
                            .arg(edit.base.name, now.updatedBy)
                            .arg(edit.base.version)
                            .arg(now.version);
        }
    }
    ReasonDialog *dialog = newDialog(QStringLiteral("queueApplyDialog"));
    dialog->setHeading(edits.size() == 1
                           ? tr("Apply 1 staged queue change to the live migration?")
                           : tr("Apply %1 staged queue changes to the live migration?")
                                 .arg(edits.size()));
    dialog->setChanges(lines);
    dialog->setDetail(tr("Workers read these settings live: they take effect at the next claim. "
                         "Each queue is changed in one transaction with its audit entry."));
    dialog->setWarning(warnings.join(QStringLiteral("\n\n")));
    dialog->setReason(reason);
    connect(dialog, &QDialog::accepted, this, [this, dialog, edits] {
        const QString why = dialog->reason();
        m_run = ApplyRun{};
        m_run->reason = why;
        m_run->pending = int(edits.size());
        for (const StagedQueueEdit &edit : edits)
            send(edit.change(why, m_by), edit.changes());
        updateState();
    });
    dialog->open();
}

void QueueEditor::askPause(const QString &queue, bool pause, const QString &warning,
                           const QString &reason)
{
    const std::optional<QueueState> row = m_model->queue(queue);
    if (!row || !m_connected || m_run)
        return;
    ReasonDialog *dialog = newDialog(QStringLiteral("pauseDialog"));
    dialog->setHeading(pause ? tr("Pause queue %1?").arg(queue)
                             : tr("Resume queue %1?").arg(queue));
    dialog->setChanges({QStringLiteral("%1  paused %2 → %3")
                            .arg(queue, pause ? tr("no") : tr("yes"), pause ? tr("yes") : tr("no"))});
    dialog->setDetail(
        pause ? tr("Workers stop claiming new jobs from %1. %2 jobs are waiting; the %3 in "
                   "progress now run to their end.")
                    .arg(queue, countText(row->depth), countText(row->inProgress))
              : tr("Workers claim the %1 waiting jobs of %2 again, at most %3 at once.")
                    .arg(countText(row->depth), queue, countText(row->parallelism)));
    dialog->setWarning(warning);
    dialog->setReason(reason);
    dialog->setApplyText(pause ? tr("Pause") : tr("Resume"));
    QueueChange change;
    change.queue = queue;
    change.paused = pause;
    change.expectVersion = row->version;
    change.by = m_by;
    const QStringList lines{tr("%1 %2").arg(pause ? tr("paused") : tr("resumed"), queue)};
    connect(dialog, &QDialog::accepted, this, [this, dialog, change, lines, pause]() mutable {
        change.reason = dialog->reason();
        m_run = ApplyRun{};
        m_run->reason = change.reason;
        m_run->pending = 1;
        m_run->pause = pause;
        send(change, lines);
        updateState();
    });
    dialog->open();
}

void QueueEditor::send(const QueueChange &change, const QStringList &lines)
{
    const qint64 versionBefore = change.expectVersion.value_or(0);
    m_service->updateQueue(
        this, change,
        [this, change, lines, versionBefore](const Result<QueueState> &result) {
            if (!m_run)
                return; // cleared meanwhile (disconnected)
            if (result) {
                m_model->applied(*result, versionBefore);
                for (const QString &line : lines)
                    m_run->applied << (change.paused ? line : change.queue + QStringLiteral(" ")
                                                                  + line);
            } else {
                const StoreError &error = result.error();
                switch (error.kind) {
                case StoreError::Kind::Conflict:
                    m_run->conflicts << error.message;
                    m_run->conflictedQueues << change.queue;
                    break;
                case StoreError::Kind::NothingToChange:
                    m_run->infos << error.message;
                    if (!change.paused)
                        m_model->discard(change.queue);
                    break;
                default:
                    m_run->errors << error.message;
                    break;
                }
            }
            if (--m_run->pending == 0)
                finishRun();
        });
}

void QueueEditor::finishRun()
{
    const ApplyRun run = *m_run;
    m_run.reset();
    QStringList text;
    if (!run.applied.isEmpty())
        text << tr("Applied: %1.").arg(run.applied.join(QStringLiteral("; ")));
    text << run.infos;
    text << run.errors;
    if (!run.conflicts.isEmpty()) {
        text << run.conflicts;
        text << tr("Refreshing; your change stays staged and you are asked again.");
        m_reask = Reask{run.conflictedQueues, run.conflicts.join(QStringLiteral("\n\n")),
                        run.reason, run.pause};
    }
    const MessageBanner::Kind kind = !run.conflicts.isEmpty() ? MessageBanner::Kind::Warning
                                     : !run.errors.isEmpty()  ? MessageBanner::Kind::Error
                                                              : MessageBanner::Kind::Info;
    m_banner->showMessage(kind, text.join(QLatin1Char('\n')));
    if (!run.applied.isEmpty())
        emit changed(tr("Applied: %1 (reason: %2)")
                         .arg(run.applied.join(QStringLiteral("; ")), run.reason));
    updateState();
    emit refreshRequested();
}

void QueueEditor::reask()
{
    const Reask reask = *m_reask;
    m_reask.reset();
    const QString warning =
        tr("Not applied: %1\n\nThe values below are based on what the database holds now. Apply "
           "again only if your change still makes sense.")
            .arg(reask.message);
    if (reask.pause) {
        const QString queue = reask.queues.value(0);
        const std::optional<QueueState> row = m_model->queue(queue);
        if (row && row->paused != *reask.pause)
            askPause(queue, *reask.pause, warning, reask.reason);
        else
            m_banner->showMessage(MessageBanner::Kind::Info,
                                  tr("%1\n\nQueue %2 is %3 now; nothing left to do.")
                                      .arg(reask.message, queue,
                                           *reask.pause ? tr("paused") : tr("running")));
        return;
    }
    QStringList left;
    QStringList done;
    for (const QString &queue : reask.queues)
        (m_model->rebase(queue) ? left : done) << queue;
    if (!left.isEmpty()) {
        askApply(warning, reask.reason);
        return;
    }
    m_banner->showMessage(MessageBanner::Kind::Info,
                          tr("%1\n\nThe database already holds the values you staged for %2; "
                             "nothing left to change.")
                              .arg(reask.message, done.join(QStringLiteral(", "))));
}

void QueueEditor::placePauseButtons()
{
    for (int row = 0; row < m_model->rowCount(); ++row) {
        const QModelIndex index = m_model->index(row, QueueSettingsModel::Action);
        const QueueState queue = m_model->queues()[row];
        auto *button = qobject_cast<QPushButton *>(m_table->indexWidget(index));
        if (!button || button->property("queue").toString() != queue.name) {
            button = new QPushButton(m_table);
            button->setProperty("queue", queue.name);
            button->setObjectName(QStringLiteral("pause_") + queue.name);
            connect(button, &QPushButton::clicked, this, [this, name = queue.name] {
                if (const std::optional<QueueState> q = m_model->queue(name)) {
                    m_banner->clearMessage();
                    askPause(name, !q->paused, QString(), QString());
                }
            });
            m_table->setIndexWidget(index, button);
        }
        button->setText(queue.paused ? tr("Resume") : tr("Pause"));
        button->setToolTip(queue.paused ? tr("Let workers claim jobs of %1 again").arg(queue.name)
                                        : tr("Stop workers claiming new jobs of %1").arg(queue.name));
        button->setProperty("mcOwnToolTip", QVariant()); // the tooltip above is its own now
        gate(button, m_connected && !m_run, m_access, RoleAction::ChangeQueues);
    }
}

void QueueEditor::updateState()
{
    const QList<StagedQueueEdit> edits = m_model->stagedEdits();
    int settings = 0;
    QStringList changedUnder;
    for (const StagedQueueEdit &edit : edits) {
        settings += int(edit.changes().size());
        if (m_model->rowChangedUnder(edit.base.name)) {
            const QueueState now = *m_model->queue(edit.base.name);
            changedUnder << tr("⚠ %1 was changed in the database since you edited it (v%2 → v%3 "
                               "by %4).")
                                .arg(edit.base.name)
                                .arg(edit.base.version)
                                .arg(now.version)
                                .arg(now.updatedBy);
        }
    }
    QString text;
    if (settings == 0)
        text = m_connected ? tr("Double-click a setting to stage a change; nothing is written "
                                "until you apply it.")
                           : QString();
    else
        text = (settings == 1 ? tr("1 staged change, not written yet.")
                              : tr("%1 staged changes, not written yet.").arg(settings));
    if (!changedUnder.isEmpty())
        text += QLatin1Char(' ') + changedUnder.join(QLatin1Char(' '));
    m_stagedLabel->setText(text);
    m_stagedLabel->setStyleSheet(changedUnder.isEmpty() ? QString()
                                                        : QStringLiteral("color: #8a4b00;"));
    gate(m_apply, settings > 0 && m_connected && !m_run, m_access, RoleAction::ChangeQueues);
    m_apply->setText(settings == 0   ? tr("Apply…")
                     : settings == 1 ? tr("Apply 1 change…")
                                     : tr("Apply %1 changes…").arg(settings));
    m_discard->setEnabled(settings > 0 && !m_run);
    for (int row = 0; row < m_model->rowCount(); ++row)
        if (QPushButton *button = pauseButton(m_model->queues()[row].name))
            gate(button, m_connected && !m_run, m_access, RoleAction::ChangeQueues);
}

} // namespace mc::widgets
