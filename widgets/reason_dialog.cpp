#include "reason_dialog.h"

#include <QCheckBox>
#include <QDialogButtonBox>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QVBoxLayout>

namespace mc::widgets {

ReasonDialog::ReasonDialog(QWidget *parent)
    : QDialog(parent), m_heading(new QLabel(this)), m_changes(new QLabel(this)),
      m_detail(new QLabel(this)), m_warning(new QLabel(this)), m_confirm(new QCheckBox(this)),
      m_reason(new QLineEdit(this)), m_typedNameLabel(new QLabel(this)),
      m_typedName(new QLineEdit(this))
{
    setWindowModality(Qt::WindowModal);
    setMinimumWidth(520);
    QFont bold = m_heading->font();
    bold.setBold(true);
    m_heading->setFont(bold);
    m_heading->setWordWrap(true);
    for (QLabel *label : {m_heading, m_changes, m_detail, m_warning}) {
        label->setTextFormat(Qt::PlainText);
        label->setWordWrap(true);
        label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    }
    m_changes->setObjectName(QStringLiteral("changesLabel"));
    QFont mono = m_changes->font();
    mono.setStyleHint(QFont::Monospace);
    mono.setFamily(QStringLiteral("monospace"));
    m_changes->setFont(mono);
    m_changes->setContentsMargins(12, 4, 4, 4);
    m_detail->setObjectName(QStringLiteral("detailLabel"));
    m_warning->setObjectName(QStringLiteral("warningLabel"));
    m_warning->setStyleSheet(QStringLiteral(
        "QLabel { background: #fff4d6; color: #6b4b00; border: 1px solid #e0b84a; "
        "border-radius: 3px; padding: 6px; }"));
    m_confirm->setObjectName(QStringLiteral("confirmationBox"));
    m_reason->setObjectName(QStringLiteral("reasonEdit"));
    m_reason->setPlaceholderText(tr("Why? (required; recorded in the audit log)"));
    m_reason->setMaxLength(2000);

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    m_apply = buttons->button(QDialogButtonBox::Ok);
    m_apply->setObjectName(QStringLiteral("applyButton"));
    m_apply->setText(tr("Apply"));
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_reason, &QLineEdit::textChanged, this, &ReasonDialog::updateApply);
    connect(m_confirm, &QCheckBox::toggled, this, &ReasonDialog::updateApply);
    connect(m_typedName, &QLineEdit::textChanged, this, &ReasonDialog::updateApply);
    m_typedName->setObjectName(QStringLiteral("typedNameEdit"));
    m_typedNameLabel->setTextFormat(Qt::PlainText);
    m_typedNameLabel->setWordWrap(true);
    m_typedNameLabel->hide();
    m_typedName->hide();

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_heading);
    layout->addWidget(m_changes);
    layout->addWidget(m_detail);
    layout->addWidget(m_warning);
    layout->addWidget(m_confirm);
    layout->addSpacing(6);
    layout->addWidget(new QLabel(tr("Reason:"), this));
    layout->addWidget(m_reason);
    layout->addWidget(m_typedNameLabel);
    layout->addWidget(m_typedName);
    layout->addWidget(buttons);
    m_changes->hide();
    m_detail->hide();
    m_warning->hide();
    m_confirm->hide();
    updateApply();
}

void ReasonDialog::setHeading(const QString &text)
{
    m_heading->setText(text);
    setWindowTitle(text);
}

void ReasonDialog::setChanges(const QStringList &lines)
{
    m_changes->setText(lines.join(QLatin1Char('\n')));
    m_changes->setVisible(!lines.isEmpty());
}

void ReasonDialog::setDetail(const QString &text)
{
    m_detail->setText(text);
    m_detail->setVisible(!text.isEmpty());
}

void ReasonDialog::setWarning(const QString &text)
{
    m_warning->setText(text);
    m_warning->setVisible(!text.isEmpty());
}

void ReasonDialog::setConfirmation(const QString &text)
{
    m_confirm->setText(text);
    m_confirm->setChecked(false);
    m_confirm->setVisible(!text.isEmpty());
    updateApply();
}

void ReasonDialog::setReason(const QString &reason)
{
    m_reason->setText(reason);
}

void ReasonDialog::setApplyText(const QString &text)
{
    m_apply->setText(text);
}

ReasonDialog::ReasonDialog(const QString &title, const QString &question,
                           const QString &confirmText, QWidget *parent)
    : ReasonDialog(parent)
{
    setWindowTitle(title);
    setHeading(question);
    setApplyText(confirmText);
}

QString ReasonDialog::reason() const
{
    // The audit log keeps the reason exactly as typed; only a pasted NUL, which no text column
    // holds, is dropped. White space alone is no reason (Apply stays disabled).
    QString text = m_reason->text();
    text.remove(QChar(0));
    return text;
}

void ReasonDialog::accept()
{
    if (!m_apply->isEnabled())
        return;
    QDialog::accept();
}

QString ReasonDialog::question() const
{
    return m_heading->text();
}

QString ReasonDialog::warning() const
{
    return m_warning->text();
}

QString ReasonDialog::changesText() const
{
    return m_changes->text();
}

void ReasonDialog::guardProduction(const Environment &environment)
{
    m_requiredName = environment.isProduction() ? environment.name : QString();
    m_typedNameLabel->setText(
        tr("This is the production database %1. Type its name to confirm:").arg(m_requiredName));
    m_typedNameLabel->setStyleSheet(QStringLiteral("color: %1; font-weight: bold")
                                        .arg(environmentColour(EnvironmentClass::Production)));
    m_typedNameLabel->setVisible(!m_requiredName.isEmpty());
    m_typedName->setVisible(!m_requiredName.isEmpty());
    updateApply();
}

void ReasonDialog::updateApply()
{
    const bool confirmed = m_confirm->isHidden() || m_confirm->isChecked();
    const bool named = m_requiredName.isEmpty() || m_typedName->text() == m_requiredName;
    m_apply->setEnabled(!reason().trimmed().isEmpty() && confirmed && named);
}

} // namespace mc::widgets
