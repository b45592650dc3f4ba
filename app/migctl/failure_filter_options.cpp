#include "failure_filter_options.h"

#include "cli_error.h"
#include "value_parsers.h"

#include <QDateTime>

namespace mc::cli {

namespace {

// A text flag that narrows: given means non-empty (an empty value would silently mean "any").
QString narrowing(const ParsedArguments &args, const QString &flag)
{
    const QString value = args.value(flag);
    if (args.has(flag) && value.isEmpty())
        usageError(QStringLiteral("--%1 needs a non-empty value").arg(flag));
    return value;
}

} // namespace

QStringList failureFilterOptions()
{
    return {QStringLiteral("model"),  QStringLiteral("error-class"), QStringLiteral("portal"),
            QStringLiteral("since"),  QStringLiteral("until"),       QStringLiteral("search"),
            QStringLiteral("match-case"), QStringLiteral("group"),
            QStringLiteral("include-resolved")};
}

bool hasFailureFilter(const ParsedArguments &args)
{
    for (const QString &option : failureFilterOptions())
        if (args.has(option))
            return true;
    return false;
}

FailureFilter failureFilterFrom(CommandContext &context)
{
    const ParsedArguments &args = context.args();
    FailureFilter filter;
    filter.errorClass = narrowing(args, QStringLiteral("error-class"));
    filter.portal = narrowing(args, QStringLiteral("portal"));
    filter.searchText = narrowing(args, QStringLiteral("search")); // literal
    filter.matchCase = args.has(QStringLiteral("match-case"));
    if (filter.matchCase && filter.searchText.isEmpty())
        usageError(QStringLiteral("--match-case goes with --search"));
    filter.fingerprint = narrowing(args, QStringLiteral("group"));
    filter.includeResolved = args.has(QStringLiteral("include-resolved"));
    const EpochMs now = QDateTime::currentMSecsSinceEpoch();
    if (args.has(QStringLiteral("since")))
        filter.since = parseTime(QStringLiteral("since"), args.value(QStringLiteral("since")), now);
    if (args.has(QStringLiteral("until")))
        filter.until = parseTime(QStringLiteral("until"), args.value(QStringLiteral("until")), now);
    if (filter.since && filter.until && *filter.since >= *filter.until)
        usageError(QStringLiteral("--since must be before --until"));
    // Last: it is the only flag that needs the database.
    const QString model = narrowing(args, QStringLiteral("model"));
    if (!model.isEmpty())
        filter.modelId = context.modelId(model);
    return filter;
}

} // namespace mc::cli
