#pragma once

// Watches the audit log for changes other operators make (another console, migctl) and
// announces them: every `intervalMs` it asks for the entries newer than the last one it saw.
// It starts from the newest entry at connect time, so history is never announced.
//
// Entries written by this console's own actions are announced too. The audit log records the
// database user and the OS user, and two consoles run by the same person under the same role
// write identical rows, so they cannot be told apart reliably; a status-bar line confirming
// one's own change is harmless, while a filter that guessed wrong would hide another operator's.
//
// The main window shows `notice` in its status bar; the Controls view listens to `newEntries`
// to refresh at once when a queue or rollout entry arrives.

#include "merge_store.h"

#include <QObject>
#include <QTimer>

#include <optional>

namespace mc {

class AuditService;

class AuditWatcher : public QObject
{
    Q_OBJECT

public:
    static constexpr int kDefaultIntervalMs = 2000;

    // Watches the service's database while it is open.
    explicit AuditWatcher(AuditService *service, QObject *parent = nullptr);

    void setIntervalMs(int ms);
    int intervalMs() const { return m_timer.interval(); }

    // Whether the starting point is known: from here on every new entry is announced.
    bool isWatching() const { return m_lastSeenId.has_value(); }
    std::optional<qint64> lastSeenId() const { return m_lastSeenId; }

    // Asks for new entries now instead of at the next tick.
    void pollNow();

signals:
    void watchingStarted(qint64 lastSeenId);
    void newEntries(const QList<mc::AuditEntry> &entries); // oldest first
    void notice(const QString &text);                      // one line for the status bar
    void pollFailed(const QString &message);

private:
    void poll();
    void findStart();
    void takeEntries(const Result<QList<AuditEntry>> &result);
    void setConnected(bool connected);

    AuditService *m_service;
    QTimer m_timer;
    std::optional<qint64> m_lastSeenId;
    bool m_inFlight = false;
    bool m_connected = false;
};

} // namespace mc
