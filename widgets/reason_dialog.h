#pragma once

// Asks for the reason of an operator action before it is carried out. The reason is required:
// the confirming button stays disabled while it is blank. The reason goes into the audit log.

#include <QDialog>

class QLabel;
class QPlainTextEdit;
class QPushButton;

namespace mc::widgets {

class ReasonDialog : public QDialog
{
    Q_OBJECT

public:
    // `question` says exactly what will happen; `actionText` labels the confirming button.
    ReasonDialog(const QString &title, const QString &question, const QString &actionText,
                 QWidget *parent = nullptr);

    QString reason() const; // as typed, without leading and trailing white space
    QPlainTextEdit *reasonEdit() const { return m_reason; }
    QPushButton *confirmButton() const { return m_confirm; }

    void accept() override; // refuses a blank reason

private:
    QLabel *m_question;
    QPlainTextEdit *m_reason;
    QPushButton *m_confirm;
};

} // namespace mc::widgets
