#include "message_banner.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QToolButton>

namespace mc::widgets {

MessageBanner::MessageBanner(QWidget *parent)
    : QFrame(parent), m_text(new QLabel(this)), m_close(new QToolButton(this))
{
    m_text->setObjectName(QStringLiteral("bannerText"));
    m_text->setTextFormat(Qt::PlainText);
    m_text->setWordWrap(true);
    m_text->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_close->setText(QStringLiteral("×"));
    m_close->setAutoRaise(true);
    m_close->setToolTip(tr("Dismiss"));
    connect(m_close, &QToolButton::clicked, this, &MessageBanner::clearMessage);
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(8, 4, 4, 4);
    layout->addWidget(m_text, 1);
    layout->addWidget(m_close, 0, Qt::AlignTop);
    hide();
}

void MessageBanner::showMessage(Kind kind, const QString &text)
{
    m_kind = kind;
    m_text->setText(text);
    struct Colours
    {
        const char *background;
        const char *text;
        const char *border;
    };
    Colours colours{"#e6f4ea", "#1e4620", "#9fd3ae"};
    if (kind == Kind::Warning)
        colours = {"#fff4d6", "#5c4000", "#e0b84a"};
    else if (kind == Kind::Error)
        colours = {"#fde8e8", "#7a1c1c", "#e59a9a"};
    setStyleSheet(QStringLiteral("mc--widgets--MessageBanner { background: %1; border: 1px solid "
                                 "%3; border-radius: 3px; } QLabel { color: %2; }")
                      .arg(QLatin1String(colours.background), QLatin1String(colours.text),
                           QLatin1String(colours.border)));
    show();
    emit messageChanged();
}

void MessageBanner::clearMessage()
{
    m_text->clear();
    hide();
    emit messageChanged();
}

QString MessageBanner::text() const
{
    return isHidden() ? QString() : m_text->text();
}

} // namespace mc::widgets
