// SqlMergeStore: the support workflow beside retry: finding a user by target id, previewing a
// rollout change, and marking failed records ignored or resolved (and undoing that).

#include "rollout.h"
#include "sql_merge_store_run.h"
#include "sql_params.h"


namespace mc {

QString resolutionName(Resolution resolution)
{
    switch (resolution) {
    case Resolution::Open:
        return {};
    case Resolution::Ignored:
        return QStringLiteral("ignored");
    case Resolution::Resolved:
        return QStringLiteral("resolved");
    }
    return {};
}

Result<std::optional<UserKey>> SqlMergeStore::findUserByTarget(qint64 targetUserId)
{
    return run<std::optional<UserKey>>(Need::CurrentSchema, [&](sql::Connection &c) {
        const sql::Rows rows = c.query(
            QStringLiteral("SELECT source_portal, source_user_id FROM user_migrations WHERE "
                           "target_user_id = $1"),
            {targetUserId});
        if (rows.empty())
            return std::optional<UserKey>();
        return std::optional<UserKey>(UserKey{rows.text(0, 0), rows.int64(0, 1)});
    });
}

Result<RolloutPreview> SqlMergeStore::previewRollout(const QString &flag, const QString &portal,
                                                     int basisPoints)
{
    if (basisPoints < 0 || basisPoints > kRolloutBuckets)
        return StoreError::make(StoreError::Kind::InvalidInput,
                                QStringLiteral("A rollout percentage lies between 0 and 100."));
    if (flag != kAdmissionFlag)
        return StoreError::make(StoreError::Kind::InvalidInput,
                                QStringLiteral("Only the '%1' flag admits users; '%2' has no "
                                               "users to preview.")
                                    .arg(kAdmissionFlag, flag));
    return run<RolloutPreview>(Need::CurrentSchema, [&](sql::Connection &c) {
        RolloutPreview preview;
        preview.flag = flag;
        preview.portal = portal;
        preview.newBasisPoints = basisPoints;
        // One snapshot for all counts on PostgreSQL (REPEATABLE READ is InnoDB's default).
        return sql::inTransaction(c, [&] {
            const RolloutFlag current = readRollout(c, flag, portal, false);
            preview.currentBasisPoints = current.basisPoints;
            preview.version = current.version;

            const int low = std::min(current.basisPoints, basisPoints);
            const int high = std::max(current.basisPoints, basisPoints);
            // Both counts read the rollout index alone: (portal, status, bucket).
            const QString inBuckets = QStringLiteral(
                "SELECT COUNT(*) FROM user_migrations WHERE source_portal = $1 AND status IN "
                "(%1) AND rollout_bucket >= $2 AND rollout_bucket < $3");
            if (!preview.lowers())
                preview.newlyAdmitted =
                    c.query(inBuckets.arg(QStringLiteral("'nil'")), {portal, low, high})
                        .int64(0, 0);
            else
                preview.staysAdmittedAboveNew =
                    c.query(inBuckets.arg(QStringLiteral(
                                "'pending', 'in_progress', 'completed', 'failed'")),
                            {portal, low, high})
                        .int64(0, 0);

            const sql::Rows counts = c.query(
                QStringLiteral("SELECT status, SUM(users) FROM user_status_counts WHERE "
                               "source_portal = $1 GROUP BY status"),
                {portal});
            for (int r = 0; r < counts.size(); ++r) {
                const QString status = counts.text(r, 0);
                if (status != QLatin1String("nil"))
                    preview.admittedNow += counts.int64(r, 1);
                if (status == QLatin1String("in_progress"))
                    preview.inProgressNow = counts.int64(r, 1);
            }

            const sql::Rows now = c.query(QStringLiteral("SELECT {ms:CURRENT_TIMESTAMP(3)}"));
            const EpochMs hourAgo = now.int64(0, 0) - 3'600'000;
            const sql::Rows finished = c.query(
                QStringLiteral("SELECT status, COUNT(*) FROM user_migrations WHERE "
                               "finished_at >= {ts:$1} AND source_portal = $2 AND "
                               "status IN ('completed', 'failed') GROUP BY status"),
                {hourAgo, portal});
            for (int r = 0; r < finished.size(); ++r) {
                preview.finishedLastHour += finished.int64(r, 1);
                if (finished.text(r, 0) == QLatin1String("failed"))
                    preview.failedLastHour += finished.int64(r, 1);
            }
            return preview;
        });
    });
}

Result<ResolutionReport> SqlMergeStore::setResolution(const ResolutionChange &change)
{
    if (change.failureIds.empty())
        return StoreError::make(StoreError::Kind::InvalidInput,
                                QStringLiteral("No failed records were chosen."));
    if (change.failureIds.size() > 10'000)
        return StoreError::make(StoreError::Kind::InvalidInput,
                                QStringLiteral("Mark at most 10 000 failed records at once."));
    return run<ResolutionReport>(Need::CurrentSchema, [&](sql::Connection &c) {
        requireReason(change.reason);
        std::vector<qint64> ids = change.failureIds;
        std::sort(ids.begin(), ids.end());
        ids.erase(std::unique(ids.begin(), ids.end()), ids.end());

        // The schema's routine mc_set_resolution (004_roles.sql) locks the records, changes
        // those that change (a record its user's retry resolved stays retried), and writes the
        // audit entry, with the owner's rights: support marks records without UPDATE on them.
        QStringList idList;
        for (qint64 id : ids)
            idList << QString::number(id);
        const QString onlyFrom = change.to == Resolution::Open && change.onlyFrom
            ? resolutionName(*change.onlyFrom)
            : QString();
        const QVariantList params{idList.join(u','), resolutionName(change.to), onlyFrom,
                                  change.reason, change.by.osUser};
        return sql::inTransaction(c, [&] {
            ResolutionReport report;
            if (c.backend() == sql::Backend::PostgreSQL) {
                const sql::Rows rows = c.query(
                    QStringLiteral("SELECT * FROM mc_set_resolution(string_to_array($1, ',')"
                                   "::bigint[], $2, $3, $4, $5) ORDER BY 1"),
                    params);
                for (int r = 0; r < rows.size(); ++r)
                    report.changed.push_back(rows.int64(r, 0));
            } else {
                c.exec(QStringLiteral("CALL mc_set_resolution($1, $2, $3, $4, $5, "
                                      "@mc_resolution_changed)"),
                       params);
                const sql::Rows rows = c.query(QStringLiteral("SELECT @mc_resolution_changed"));
                if (!rows.empty() && !rows.isNull(0, 0))
                    for (const QString &id : rows.text(0, 0).split(u','))
                        report.changed.push_back(id.toLongLong());
            }
            report.unchanged = qint64(ids.size() - report.changed.size());
            if (report.changed.empty())
                throw StoreError::make(StoreError::Kind::NothingToChange,
                                       change.to == Resolution::Open
                                           ? QStringLiteral("None of these failed records is "
                                                            "marked; nothing to reopen.")
                                           : QStringLiteral("None of these failed records is "
                                                            "open; nothing to mark."));
            return report;
        });
    });
}

} // namespace mc
