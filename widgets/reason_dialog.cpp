#include "reason_dialog.h"

#include <QDialogButtonBox>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QVBoxLayout>

namespace mc::widgets {

ReasonDialog::ReasonDialog(const QString &title, const QString &question,
                           const QString &actionText, QWidget *parent)
    : QDialog(parent), m_question(new QLabel(question, this)), m_reason(new QPlainTextEdit(this))
{
    setObjectName(QStringLiteral("reasonDialog"));
    setWindowTitle(title);
    m_question->setWordWrap(true);
    m_question->setTextFormat(Qt::PlainText);
    m_reason->setObjectName(QStringLiteral("reasonEdit"));
    m_reason->setPlaceholderText(tr("Why? (required; recorded in the audit log)"));
    m_reason->setTabChangesFocus(true);
    m_reason->setFixedHeight(m_reason->fontMetrics().height() * 4 + 12);

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Cancel, this);
    m_confirm = buttons->addButton(actionText, QDialogButtonBox::AcceptRole);
    m_confirm->setObjectName(QStringLiteral("confirmButton"));
    m_confirm->setEnabled(false);
    m_confirm->setDefault(true);
    connect(buttons, &QDialogButtonBox::accepted, this, &ReasonDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &ReasonDialog::reject);
    connect(m_reason, &QPlainTextEdit::textChanged, this,
            [this] { m_confirm->setEnabled(!reason().isEmpty()); });

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_question);
    layout->addWidget(new QLabel(tr("Reason:"), this));
    layout->addWidget(m_reason);
    layout->addWidget(buttons);
    setMinimumWidth(460);
    m_reason->setFocus();
}

QString ReasonDialog::reason() const
{
    return m_reason->toPlainText().trimmed();
}

void ReasonDialog::accept()
{
    if (reason().isEmpty())
        return;
    QDialog::accept();
}

} // namespace mc::widgets
