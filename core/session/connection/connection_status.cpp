#include "connection_status.h"

#include <array>

namespace mc {

QString stateName(ConnectionStatus::State state)
{
    switch (state) {
    case ConnectionStatus::State::Closed:
        return QStringLiteral("closed");
    case ConnectionStatus::State::Connecting:
        return QStringLiteral("connecting");
    case ConnectionStatus::State::Connected:
        return QStringLiteral("connected");
    case ConnectionStatus::State::Retrying:
        return QStringLiteral("retrying");
    case ConnectionStatus::State::Failed:
        return QStringLiteral("failed");
    }
    return {};
}

int RetryBackoff::nextDelaySeconds()
{
    static constexpr std::array kDelays{1, 2, 4, 8, 15, 30};
    const int index = std::min<int>(m_attempt, int(kDelays.size()) - 1);
    ++m_attempt;
    return kDelays[size_t(index)];
}

} // namespace mc
