#include "connection_indicator.h"

#include <QHBoxLayout>
#include <QLabel>

namespace mc::widgets {

namespace {

QString backendTitle(const QString &backend)
{
    if (backend == QLatin1String("postgresql"))
        return QStringLiteral("PostgreSQL");
    if (backend == QLatin1String("mariadb"))
        return QStringLiteral("MariaDB");
    return backend;
}

QString firstLine(const QString &text)
{
    const QString line = text.section(QLatin1Char('\n'), 0, 0).trimmed();
    return line.size() > 120 ? line.left(119) + QChar(0x2026) : line;
}

} // namespace

ConnectionIndicator::ConnectionIndicator(QWidget *parent)
    : QWidget(parent), m_dot(new QLabel(this)), m_text(new QLabel(this))
{
    setObjectName(QStringLiteral("connectionIndicator"));
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(4, 0, 4, 0);
    layout->setSpacing(6);
    layout->addWidget(m_dot);
    layout->addWidget(m_text, 1);
    m_text->setTextFormat(Qt::PlainText);
    m_text->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_dot->setTextFormat(Qt::RichText);
    showStatus({});
}

QColor ConnectionIndicator::stateColor(ConnectionStatus::State state)
{
    switch (state) {
    case ConnectionStatus::State::Connected:
        return QColor(0x2e9d4a);
    case ConnectionStatus::State::Connecting:
        return QColor(0xd9a400);
    case ConnectionStatus::State::Retrying:
    case ConnectionStatus::State::Failed:
        return QColor(0xd03b3b);
    case ConnectionStatus::State::Closed:
        break;
    }
    return QColor(0x999999);
}

QString ConnectionIndicator::describe(const ConnectionStatus &s)
{
    switch (s.state) {
    case ConnectionStatus::State::Closed:
        return tr("Not connected — File › Connect… (Ctrl+O)");
    case ConnectionStatus::State::Connecting:
        return s.failedAttempts > 0 ? tr("Disconnected — reconnecting to %1…").arg(s.url)
                                    : tr("Connecting to %1…").arg(s.url);
    case ConnectionStatus::State::Retrying:
        return tr("Disconnected — retrying in %1 s · %2").arg(s.retryInSeconds).arg(firstLine(s.error));
    case ConnectionStatus::State::Failed:
        return tr("Cannot connect: %1").arg(firstLine(s.error));
    case ConnectionStatus::State::Connected:
        break;
    }
    QStringList parts;
    parts << tr("%1 %2").arg(backendTitle(s.server.backend), s.server.serverVersion.section(
                                                                 QLatin1Char(' '), 0, 0));
    parts << tr("%1 as %2").arg(s.server.database, s.server.databaseUser);
    parts << (s.server.tls.enabled ? tr("TLS %1").arg(tlsDescription(s.server.tls))
                                   : tlsDescription(s.server.tls));
    if (s.roundTripMs)
        parts << tr("%1 ms").arg(*s.roundTripMs);
    parts << (s.lastRefresh ? tr("refreshed %1").arg(s.lastRefresh->toString(QStringLiteral("HH:mm:ss")))
                            : tr("waiting for the first refresh"));
    if (!s.error.isEmpty())
        parts << tr("⚠ %1").arg(firstLine(s.error));
    return parts.join(QStringLiteral(" · "));
}

void ConnectionIndicator::showStatus(const ConnectionStatus &status)
{
    m_dot->setText(QStringLiteral("<span style='color:%1'>●</span>")
                       .arg(stateColor(status.state).name()));
    m_text->setText(describe(status));
    QStringList tip;
    if (!status.url.isEmpty())
        tip << status.url;
    if (status.roundTripMs)
        tip << tr("Round trip of the latest overview refresh: %1 ms").arg(*status.roundTripMs);
    if (!status.error.isEmpty())
        tip << status.error;
    setToolTip(tip.join(QLatin1Char('\n')));
}

QString ConnectionIndicator::text() const
{
    return m_text->text();
}

} // namespace mc::widgets
