#include "rollout_draft.h"

#include "number_text.h"
#include "rollout.h"

#include <QCoreApplication>

#include <algorithm>

namespace mc {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("mc::RolloutDraft", text);
}

QString users(qint64 count)
{
    return count == 1 ? tr("1 user") : tr("%1 users").arg(countText(count));
}

} // namespace

RolloutDraft::RolloutDraft(const RolloutFlag &flag)
    : m_flag(flag), m_intended(flag.basisPoints), m_seenVersion(flag.version)
{
}

bool RolloutDraft::setFlag(const RolloutFlag &flag)
{
    const bool moved = flag.version != m_flag.version;
    const bool staged = isStaged();
    m_flag = flag;
    if (!staged) {
        m_intended = flag.basisPoints;
        m_seenVersion = flag.version;
    }
    return moved;
}

void RolloutDraft::setIntended(int basisPoints)
{
    m_intended = std::clamp(basisPoints, 0, kRolloutBuckets);
    m_seenVersion = m_flag.version;
}

bool RolloutDraft::admitsUsers() const
{
    return m_flag.flag == kAdmissionFlag;
}

bool RolloutDraft::hasCurrentPreview() const
{
    return m_preview && m_preview->newBasisPoints == m_intended
           && m_preview->version == m_flag.version
           && m_preview->currentBasisPoints == m_flag.basisPoints;
}

QString RolloutDraft::previewText() const
{
    if (!isStaged())
        return {};
    if (!admitsUsers())
        return tr("The '%1' flag admits no users by itself: there is nothing to count.")
            .arg(m_flag.flag);
    if (!hasCurrentPreview())
        return {};
    const RolloutPreview &p = *m_preview;
    QString text = p.lowers()
                       ? tr("%1 → %2 admits no one new")
                             .arg(percentText(p.currentBasisPoints), percentText(p.newBasisPoints))
                       : tr("%1 → %2 newly admits %3 (by the same stable hash the workers use)")
                             .arg(percentText(p.currentBasisPoints), percentText(p.newBasisPoints),
                                  users(p.newlyAdmitted));
    text += tr("; %1 mid-migration now").arg(p.inProgressNow == 1
                                                  ? tr("1 user is")
                                                  : tr("%1 users are").arg(countText(p.inProgressNow)));
    if (const std::optional<double> rate = p.failureRateLastHour())
        text += tr("; failure rate last hour %1 (of %2 finished).")
                    .arg(rateText(*rate), countText(p.finishedLastHour));
    else
        text += tr("; no user of %1 finished in the last hour.").arg(p.portal);
    return text;
}

QString RolloutDraft::lowerWarning() const
{
    if (!hasCurrentPreview() || !m_preview->lowers())
        return {};
    const qint64 stay = m_preview->staysAdmittedAboveNew;
    return tr("%1 already admitted above %2 stay admitted: lowering a percentage never takes a "
              "user out of the migration, it only admits no one new.")
        .arg(stay == 1 ? tr("1 user") : tr("The %1 users").arg(countText(stay)),
             percentText(m_preview->newBasisPoints));
}

bool RolloutDraft::isBigJump() const
{
    return m_intended - m_flag.basisPoints > kBigJumpBasisPoints
           || (m_intended == kRolloutBuckets && m_flag.basisPoints < kRolloutBuckets);
}

QString RolloutDraft::bigJumpConfirmation() const
{
    if (admitsUsers() && hasCurrentPreview())
        return tr("Yes, admit %1 of %2 now (%3 → %4)")
            .arg(users(m_preview->newlyAdmitted), m_flag.portal, percentText(m_flag.basisPoints),
                 percentText(m_intended));
    return tr("Yes, raise %1 on %2 from %3 to %4 at once")
        .arg(m_flag.flag, m_flag.portal, percentText(m_flag.basisPoints), percentText(m_intended));
}

QString RolloutDraft::summary() const
{
    return tr("%1 on %2: %3 → %4")
        .arg(m_flag.flag, m_flag.portal, percentText(m_flag.basisPoints), percentText(m_intended));
}

RolloutChange RolloutDraft::change(const QString &reason, const Operator &by) const
{
    RolloutChange change;
    change.flag = m_flag.flag;
    change.portal = m_flag.portal;
    change.basisPoints = m_intended;
    change.expectVersion = hasCurrentPreview() ? m_preview->version : m_flag.version;
    change.reason = reason;
    change.by = by;
    return change;
}

} // namespace mc
