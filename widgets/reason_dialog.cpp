#include "reason_dialog.h"

#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QVBoxLayout>

namespace mc::widgets {

ReasonDialog::ReasonDialog(const QString &title, const QString &question,
                           const QString &confirmText, QWidget *parent)
    : QDialog(parent), m_question(new QLabel(question, this)), m_reason(new QLineEdit(this))
{
    setObjectName(QStringLiteral("reasonDialog"));
    setWindowTitle(title);
    m_question->setObjectName(QStringLiteral("question"));
    m_question->setTextFormat(Qt::PlainText);
    m_question->setWordWrap(true);
    m_reason->setObjectName(QStringLiteral("reason"));
    m_reason->setPlaceholderText(tr("Why? (required; goes into the audit log)"));
    m_reason->setMinimumWidth(380);

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Cancel, this);
    m_confirm = buttons->addButton(confirmText, QDialogButtonBox::AcceptRole);
    m_confirm->setObjectName(QStringLiteral("confirm"));
    m_confirm->setEnabled(false);
    m_confirm->setDefault(true);
    connect(m_reason, &QLineEdit::textChanged, this,
            [this] { m_confirm->setEnabled(!reason().trimmed().isEmpty()); });
    connect(buttons, &QDialogButtonBox::accepted, this, [this] {
        if (!reason().trimmed().isEmpty())
            accept();
    });
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto *form = new QFormLayout;
    form->addRow(tr("Reason:"), m_reason);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_question);
    layout->addSpacing(6);
    layout->addLayout(form);
    layout->addWidget(buttons);
}

QString ReasonDialog::question() const
{
    return m_question->text();
}

QString ReasonDialog::reason() const
{
    return m_reason->text();
}

} // namespace mc::widgets
