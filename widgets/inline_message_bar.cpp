#include "inline_message_bar.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QStyle>
#include <QToolButton>

namespace mc::widgets {

InlineMessageBar::InlineMessageBar(QWidget *parent)
    : QFrame(parent), m_text(new QLabel(this)), m_close(new QToolButton(this))
{
    setObjectName(QStringLiteral("messageBar"));
    m_text->setObjectName(QStringLiteral("messageText"));
    m_text->setTextFormat(Qt::PlainText);
    m_text->setWordWrap(true);
    m_text->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_close->setObjectName(QStringLiteral("messageClose"));
    m_close->setAutoRaise(true);
    m_close->setText(QStringLiteral("✕"));
    m_close->setToolTip(tr("Dismiss"));
    connect(m_close, &QToolButton::clicked, this, &InlineMessageBar::dismiss);

    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(10, 4, 4, 4);
    layout->setSpacing(6);
    layout->addWidget(m_text, 1);
    layout->addWidget(m_close, 0, Qt::AlignTop);
    hide();
}

void InlineMessageBar::showMessage(Level level, const QString &text)
{
    m_level = level;
    m_text->setText(text);
    const char *colors = level == Level::Error     ? "background: #fbe3e1; border: 1px solid #d9736b;"
                         : level == Level::Warning ? "background: #fdf3d7; border: 1px solid #d9b44a;"
                                                   : "background: #e4effa; border: 1px solid #7aa7d6;";
    setStyleSheet(QStringLiteral("mc--widgets--InlineMessageBar { %1 border-radius: 3px; } "
                                 "QLabel { color: #202020; }")
                      .arg(QLatin1String(colors)));
    show();
}

void InlineMessageBar::dismiss()
{
    m_text->clear();
    hide();
}

QString InlineMessageBar::text() const
{
    return m_text->text();
}

} // namespace mc::widgets
