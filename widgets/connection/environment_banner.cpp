#include "environment_banner.h"

namespace mc::widgets {

EnvironmentBanner::EnvironmentBanner(QWidget *parent) : QLabel(parent)
{
    setObjectName(QStringLiteral("environmentBanner"));
    setTextFormat(Qt::PlainText);
    setAlignment(Qt::AlignCenter);
    hide();
}

void EnvironmentBanner::showStatus(const ConnectionStatus &status, bool readOnly)
{
    if (!status.isConnected()) {
        hide();
        return;
    }
    const Environment &environment = status.server.environment;
    const QString session = readOnly ? tr(" · read-only session") : QString();
    QString colour = QStringLiteral("#757575");
    if (environment.known) {
        colour = environmentColour(environment.environmentClass);
        setText(tr("%1 · %2%3")
                    .arg(environmentClassName(environment.environmentClass).toUpper(),
                         environment.name, session));
    } else {
        setText(tr("Environment not set (migctl environment set NAME --class CLASS)%1")
                    .arg(session));
    }
    setStyleSheet(QStringLiteral("QLabel { background: %1; color: white; font-weight: bold; "
                                 "padding: 4px; }")
                      .arg(colour));
    show();
}

} // namespace mc::widgets
