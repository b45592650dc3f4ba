#pragma once

// Confirms an operator action that changes the live migration: what will change (before →
// after), warnings, an optional extra confirmation (a box to tick, naming the count), and the
// reason, which is required and goes into the audit log. Apply stays disabled until a reason
// is typed and the extra confirmation, if any, is ticked. On a production database the operator
// also types the environment's name (guardProduction).
//
// Opened with open() (window-modal, never a nested event loop); `accepted` carries on.

#include "environment.h"

#include <QDialog>

class QCheckBox;
class QLabel;
class QLineEdit;
class QPushButton;

namespace mc::widgets {

class ReasonDialog : public QDialog
{
    Q_OBJECT

public:
    explicit ReasonDialog(QWidget *parent = nullptr);
    // A plain question (how many users or records change), and the confirming button's text.
    ReasonDialog(const QString &title, const QString &question, const QString &confirmText,
                 QWidget *parent = nullptr);

    void setHeading(const QString &text);
    void setChanges(const QStringList &lines); // plain text, one line each
    void setDetail(const QString &text);      // plain text under the changes
    void setWarning(const QString &text);     // shown in amber; empty hides it
    void setConfirmation(const QString &text); // a box that must be ticked; empty: none
    void setReason(const QString &reason);
    void setApplyText(const QString &text);
    // When the database says it is production: Apply also needs its name typed.
    void guardProduction(const Environment &environment);

    QString reason() const; // as typed, without NUL characters (no database column holds one)
    QString question() const; // the heading
    QLineEdit *reasonEdit() const { return m_reason; }
    QCheckBox *confirmationBox() const { return m_confirm; }
    QLineEdit *typedNameEdit() const { return m_typedName; }
    QPushButton *applyButton() const { return m_apply; }
    QPushButton *confirmButton() const { return m_apply; }
    QString warning() const;

    void accept() override; // refuses a blank reason or a missing confirmation, even asked directly
    QString changesText() const;

private:
    void updateApply();

    QLabel *m_heading;
    QLabel *m_changes;
    QLabel *m_detail;
    QLabel *m_warning;
    QCheckBox *m_confirm;
    QLineEdit *m_reason;
    QLabel *m_typedNameLabel;
    QLineEdit *m_typedName;
    QString m_requiredName; // empty: no typed name needed
    QPushButton *m_apply;
};

} // namespace mc::widgets
