#pragma once

// Asks the operator to confirm a change and say why. The question states exactly what will change
// (how many users or records); the change cannot be confirmed without a reason, which goes into
// the audit log with it.

#include <QDialog>

class QLabel;
class QLineEdit;
class QPushButton;

namespace mc::widgets {

class ReasonDialog : public QDialog
{
    Q_OBJECT

public:
    ReasonDialog(const QString &title, const QString &question, const QString &confirmText,
                 QWidget *parent = nullptr);

    QString question() const;
    QString reason() const; // exactly as typed; confirming needs more than white space
    QLineEdit *reasonEdit() const { return m_reason; }
    QPushButton *confirmButton() const { return m_confirm; }

private:
    QLabel *m_question;
    QLineEdit *m_reason;
    QPushButton *m_confirm;
};

} // namespace mc::widgets
