#include "user_history.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <algorithm>

namespace mc {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("mc::UserHistory", text);
}

constexpr int kPageSize = 500;

} // namespace

bool auditEntryNamesUser(const AuditEntry &entry, const UserKey &user)
{
    const QJsonDocument after = QJsonDocument::fromJson(entry.after.toUtf8());
    const QJsonArray users = after.object().value(QStringLiteral("users")).toArray();
    const QString key = user.toString();
    return std::any_of(users.begin(), users.end(),
                       [&](const QJsonValue &value) { return value.toString() == key; });
}

Result<UserHistory> readUserHistory(MergeStore &store, const UserKey &user, int scanLimit)
{
    UserHistory history;
    AuditQuery query;
    query.action = QStringLiteral("retry_users");
    while (history.scanned < scanLimit) {
        query.limit = std::min(kPageSize, scanLimit - history.scanned);
        Result<AuditPage> page = store.audit(query);
        if (!page.ok())
            return page.error();
        history.scanned += int(page->entries.size());
        for (const AuditEntry &entry : page->entries)
            if (auditEntryNamesUser(entry, user))
                history.entries.append(entry);
        if (!page->nextBeforeId) {
            history.complete = true;
            return history;
        }
        query.beforeId = page->nextBeforeId;
        history.complete = false;
    }
    return history;
}

QList<UserEvent> userTimeline(const UserMigration &migration, const QList<FailureRow> &failures,
                              const QList<AuditEntry> &retries)
{
    QList<UserEvent> events;
    if (migration.requestedAt)
        events.append({*migration.requestedAt, tr("requested"), {}, {}});
    if (migration.startedAt)
        events.append({*migration.startedAt, tr("started (latest run)"), {}, {}});
    for (const FailureRow &failure : failures)
        events.append({failure.failedAt,
                       tr("record failed: %1").arg(failure.model), {},
                       // One pass: a record id such as "%3" stays as it is.
                       tr("record %1, %2 attempt %3 · %4: %5")
                           .arg(failure.recordId, failure.phase, QString::number(failure.attempt),
                                failure.errorClass, failure.messageExcerpt)});
    for (const AuditEntry &entry : retries)
        events.append({entry.at, tr("retried: failed → pending"),
                       QStringLiteral("%1 (%2)").arg(entry.osUser, entry.databaseUser),
                       entry.reason});
    if (migration.finishedAt)
        events.append({*migration.finishedAt,
                       tr("finished: %1").arg(statusName(migration.status)), {},
                       migration.status == UserStatus::Failed ? migration.lastError : QString()});
    // The last change of the row, when it is not one of the times above.
    if (migration.updatedAt && migration.updatedAt != migration.finishedAt
        && migration.updatedAt != migration.startedAt
        && migration.updatedAt != migration.requestedAt)
        events.append({*migration.updatedAt,
                       tr("last update: %1").arg(statusName(migration.status)), {},
                       migration.phase.isEmpty() ? QString()
                                                 : tr("phase %1").arg(migration.phase)});
    // Equal times keep the order above: a run's last failed record before its end.
    std::stable_sort(events.begin(), events.end(),
                     [](const UserEvent &a, const UserEvent &b) { return a.at < b.at; });
    return events;
}

} // namespace mc
