#include "rollout_editor.h"

#include "role_gate.h"

#include "message_banner.h"
#include "number_text.h"
#include "database.h"
#include "reason_dialog.h"
#include "controls_service.h"

#include <QDateTime>
#include <QDoubleSpinBox>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QTimer>
#include <QVBoxLayout>

#include <cmath>

namespace mc::widgets {

namespace {

QLabel *wrappingLabel(QWidget *parent, const QString &name)
{
    auto *label = new QLabel(parent);
    label->setObjectName(name);
    label->setTextFormat(Qt::PlainText);
    label->setWordWrap(true);
    label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    return label;
}

} // namespace

RolloutEditor::RolloutEditor(ControlsService *service, const RolloutFlag &flag,
                             QWidget *parent)
    : QFrame(parent), m_service(service), m_by(Operator::fromEnvironment()), m_draft(flag),
      m_title(new QLabel(this)), m_current(wrappingLabel(this, QStringLiteral("currentLabel"))),
      m_spin(new QDoubleSpinBox(this)), m_apply(new QPushButton(tr("Apply…"), this)),
      m_ramp(new QPushButton(tr("Ramp…"), this)),
      m_discard(new QPushButton(tr("Discard"), this)),
      m_preview(wrappingLabel(this, QStringLiteral("previewLabel"))),
      m_warning(wrappingLabel(this, QStringLiteral("lowerWarningLabel"))),
      m_changedUnder(wrappingLabel(this, QStringLiteral("changedUnderLabel"))),
      m_banner(new MessageBanner(this)), m_previewDelay(new QTimer(this))
{
    setObjectName(QStringLiteral("rollout_%1_%2").arg(flag.flag, flag.portal));
    setFrameShape(QFrame::StyledPanel);
    setStyleSheet(QStringLiteral("mc--widgets--RolloutEditor { background: palette(base); "
                                 "border: 1px solid palette(mid); border-radius: 4px; }"));
    QFont bold = m_title->font();
    bold.setBold(true);
    bold.setPointSizeF(bold.pointSizeF() * 1.1);
    m_title->setFont(bold);
    m_title->setText(tr("%1 on %2").arg(flag.flag, flag.portal));
    m_current->setForegroundRole(QPalette::PlaceholderText);

    m_spin->setObjectName(QStringLiteral("percentageSpin"));
    m_spin->setRange(0.0, 100.0);
    m_spin->setDecimals(2);
    m_spin->setSingleStep(0.5);
    m_spin->setSuffix(QStringLiteral(" %"));
    m_spin->setAlignment(Qt::AlignRight | Qt::AlignVCenter);
    m_spin->setMinimumWidth(fontMetrics().horizontalAdvance(QStringLiteral("100.00 %")) + 48);
    m_spin->setValue(flag.percentage());
    connect(m_spin, &QDoubleSpinBox::valueChanged, this, &RolloutEditor::valueEdited);

    m_apply->setObjectName(QStringLiteral("applyRolloutButton"));
    m_ramp->setObjectName(QStringLiteral("rampRolloutButton"));
    m_ramp->setToolTip(tr("Raise it step by step as a guarded plan that halts by itself when "
                          "the users it admits fail"));
    connect(m_ramp, &QPushButton::clicked, this, [this] {
        const RolloutFlag &flag = m_draft.flag();
        emit rampRequested(flag.flag, flag.portal, flag.basisPoints,
                           m_draft.intended() > flag.basisPoints ? m_draft.intended() : 10'000);
    });
    m_discard->setObjectName(QStringLiteral("discardRolloutButton"));
    connect(m_apply, &QPushButton::clicked, this, [this] {
        m_banner->clearMessage();
        askApply(QString(), QString());
    });
    connect(m_discard, &QPushButton::clicked, this, [this] {
        m_draft.discard();
        const QSignalBlocker block(m_spin);
        m_spin->setValue(m_draft.flag().percentage());
        m_previewDelay->stop();
        showDraft();
    });

    m_preview->setMinimumHeight(fontMetrics().height() * 2 + 4);
    m_warning->setStyleSheet(QStringLiteral(
        "QLabel { background: #fff4d6; color: #5c4000; border: 1px solid #e0b84a; "
        "border-radius: 3px; padding: 4px 6px; }"));
    m_changedUnder->setStyleSheet(QStringLiteral("color: #8a4b00;"));
    m_banner->setObjectName(QStringLiteral("rolloutBanner"));

    m_previewDelay->setSingleShot(true);
    m_previewDelay->setInterval(kPreviewDelayMs);
    connect(m_previewDelay, &QTimer::timeout, this, &RolloutEditor::requestPreview);

    auto *header = new QHBoxLayout;
    header->addWidget(m_title);
    header->addSpacing(12);
    header->addWidget(m_current, 1);

    auto *controls = new QHBoxLayout;
    controls->setSpacing(4);
    controls->addWidget(new QLabel(tr("New percentage:"), this));
    controls->addWidget(m_spin);
    controls->addSpacing(10);
    for (const int percent : kQuickSteps) {
        auto *step = new QPushButton(QStringLiteral("%1 %").arg(percent), this);
        step->setObjectName(QStringLiteral("step_%1").arg(percent));
        step->setToolTip(tr("Set the new percentage to %1 %").arg(percent));
        step->setMaximumWidth(fontMetrics().horizontalAdvance(QStringLiteral("100 %")) + 20);
        connect(step, &QPushButton::clicked, this, [this, percent] { m_spin->setValue(percent); });
        controls->addWidget(step);
        m_steps << step;
    }
    controls->addStretch(1);
    controls->addWidget(m_discard);
    controls->addWidget(m_apply);
    controls->addWidget(m_ramp);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(10, 8, 10, 8);
    layout->setSpacing(6);
    layout->addLayout(header);
    layout->addLayout(controls);
    layout->addWidget(m_preview);
    layout->addWidget(m_warning);
    layout->addWidget(m_changedUnder);
    layout->addWidget(m_banner);
    showDraft();
}

QPushButton *RolloutEditor::stepButton(int percent) const
{
    for (QPushButton *step : m_steps)
        if (step->objectName() == QStringLiteral("step_%1").arg(percent))
            return step;
    return nullptr;
}

ReasonDialog *RolloutEditor::openDialog() const
{
    return m_dialog && m_dialog->isVisible() ? m_dialog.data() : nullptr;
}

void RolloutEditor::showFlag(const RolloutFlag &flag)
{
    const bool moved = m_draft.setFlag(flag);
    if (!m_draft.isStaged()) {
        const QSignalBlocker block(m_spin);
        m_spin->setValue(m_draft.intended() / 100.0);
    }
    if (moved && m_draft.needsPreview()) {
        m_previewDelay->stop();
        requestPreview();
    }
    showDraft();
    if (m_reask && !m_applying) {
        if (!m_draft.isStaged()) {
            m_banner->showMessage(MessageBanner::Kind::Info,
                                  tr("%1\n\nThe flag is at %2 now: nothing left to change.")
                                      .arg(m_reask->first, percentText(flag.basisPoints)));
            m_reask.reset();
        } else if (m_draft.hasCurrentPreview()) {
            const auto [message, reason] = *m_reask;
            m_reask.reset();
            askApply(message, reason);
        } else if (m_previewsInFlight == 0) {
            requestPreview(); // the answer re-asks
        }
    }
}

void RolloutEditor::setAccess(const RoleAccess &access)
{
    m_access = access;
    showDraft();
}

void RolloutEditor::setConnected(bool connected)
{
    m_connected = connected;
    if (!connected) {
        m_reask.reset();
        if (m_dialog)
            m_dialog->reject();
    }
    showDraft();
}

void RolloutEditor::valueEdited(double percent)
{
    m_draft.setIntended(int(std::lround(percent * 100.0)));
    m_banner->clearMessage();
    if (m_draft.needsPreview())
        m_previewDelay->start();
    else
        m_previewDelay->stop();
    showDraft();
}

void RolloutEditor::requestPreview()
{
    if (!m_connected || !m_draft.needsPreview())
        return;
    const quint64 generation = ++m_previewGeneration;
    ++m_previewsInFlight;
    const RolloutFlag flag = m_draft.flag();
    const int basisPoints = m_draft.intended();
    m_service->previewRollout(
        this, flag, basisPoints,
        [this, generation](const Result<RolloutPreview> &result) {
            --m_previewsInFlight;
            if (generation != m_previewGeneration)
                return; // the value or the row changed since: a newer preview is coming
            if (result)
                m_draft.setPreview(*result);
            else
                m_banner->showMessage(MessageBanner::Kind::Error,
                                      tr("No preview: %1").arg(result.error().message));
            showDraft();
            if (m_reask && m_draft.hasCurrentPreview() && !m_applying) {
                const auto [message, reason] = *m_reask;
                m_reask.reset();
                askApply(message, reason);
            }
        });
    showDraft();
}

void RolloutEditor::askApply(const QString &warning, const QString &reason)
{
    if (!m_connected || m_applying || !m_draft.canApply())
        return;
    m_draft.acknowledgeRow();
    // The change is fixed now, with the version the preview was counted against: a change by
    // anyone else before the operator confirms is refused by the store.
    RolloutChange change = m_draft.change(QString(), m_by);
    QStringList warnings;
    if (!warning.isEmpty())
        warnings << tr("Not applied: %1\n\nThe preview below is counted against the flag as it "
                       "is now. Apply again only if your change still makes sense.")
                        .arg(warning);
    if (!m_draft.lowerWarning().isEmpty())
        warnings << m_draft.lowerWarning();

    if (m_dialog)
        m_dialog->reject();
    auto *dialog = new ReasonDialog(this);
    dialog->setObjectName(QStringLiteral("rolloutApplyDialog"));
    dialog->guardProduction(m_service->database()->status().server.environment);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    m_dialog = dialog;
    dialog->setHeading(tr("Set rollout %1 on %2 to %3?")
                           .arg(change.flag, change.portal, percentText(change.basisPoints)));
    dialog->setChanges({m_draft.summary()});
    dialog->setDetail(m_draft.previewText());
    dialog->setWarning(warnings.join(QStringLiteral("\n\n")));
    if (m_draft.isBigJump())
        dialog->setConfirmation(m_draft.bigJumpConfirmation());
    dialog->setReason(reason);
    connect(dialog, &QDialog::accepted, this, [this, dialog, change]() mutable {
        change.reason = dialog->reason();
        send(change);
    });
    dialog->open();
    showDraft();
}

void RolloutEditor::send(const RolloutChange &change)
{
    m_applying = true;
    const int before = m_draft.flag().basisPoints;
    m_service->setRollout(
        this, change,
        [this, change, before](const Result<RolloutFlag> &result) {
            m_applying = false;
            if (result) {
                m_draft.setFlag(*result);
                const QString what = tr("rollout %1 on %2 %3 → %4")
                                         .arg(change.flag, change.portal, percentText(before),
                                              percentText(result->basisPoints));
                m_banner->showMessage(MessageBanner::Kind::Info, tr("Applied: %1.").arg(what));
                emit changed(tr("Applied: %1 (reason: %2)").arg(what, change.reason));
            } else if (result.error().kind == StoreError::Kind::NothingToChange) {
                m_banner->showMessage(MessageBanner::Kind::Info, result.error().message);
            } else if (result.error().kind == StoreError::Kind::Conflict) {
                m_banner->showMessage(
                    MessageBanner::Kind::Warning,
                    tr("%1\nRefreshing; your %2 stays and you are asked again.")
                        .arg(result.error().message, percentText(change.basisPoints)));
                m_reask = std::make_pair(result.error().message, change.reason);
            } else {
                m_banner->showMessage(MessageBanner::Kind::Error, result.error().message);
            }
            showDraft();
            emit refreshRequested();
        });
    showDraft();
}

void RolloutEditor::showDraft()
{
    const RolloutFlag &flag = m_draft.flag();
    QString current = tr("now %1 · v%2").arg(percentText(flag.basisPoints)).arg(flag.version);
    if (!flag.updatedBy.isEmpty())
        current += tr(" · by %1").arg(flag.updatedBy);
    if (flag.updatedAt)
        current += tr(" at %1").arg(QDateTime::fromMSecsSinceEpoch(*flag.updatedAt)
                                        .toString(QStringLiteral("yyyy-MM-dd HH:mm:ss")));
    m_current->setText(current);

    const bool staged = m_draft.isStaged();
    QString preview;
    if (!staged)
        preview = tr("Pick a new percentage to see how many users it admits.");
    else if (m_draft.needsPreview())
        preview = m_connected ? tr("Counting what %1 would change…")
                                    .arg(percentText(m_draft.intended()))
                              : tr("Not connected: no preview.");
    else
        preview = m_draft.previewText();
    m_preview->setText(preview);
    m_preview->setForegroundRole(staged ? QPalette::WindowText : QPalette::PlaceholderText);

    const QString lower = staged ? m_draft.lowerWarning() : QString();
    m_warning->setText(lower);
    m_warning->setVisible(!lower.isEmpty());
    const bool changedUnder = m_draft.rowChangedUnder();
    m_changedUnder->setText(
        changedUnder ? tr("⚠ Changed in the database since you picked %1: now %2, by %3.")
                           .arg(percentText(m_draft.intended()), percentText(flag.basisPoints),
                                flag.updatedBy)
                     : QString());
    m_changedUnder->setVisible(changedUnder);

    gate(m_spin, m_connected, m_access, RoleAction::ChangeRollout);
    for (QPushButton *step : std::as_const(m_steps))
        gate(step, m_connected, m_access, RoleAction::ChangeRollout);
    m_apply->setProperty("mcOwnToolTip", staged && !m_draft.canApply()
                                             ? tr("Waiting for the preview")
                                             : tr("Review the preview, give a reason and apply"));
    gate(m_apply, m_connected && !m_applying && m_draft.canApply(), m_access,
         RoleAction::ChangeRollout);
    gate(m_ramp, m_connected && !m_applying && m_draft.admitsUsers()
                     && m_draft.flag().basisPoints < 10'000,
         m_access, RoleAction::ManagePlans);
    m_discard->setEnabled(staged && !m_applying);
    QFont font = m_spin->font();
    font.setBold(staged);
    m_spin->setFont(font);
    m_spin->setStyleSheet(staged ? QStringLiteral("QDoubleSpinBox { background: #fff0b3; }")
                                 : QString());
}

} // namespace mc::widgets
