#include "retry_command.h"

#include "failure_filter_options.h"
#include "json_views.h"
#include "table.h"
#include "terminal.h"
#include "text_format.h"
#include "value_parsers.h"

#include <QJsonArray>
#include <QSet>

namespace mc::cli {

namespace {

constexpr int kDefaultBatchSize = 1000;
constexpr int kOutcomesShown = 20;

const QString kUser = QStringLiteral("user");
const QString kUsersFrom = QStringLiteral("users-from");

QString usersWord(qint64 count)
{
    return count == 1 ? QStringLiteral("1 user") : QStringLiteral("%1 users").arg(thousands(count));
}

} // namespace

RetryCommand::Plan RetryCommand::plan()
{
    const ParsedArguments &args = m_context.args();
    const int modes = int(args.has(kUser)) + int(args.has(kUsersFrom)) + int(hasFailureFilter(args));
    if (modes == 0)
        usageError(QStringLiteral("say which users to retry: --user PORTAL:USER_ID, --users-from "
                                  "FILE, or failure filter flags such as --error-class"));
    if (modes > 1)
        usageError(QStringLiteral("use one of --user, --users-from or failure filter flags, not "
                                  "several"));
    Plan plan;
    if (hasFailureFilter(args)) {
        const FailureFilter filter = failureFilterFrom(m_context);
        m_context.requireAccess(RoleAction::RetryAllMatching);
        plan.byFilter = true;
        plan.count = take(m_context.store().countRetryableUsers(filter));
        plan.description = filter.describe();
        plan.users = filter;
        return plan;
    }
    std::vector<UserKey> listed;
    if (args.has(kUser)) {
        for (const QString &text : args.values(kUser))
            listed.push_back(requireUserKey(text));
        plan.description = QStringLiteral("users given with --user");
    } else {
        listed = readUserKeysFrom(args.value(kUsersFrom));
        plan.description = QStringLiteral("users listed in %1")
                               .arg(args.value(kUsersFrom) == QLatin1String("-")
                                        ? QStringLiteral("stdin")
                                        : args.value(kUsersFrom));
    }
    m_context.requireAccess(RoleAction::RetryUsers);
    QSet<QString> distinct;
    for (const UserKey &user : listed)
        distinct.insert(user.toString());
    plan.count = distinct.size();
    plan.users = std::move(listed);
    return plan;
}

void RetryCommand::announce(const Plan &plan)
{
    const QString text =
        plan.byFilter
            ? QStringLiteral("%1 will move from failed to pending: the users of %2.")
                  .arg(usersWord(plan.count), plan.description)
            : QStringLiteral("%1 listed (%2); each one that is failed now moves to pending, the "
                             "others are reported and left alone.")
                  .arg(usersWord(plan.count), plan.description);
    // With --json stdout carries the result only.
    if (m_context.json())
        m_context.out().note(cellText(text));
    else
        m_context.out().line(cellText(text));
}

RetryReport RetryCommand::execute(const Plan &plan, const QString &reason, int batchSize)
{
    RetryRequest request;
    request.users = plan.users;
    request.reason = reason;
    request.by = Operator::fromEnvironment();
    request.batchSize = batchSize;

    InterruptGuard interrupt;
    ProgressLine progress(m_context.out());
    BulkControl control;
    control.cancel = interrupt.cancelFlag();
    control.onProgress = [&progress](const RetryProgress &p) {
        progress.show(QStringLiteral("retry: %1 of %2 users decided, %3 moved")
                          .arg(thousands(p.processed), thousands(p.total), thousands(p.moved)));
    };
    RetryReport result = take(m_context.store().retryUsers(request, control));
    progress.finish();
    return result;
}

void RetryCommand::report(const Plan &plan, const RetryReport &result)
{
    Output &out = m_context.out();
    if (m_context.json()) {
        QJsonArray outcomes;
        for (const UserOutcome &outcome : result.outcomes)
            outcomes.append(toJson(outcome));
        out.json(QJsonObject{
            {QStringLiteral("dry_run"), false},
            {QStringLiteral("selection"), plan.description},
            {QStringLiteral("users"), jsonNumber(plan.count)},
            {QStringLiteral("total"), jsonNumber(result.total)},
            {QStringLiteral("moved"), jsonNumber(result.moved)},
            {QStringLiteral("not_failed"), jsonNumber(result.notFailed)},
            {QStringLiteral("not_found"), jsonNumber(result.notFound)},
            {QStringLiteral("batches"), result.batches},
            {QStringLiteral("cancelled"), result.cancelled},
            {QStringLiteral("outcomes"), outcomes}});
        return;
    }
    Table summary({QStringLiteral("RESULT"), QStringLiteral("USERS")});
    summary.alignRight({1});
    summary.addRow({QStringLiteral("moved"), thousands(result.moved)});
    summary.addRow({QStringLiteral("not failed"), thousands(result.notFailed)});
    summary.addRow({QStringLiteral("not found"), thousands(result.notFound)});
    summary.addRow({QStringLiteral("batches"), QString::number(result.batches)});
    summary.addRow({QStringLiteral("cancelled"),
                    result.cancelled ? QStringLiteral("yes") : QStringLiteral("no")});
    out.print(summary.render());

    Table skipped({QStringLiteral("USER"), QStringLiteral("OUTCOME"), QStringLiteral("STATUS")});
    int shown = 0, left = 0;
    for (const UserOutcome &outcome : result.outcomes) {
        if (outcome.kind == UserOutcome::Kind::Moved)
            continue;
        if (shown++ >= kOutcomesShown) {
            ++left;
            continue;
        }
        const bool found = outcome.kind == UserOutcome::Kind::NotFailed;
        skipped.addRow({outcome.user.toString(),
                        found ? QStringLiteral("not failed") : QStringLiteral("not found"),
                        found ? statusName(outcome.statusBefore) : QStringLiteral("-")});
    }
    if (!skipped.isEmpty()) {
        out.line();
        out.line(QStringLiteral("Not moved:"));
        out.print(skipped.render());
        if (left > 0)
            out.line(QStringLiteral("… %1 more with --json").arg(left));
    }
}

ExitCode RetryCommand::run()
{
    const ParsedArguments &args = m_context.args();
    QStringList allowed = failureFilterOptions();
    allowed << kUser << kUsersFrom << QStringLiteral("reason") << QStringLiteral("dry-run")
            << QStringLiteral("yes") << QStringLiteral("json") << QStringLiteral("batch-size");
    args.allowOnly(QStringLiteral("retry"), allowed);
    args.expectPositionals(QStringLiteral("retry"), 1, 1);
    const bool dryRun = args.has(QStringLiteral("dry-run"));
    // A dry run writes nothing, so it needs no reason; every real run does.
    const QString reason = dryRun ? QString() : m_context.reason();
    const int batchSize = args.has(QStringLiteral("batch-size"))
                              ? int(parseNumber(QStringLiteral("batch-size"),
                                                args.value(QStringLiteral("batch-size")), 1,
                                                10'000))
                              : kDefaultBatchSize;

    const Plan planned = plan();
    announce(planned);
    if (planned.count == 0)
        fail(ExitCode::Refused, planned.byFilter
                                    ? QStringLiteral("no failed user matches; nothing to do.")
                                    : QStringLiteral("no users listed; nothing to do."));
    if (dryRun) {
        if (m_context.json())
            m_context.out().json(QJsonObject{{QStringLiteral("dry_run"), true},
                                             {QStringLiteral("selection"), planned.description},
                                             {QStringLiteral("users"), jsonNumber(planned.count)}});
        else
            m_context.out().line(QStringLiteral("Dry run: nothing was changed."));
        return ExitCode::Ok;
    }
    confirmOrRefuse(m_context.out(),
                    QStringLiteral("Move %1 from failed to pending?").arg(usersWord(planned.count)),
                    args.has(QStringLiteral("yes")));

    const RetryReport result = execute(planned, reason, batchSize);
    report(planned, result);
    if (result.cancelled)
        fail(ExitCode::Refused,
             QStringLiteral("cancelled after %1 batches: %2 moved, the rest untouched.")
                 .arg(result.batches)
                 .arg(usersWord(result.moved)));
    if (result.moved == 0)
        fail(ExitCode::Refused, QStringLiteral("no user was moved: none of them is failed now."));
    return ExitCode::Ok;
}

} // namespace mc::cli
