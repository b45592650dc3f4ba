#include "plans.h"

#include <QRegularExpression>

#include <algorithm>

namespace mc {

namespace {

StoreError invalid(const QString &why)
{
    return StoreError::make(StoreError::Kind::InvalidInput, why);
}

// "12.5" → 1250: at most two decimals, no floating point.
std::optional<qint64> basisPointsOf(const QString &text)
{
    static const QRegularExpression number(QStringLiteral("^([0-9]{1,3})(?:\\.([0-9]{1,2}))?$"));
    const QRegularExpressionMatch m = number.match(text);
    if (!m.hasMatch())
        return std::nullopt;
    const QString decimals = m.captured(2).leftJustified(2, QLatin1Char('0'));
    return m.captured(1).toLongLong() * 100 + decimals.toLongLong();
}

} // namespace

QString basisPointsText(qint64 basisPoints)
{
    QString text = QString::number(basisPoints / 100);
    if (basisPoints % 100) {
        QString decimals = QStringLiteral("%1").arg(basisPoints % 100, 2, 10, QLatin1Char('0'));
        while (decimals.endsWith(u'0'))
            decimals.chop(1);
        text += u'.' + decimals;
    }
    return text;
}

QString planKindName(PlanKind kind)
{
    return kind == PlanKind::Retry ? QStringLiteral("retry") : QStringLiteral("ramp");
}

QString planStateName(PlanState state)
{
    switch (state) {
    case PlanState::Running:
        return QStringLiteral("running");
    case PlanState::Holding:
        return QStringLiteral("holding");
    case PlanState::Halted:
        return QStringLiteral("halted");
    case PlanState::Paused:
        return QStringLiteral("paused");
    case PlanState::Done:
        return QStringLiteral("done");
    case PlanState::Cancelled:
        break;
    }
    return QStringLiteral("cancelled");
}

std::optional<PlanState> planStateFromName(const QString &name)
{
    for (PlanState s : {PlanState::Running, PlanState::Holding, PlanState::Halted,
                        PlanState::Paused, PlanState::Done, PlanState::Cancelled})
        if (planStateName(s) == name)
            return s;
    return std::nullopt;
}

bool isActive(PlanState state)
{
    return state == PlanState::Running || state == PlanState::Holding;
}

bool isFinal(PlanState state)
{
    return state == PlanState::Done || state == PlanState::Cancelled;
}

QString planActionName(PlanAction action)
{
    switch (action) {
    case PlanAction::Pause:
        return QStringLiteral("pause");
    case PlanAction::Resume:
        return QStringLiteral("resume");
    case PlanAction::Cancel:
        break;
    }
    return QStringLiteral("cancel");
}

int defaultHaltAboveBasisPoints(std::optional<int> baselineBasisPoints)
{
    return std::min(10'000, std::max(kPlanFloorBasisPoints, 2 * baselineBasisPoints.value_or(0)));
}

QString PlanStep::text() const
{
    return percent ? basisPointsText(value) + u'%' : QString::number(value);
}

Result<QList<PlanStep>> parseRetrySteps(const QString &text)
{
    QList<PlanStep> steps;
    qint64 lastCount = 0, lastPercent = 0;
    for (QString part : text.split(u',')) {
        part = part.trimmed();
        if (part.endsWith(u'%')) {
            const auto bp = basisPointsOf(part.chopped(1));
            if (!bp || *bp <= 0 || *bp > 10'000)
                return invalid(QStringLiteral("A step \"%1\" is not a percentage above 0 and at "
                                              "most 100.").arg(part));
            if (*bp <= lastPercent)
                return invalid(QStringLiteral("Steps must grow: %1 comes after %2 %.")
                                   .arg(part, basisPointsText(lastPercent)));
            lastPercent = *bp;
            steps.append({true, *bp});
        } else {
            bool ok = false;
            const qint64 count = part.toLongLong(&ok);
            if (!ok || count <= 0)
                return invalid(QStringLiteral("A step \"%1\" is neither a number of users nor a "
                                              "percentage such as 10%.").arg(part));
            if (lastPercent > 0)
                return invalid(QStringLiteral("A number of users (%1) cannot follow a "
                                              "percentage.").arg(part));
            if (count <= lastCount)
                return invalid(QStringLiteral("Steps must grow: %1 users come after %2.")
                                   .arg(count).arg(lastCount));
            lastCount = count;
            steps.append({false, count});
        }
    }
    if (steps.isEmpty() || steps.size() > 20)
        return invalid(QStringLiteral("A plan has 1 to 20 steps."));
    return steps;
}

Result<QList<PlanStep>> parseRampSteps(const QString &text)
{
    QList<PlanStep> steps;
    qint64 last = -1;
    for (QString part : text.split(u',')) {
        part = part.trimmed();
        if (part.endsWith(u'%'))
            part.chop(1);
        const auto bp = basisPointsOf(part);
        if (!bp || *bp > 10'000)
            return invalid(QStringLiteral("A ramp step \"%1\" is not a percentage between 0 and "
                                          "100 with at most two decimals.").arg(part));
        if (*bp <= last)
            return invalid(QStringLiteral("Ramp steps must grow: %1 % comes after %2 %.")
                               .arg(part, basisPointsText(last)));
        last = *bp;
        steps.append({true, *bp});
    }
    if (steps.isEmpty() || steps.size() > 20)
        return invalid(QStringLiteral("A plan has 1 to 20 steps."));
    return steps;
}

QString stepsText(const QList<PlanStep> &steps)
{
    QStringList parts;
    for (const PlanStep &step : steps)
        parts << step.text();
    return parts.join(u',');
}

qint64 retryStepTarget(const QList<PlanStep> &steps, int index, qint64 total)
{
    qint64 absolute = 0;
    qint64 target = 0;
    for (int i = 0; i <= index && i < steps.size(); ++i) {
        const PlanStep &step = steps.at(i);
        if (step.percent) {
            const qint64 rest = std::max<qint64>(0, total - absolute);
            target = absolute + (rest * step.value + 9'999) / 10'000; // rounded up
        } else {
            absolute = step.value;
            target = step.value;
        }
    }
    return std::min(target, total);
}

int PlanFigures::rateBasisPoints() const
{
    return finished > 0 ? int(failed * 10'000 / finished) : 0;
}

bool PlanFigures::trips(int haltAboveBasisPoints, qint64 needed) const
{
    if (finished == 0 || finished < needed)
        return false;
    return failed * 10'000 > qint64(haltAboveBasisPoints) * finished;
}

qint64 Plan::neededToJudge() const
{
    const qint64 touched = kind == PlanKind::Retry ? moved : decided;
    return std::min<qint64>(minFinished, touched);
}

} // namespace mc
