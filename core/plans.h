#pragma once

// Guarded plans (DESIGN.md, "plan"): a staged retry or a rollout ramp that an executor advances
// step by step, holding after each step and halting by itself when the failure rate of the users
// it touched passes its threshold. Stored in the merge database (006_guarded_plans.sql), so every
// console and migctl see the same plan and it outlives whoever started it.

#include "failures.h"
#include "operations.h"
#include "store_error.h"

namespace mc {

enum class PlanKind { Retry, Ramp };
enum class PlanState { Running, Holding, Halted, Paused, Done, Cancelled };
QString planKindName(PlanKind kind);   // "retry", "ramp"
QString planStateName(PlanState state); // "running", "holding", …, as stored
std::optional<PlanState> planStateFromName(const QString &name);
// Running and holding: an executor still has work on it.
bool isActive(PlanState state);
// Done and cancelled: nothing more can happen to it.
bool isFinal(PlanState state);

// 1250 → "12.5", 500 → "5", 1 → "0.01": a rate or a percentage in basis points, in words.
QString basisPointsText(qint64 basisPoints);

// The defaults of a halt rule, and why (README, "Guarded plans").
inline constexpr int kPlanFloorBasisPoints = 500; // never halt at or below 5 %
inline constexpr int kPlanMinFinished = 20;       // finished users before the rate is judged
// The default threshold: the larger of 5 % and twice the failure rate of the hour before the
// plan started (basis points; none finished that hour: 5 %).
int defaultHaltAboveBasisPoints(std::optional<int> baselineBasisPoints);

// One step of a plan. Retry: `count` users in all (absolute), or `basisPoints` of the users left
// after the last absolute step. Ramp: the flag's percentage in basis points.
struct PlanStep
{
    bool percent = false;
    qint64 value = 0; // users (absolute) or basis points (percent; always for a ramp)

    QString text() const; // "100", "10%", "12.5%"
};
// "100,10%,50%,100%" (retry) or "1,5,25,50,100" (ramp: percentages). InvalidInput on nonsense.
Result<QList<PlanStep>> parseRetrySteps(const QString &text);
Result<QList<PlanStep>> parseRampSteps(const QString &text);
QString stepsText(const QList<PlanStep> &steps); // the stored form, parsed back by the above

// Retry: how many of `total` users have had their turn once step `index` is done.
qint64 retryStepTarget(const QList<PlanStep> &steps, int index, qint64 total);

// The figures a halt rule judges: the plan's users that finished, and of those the failed.
struct PlanFigures
{
    qint64 finished = 0;
    qint64 failed = 0;
    // failed / finished in basis points, rounded down; 0 when none finished.
    int rateBasisPoints() const;
    // Above the threshold, judged only once enough have finished (`needed`).
    bool trips(int haltAboveBasisPoints, qint64 needed) const;
};

struct PlanSample
{
    EpochMs at = 0;
    int step = 0;
    PlanFigures figures;
};

struct Plan
{
    qint64 id = 0;
    PlanKind kind = PlanKind::Retry;
    PlanState state = PlanState::Running;
    QString reason;
    QString selection; // retry: the filter in words; ramp: "merge on lt"
    QString flag;      // ramp
    QString portal;    // ramp
    QList<PlanStep> steps;
    int step = 0;            // the step under way (0-based)
    qint64 stepTarget = 0;   // retry: users decided when it is done; ramp: basis points
    std::optional<EpochMs> holdStartedAt;
    qint64 holdMs = 0;
    int minFinished = kPlanMinFinished;
    int haltAboveBasisPoints = kPlanFloorBasisPoints;
    std::optional<int> baselineBasisPoints;
    int startBasisPoints = 0;   // ramp
    int reachedBasisPoints = 0; // ramp
    qint64 usersTotal = 0;      // retry
    qint64 decided = 0;         // retry: users whose turn came; ramp: users admitted (past nil)
    qint64 moved = 0;           // retry
    PlanFigures figures;        // as last judged
    QString haltReason;
    qint64 version = 0;
    EpochMs createdAt = 0;
    QString createdBy;
    EpochMs updatedAt = 0;
    QString updatedBy;
    QList<PlanSample> samples; // plan(id) only: the judgements, oldest first

    // Finished users needed before the rate is judged: min_finished, or all the plan has
    // touched (retry: moved; ramp: admitted, kept in `decided`) when that is fewer; 0 when it
    // has touched nobody (then a hold ends on time alone).
    qint64 neededToJudge() const;
    bool isLastStep() const { return step + 1 >= steps.size(); }
};

struct RetryPlanRequest
{
    FailureFilter filter;
    QList<PlanStep> steps; // with the canary as its first absolute step
    qint64 holdMs = 5 * 60'000;
    int minFinished = kPlanMinFinished;
    std::optional<int> haltAboveBasisPoints; // default: defaultHaltAboveBasisPoints
    QString reason;
    Operator by;
};

struct RampPlanRequest
{
    QString flag;
    QString portal;
    QList<PlanStep> steps;
    qint64 holdMs = 10 * 60'000;
    int minFinished = kPlanMinFinished;
    std::optional<int> haltAboveBasisPoints;
    QString reason;
    Operator by;
};

enum class PlanAction { Pause, Resume, Cancel };
QString planActionName(PlanAction action); // "pause", "resume", "cancel"

struct PlanChange
{
    qint64 planId = 0;
    PlanAction action = PlanAction::Pause;
    std::optional<int> haltAboveBasisPoints; // Resume: a new threshold (after a halt)
    QString reason;
    Operator by;
};

// What one executor pass over one plan did.
struct PlanAdvance
{
    enum class Kind { Nothing, Moved, Raised, Holding, NextStep, Halted, Done };
    Kind kind = Kind::Nothing;
    qint64 planId = 0;
    qint64 moved = 0; // users this pass moved
    QString text;     // in words, for a log line
};

struct PlanPace
{
    int batchSize = 500;   // users moved per transaction
    Operator by;           // the executor's OS user, for its audit entries
};

} // namespace mc
