#include "audit_watcher.h"

#include "audit_notice.h"
#include "audit_service.h"
#include "store_runner.h"

#include <algorithm>

namespace mc {

namespace {

constexpr int kPageSize = 500;
constexpr int kMostPerPoll = 10'000; // a flood beyond this is summarised, not listed

} // namespace

AuditWatcher::AuditWatcher(AuditService *service, QObject *parent)
    : QObject(parent), m_service(service), m_timer(this)
{
    m_timer.setInterval(kDefaultIntervalMs);
    connect(&m_timer, &QTimer::timeout, this, &AuditWatcher::poll);
    connect(service, &FeatureService::connectionChanged, this, &AuditWatcher::setConnected);
    if (service->isConnected())
        setConnected(true);
}

void AuditWatcher::setConnected(bool connected)
{
    m_timer.stop();
    m_lastSeenId.reset();
    m_inFlight = false;
    m_connected = connected;
    if (!m_connected)
        return;
    m_timer.start();
    poll();
}

void AuditWatcher::setIntervalMs(int ms)
{
    m_timer.setInterval(std::max(100, ms));
}

void AuditWatcher::pollNow()
{
    poll();
}

void AuditWatcher::poll()
{
    if (!m_connected || m_inFlight)
        return;
    if (!m_lastSeenId) {
        findStart();
        return;
    }
    m_inFlight = true;
    const qint64 after = *m_lastSeenId;
    m_service->runner()->run<QList<AuditEntry>>(
        this,
        [after](MergeStore &store) -> Result<QList<AuditEntry>> {
            // Pages come newest first; follow them down to `after`.
            QList<AuditEntry> entries;
            AuditQuery query;
            query.afterId = after;
            query.limit = kPageSize;
            for (;;) {
                Result<AuditPage> page = store.audit(query);
                if (!page)
                    return page.error();
                entries.append(page->entries);
                if (!page->nextBeforeId || entries.size() >= kMostPerPoll)
                    break;
                query.beforeId = page->nextBeforeId;
            }
            std::reverse(entries.begin(), entries.end());
            return entries;
        },
        [this](const Result<QList<AuditEntry>> &result) { takeEntries(result); });
}

void AuditWatcher::findStart()
{
    m_inFlight = true;
    m_service->runner()->run<qint64>(
        this,
        [](MergeStore &store) -> Result<qint64> {
            AuditQuery query;
            query.limit = 1;
            Result<AuditPage> page = store.audit(query);
            if (!page)
                return page.error();
            return page->entries.isEmpty() ? qint64(0) : page->entries.first().id;
        },
        [this](const Result<qint64> &result) {
            m_inFlight = false;
            if (!result) {
                emit pollFailed(result.error().message);
                return;
            }
            m_lastSeenId = *result;
            emit watchingStarted(*result);
        });
}

void AuditWatcher::takeEntries(const Result<QList<AuditEntry>> &result)
{
    m_inFlight = false;
    if (!result) {
        emit pollFailed(result.error().message);
        return;
    }
    const QList<AuditEntry> &entries = *result;
    if (entries.isEmpty())
        return;
    m_lastSeenId = std::max(*m_lastSeenId, entries.last().id);
    emit newEntries(entries);
    emit notice(auditNotice(entries));
}

} // namespace mc
