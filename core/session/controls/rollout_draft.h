#pragma once

// One rollout flag of one portal as the Controls view edits it: the row in the database, the
// percentage the operator intends, and the preview of what applying it would change.
//
// The intended value follows the database while nothing is staged. Once the operator picks
// another percentage it stays, whatever refreshes bring; a row that moved on underneath it is
// marked until the operator looks at it again (picks a value, or confirms after a conflict).
// Applying uses the version the preview was counted against, so a change by someone else
// between preview and apply is refused by the store, never overwritten.

#include "operations.h"

#include <optional>

namespace mc {

class RolloutDraft
{
public:
    // Raising by more than this (10 points) at once, or to 100 %, asks for an extra confirmation.
    static constexpr int kBigJumpBasisPoints = 1000;

    RolloutDraft() = default;
    explicit RolloutDraft(const RolloutFlag &flag);

    const RolloutFlag &flag() const { return m_flag; }
    // A fresh row from the database. True when it moved on (another version).
    bool setFlag(const RolloutFlag &flag);

    int intended() const { return m_intended; }
    void setIntended(int basisPoints); // clamped to 0 … 10 000
    bool isStaged() const { return m_intended != m_flag.basisPoints; }
    void discard() { setIntended(m_flag.basisPoints); }
    // Whether the row moved on since the operator staged the intended value.
    bool rowChangedUnder() const { return isStaged() && m_flag.version != m_seenVersion; }
    // The operator has seen the current row (after a conflict): no longer marked changed.
    void acknowledgeRow() { m_seenVersion = m_flag.version; }

    // Only the admission flag has users to count; other flags are applied without a preview.
    bool admitsUsers() const;

    void setPreview(const RolloutPreview &preview) { m_preview = preview; }
    void clearPreview() { m_preview.reset(); }
    const std::optional<RolloutPreview> &preview() const { return m_preview; }
    // The preview answers the intended value against the row as it is now.
    bool hasCurrentPreview() const;
    bool needsPreview() const { return isStaged() && admitsUsers() && !hasCurrentPreview(); }
    bool canApply() const { return isStaged() && (!admitsUsers() || hasCurrentPreview()); }

    // What the current preview says, in one paragraph; empty without one.
    QString previewText() const;
    // When lowering: the users already admitted above the new percentage stay admitted.
    QString lowerWarning() const;
    bool lowers() const { return m_intended < m_flag.basisPoints; }
    bool isBigJump() const;
    // The extra confirmation a big jump asks for, with the count: "Yes, admit 1,234 users now".
    QString bigJumpConfirmation() const;
    // "merge on lt: 5.00 % → 30.00 %"
    QString summary() const;

    // The change to send; expectVersion is the preview's version (the flag's without one).
    RolloutChange change(const QString &reason, const Operator &by) const;

private:
    RolloutFlag m_flag;
    int m_intended = 0;
    qint64 m_seenVersion = 0;
    std::optional<RolloutPreview> m_preview;
};

} // namespace mc
