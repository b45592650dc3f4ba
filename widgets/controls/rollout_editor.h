#pragma once

// One rollout flag of one portal in the Controls view: the percentage now, a spin box with two
// decimals and quick steps (1, 5, 10, 25, 50, 100 %), and a preview of what the new percentage
// would do, asked for automatically (debounced) whenever the value or the row changes. Apply
// confirms with the preview and a reason; a big jump asks for an extra confirmation with the
// count. A conflict with another operator's change is shown, refreshed and asked again.

#include "role_access.h"
#include "rollout_draft.h"

#include <QFrame>
#include <QPointer>

class QDoubleSpinBox;
class QLabel;
class QPushButton;
class QTimer;

namespace mc {
class ControlsService;
}

namespace mc::widgets {

class MessageBanner;
class ReasonDialog;

class RolloutEditor : public QFrame
{
    Q_OBJECT

public:
    static constexpr int kPreviewDelayMs = 300;
    static constexpr int kQuickSteps[] = {1, 5, 10, 25, 50, 100};

    RolloutEditor(ControlsService *service, const RolloutFlag &flag, QWidget *parent = nullptr);

    void setOperator(const Operator &by) { m_by = by; }
    // The row from a fresh overview. A staged percentage stays; a pending re-ask happens here.
    void showFlag(const RolloutFlag &flag);
    void setConnected(bool connected);
    // The percentage, its steps and Apply need a role that may change the rollout.
    void setAccess(const RoleAccess &access);

    const RolloutDraft &draft() const { return m_draft; }
    QDoubleSpinBox *spinBox() const { return m_spin; }
    QPushButton *stepButton(int percent) const;
    QPushButton *applyButton() const { return m_apply; }
    QPushButton *rampButton() const { return m_ramp; }
    QPushButton *discardButton() const { return m_discard; }
    QLabel *previewLabel() const { return m_preview; }
    QLabel *warningLabel() const { return m_warning; }
    MessageBanner *banner() const { return m_banner; }
    ReasonDialog *openDialog() const;
    bool isPreviewing() const { return m_previewsInFlight > 0; }

signals:
    void refreshRequested();
    void changed(const QString &notice); // our own change went through
    // Raise to the staged percentage (or 100 %) as a guarded plan, step by step.
    void rampRequested(const QString &flag, const QString &portal, int fromBasisPoints,
                       int toBasisPoints);

private:
    void valueEdited(double percent);
    void requestPreview();
    void askApply(const QString &warning, const QString &reason);
    void send(const RolloutChange &change);
    void showDraft();

    ControlsService *m_service;
    Operator m_by;
    RolloutDraft m_draft;
    QLabel *m_title;
    QLabel *m_current;
    QDoubleSpinBox *m_spin;
    QList<QPushButton *> m_steps;
    QPushButton *m_apply;
    QPushButton *m_ramp;
    QPushButton *m_discard;
    QLabel *m_preview;
    QLabel *m_warning;
    QLabel *m_changedUnder;
    MessageBanner *m_banner;
    QTimer *m_previewDelay;
    QPointer<ReasonDialog> m_dialog;
    quint64 m_previewGeneration = 0;
    int m_previewsInFlight = 0;
    bool m_connected = false;
    RoleAccess m_access;
    bool m_applying = false;
    std::optional<std::pair<QString, QString>> m_reask; // conflict message, reason
};

} // namespace mc::widgets
