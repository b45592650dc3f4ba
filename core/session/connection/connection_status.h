#pragma once

// Where the console's connection to the merge database stands, as the status bar shows it, and
// how long to wait before the next attempt when the server is gone.

#include "domain.h"

#include <QDateTime>

#include <optional>

namespace mc {

struct ConnectionStatus
{
    enum class State {
        Closed,     // no database chosen
        Connecting, // the first attempt, or an attempt after a retry wait, is under way
        Connected,
        Retrying,   // the server could not be reached; the next attempt is in retryInSeconds
        Failed,     // will not work by retrying (a bad URL, a refused password): change the URL
    };

    State state = State::Closed;
    QString url;  // redacted: never the password
    ServerInfo server;
    std::optional<qint64> roundTripMs; // of the latest overview refresh
    std::optional<QDateTime> lastRefresh;
    int retryInSeconds = 0;
    int failedAttempts = 0; // attempts since the connection was last good
    QString error;          // why it is Retrying/Failed; for Connected, the latest request error

    bool isConnected() const { return state == State::Connected; }
};

QString stateName(ConnectionStatus::State state); // "connected", "retrying", …

// 1, 2, 4, 8, 15, 30, 30, … seconds: quick to notice a restart, gentle on a server that is down.
class RetryBackoff
{
public:
    int nextDelaySeconds(); // the delay before the next attempt; grows with each call
    void reset() { m_attempt = 0; }
    int attempts() const { return m_attempt; }

private:
    int m_attempt = 0;
};

} // namespace mc

Q_DECLARE_METATYPE(mc::ConnectionStatus)
