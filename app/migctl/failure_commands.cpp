#include "failure_commands.h"

#include "failure_filter_options.h"
#include "json_views.h"
#include "table.h"
#include "text_format.h"
#include "value_parsers.h"

#include <QJsonArray>

#include <limits>

namespace mc::cli {

namespace {

constexpr int kDefaultPageSize = 50;
constexpr int kMaxPageSize = 10'000;

QString failureTable(const QList<FailureRow> &rows)
{
    Table table({QStringLiteral("ID"), QStringLiteral("FAILED AT"), QStringLiteral("USER"),
                 QStringLiteral("MODEL"), QStringLiteral("PHASE"), QStringLiteral("ERROR CLASS"),
                 QStringLiteral("ATTEMPT"), QStringLiteral("PAYLOAD"),
                 QStringLiteral("RESOLUTION"), QStringLiteral("MESSAGE")});
    table.alignRight({0, 6, 7});
    for (const FailureRow &row : rows)
        table.addRow({QString::number(row.id), shortTime(row.failedAt), row.user.toString(),
                      row.model, row.phase, row.errorClass, QString::number(row.attempt),
                      bytesText(row.payloadSize),
                      row.resolution.isEmpty() ? QStringLiteral("-") : row.resolution,
                      row.messageExcerpt});
    return table.render();
}

void printField(Output &out, const QString &name, const QString &value)
{
    out.line(fieldLine(name, value));
}

void printBlock(Output &out, const QString &title, const QString &text)
{
    out.line();
    out.line(title);
    if (text.isEmpty()) {
        out.line(QStringLiteral("  (none)"));
        return;
    }
    for (const QString &line : blockText(text).split(QLatin1Char('\n')))
        out.line(QStringLiteral("  ") + line);
}

} // namespace

ExitCode FailureCommands::list()
{
    const ParsedArguments &args = m_context.args();
    QStringList allowed = failureFilterOptions();
    allowed << QStringLiteral("limit") << QStringLiteral("after") << QStringLiteral("json");
    args.allowOnly(QStringLiteral("failures"), allowed);
    args.expectPositionals(QStringLiteral("failures"), 1, 1);

    int limit = kDefaultPageSize;
    if (args.has(QStringLiteral("limit")))
        limit = int(parseNumber(QStringLiteral("limit"), args.value(QStringLiteral("limit")), 1,
                                kMaxPageSize));
    std::optional<FailureCursor> after;
    if (args.has(QStringLiteral("after"))) {
        after = FailureCursor::decode(args.value(QStringLiteral("after")));
        if (!after)
            usageError(QStringLiteral("--after takes the cursor a previous page printed (got "
                                      "\"%1\")")
                           .arg(args.value(QStringLiteral("after"))));
    }
    const FailureFilter filter = failureFilterFrom(m_context);
    if (filter.searchScans())
        m_context.out().note(QStringLiteral("short term (no three letters or digits in a row): "
                                            "scanning the failed records…"));
    const FailurePage page = take(m_context.store().failures(filter, after, limit));

    Output &out = m_context.out();
    const QString next = page.next ? page.next->encode() : QString();
    if (m_context.json()) {
        QJsonArray rows;
        for (const FailureRow &row : page.rows)
            rows.append(toJson(row));
        out.json(QJsonObject{
            {QStringLiteral("filter"), filter.describe()},
            {QStringLiteral("rows"), rows},
            {QStringLiteral("next"), page.next ? QJsonValue(next) : QJsonValue(QJsonValue::Null)}});
        return ExitCode::Ok;
    }
    if (page.rows.isEmpty()) {
        out.line(QStringLiteral("No %1.").arg(cellText(filter.describe())));
        return ExitCode::Ok;
    }
    out.print(failureTable(page.rows));
    if (page.next)
        out.line(QStringLiteral("More rows: add --after %1").arg(next));
    return ExitCode::Ok;
}

ExitCode FailureCommands::show()
{
    const ParsedArguments &args = m_context.args();
    args.allowOnly(QStringLiteral("failure show"),
                   {QStringLiteral("payload"), QStringLiteral("json")});
    args.expectPositionals(QStringLiteral("failure show"), 3, 3);
    if (args.has(QStringLiteral("payload")) && m_context.json())
        usageError(QStringLiteral("--payload writes raw bytes; it does not combine with --json"));
    const qint64 id = parseNumber(QStringLiteral("ID"), args.positional(2), 1,
                                  std::numeric_limits<qint64>::max());
    const FailureDetail detail = take(m_context.store().failure(id));

    Output &out = m_context.out();
    if (args.has(QStringLiteral("payload"))) {
        out.bytes(detail.payload);
        return ExitCode::Ok;
    }
    if (m_context.json()) {
        out.json(toJson(detail));
        return ExitCode::Ok;
    }
    const FailureRow &row = detail.row;
    out.line(QStringLiteral("Failed record %1").arg(row.id));
    printField(out, QStringLiteral("failed at"), isoTime(row.failedAt));
    printField(out, QStringLiteral("user"), row.user.toString());
    printField(out, QStringLiteral("model"), QStringLiteral("%1 (id %2)").arg(row.model).arg(row.modelId));
    printField(out, QStringLiteral("record"), row.recordId);
    printField(out, QStringLiteral("phase"), row.phase);
    printField(out, QStringLiteral("attempt"), QString::number(row.attempt));
    printField(out, QStringLiteral("error class"), row.errorClass);
    printField(out, QStringLiteral("error group"), detail.fingerprint);
    printField(out, QStringLiteral("resolution"),
               row.resolution.isEmpty()
                   ? QStringLiteral("unresolved")
                   : QStringLiteral("%1 by %2 at %3")
                         .arg(row.resolution, detail.resolvedBy, optionalTime(detail.resolvedAt)));
    printField(out, QStringLiteral("payload"),
               QStringLiteral("%1, %2; raw bytes: migctl failure show %3 --payload")
                   .arg(detail.payload.size() < 1024
                            ? bytesText(detail.payload.size())
                            : QStringLiteral("%1 (%2 bytes)")
                                  .arg(bytesText(detail.payload.size()))
                                  .arg(detail.payload.size()))
                   .arg(detail.contentType.isEmpty() ? QStringLiteral("no content type")
                                                     : detail.contentType)
                   .arg(row.id));
    printBlock(out, QStringLiteral("Message"), detail.message);
    printBlock(out, QStringLiteral("Backtrace"), detail.backtrace);
    return ExitCode::Ok;
}

ExitCode FailureCommands::errors()
{
    const ParsedArguments &args = m_context.args();
    args.allowOnly(QStringLiteral("errors"), {QStringLiteral("json")});
    args.expectPositionals(QStringLiteral("errors"), 1, 1);
    const QList<ErrorGroup> groups = take(m_context.store().errorGroups());

    Output &out = m_context.out();
    // An impossible figure is never printed without saying so (stderr: --json stays clean).
    for (const ErrorGroup &group : groups)
        if (group.failures < 0 || group.unresolved < 0) {
            out.note(QStringLiteral("migctl: error group %1 counts %2 failures, %3 open: its "
                                    "counters drifted from the failed records; find and repair "
                                    "them with: migctl verify")
                         .arg(group.fingerprint)
                         .arg(group.failures)
                         .arg(group.unresolved));
        }
    if (m_context.json()) {
        QJsonArray array;
        for (const ErrorGroup &group : groups)
            array.append(toJson(group));
        out.json(QJsonObject{{QStringLiteral("groups"), array}});
        return ExitCode::Ok;
    }
    if (groups.isEmpty()) {
        out.line(QStringLiteral("No failed records."));
        return ExitCode::Ok;
    }
    Table table({QStringLiteral("FAILURES"), QStringLiteral("UNRESOLVED"),
                 QStringLiteral("ERROR CLASS"), QStringLiteral("MODELS"),
                 QStringLiteral("LAST SEEN"), QStringLiteral("GROUP"),
                 QStringLiteral("MESSAGE PATTERN")});
    table.alignRight({0, 1});
    for (const ErrorGroup &group : groups)
        table.addRow({thousands(group.failures), thousands(group.unresolved), group.errorClass,
                      group.models.join(QLatin1Char(',')), shortTime(group.lastSeen),
                      group.fingerprint, group.messagePattern.left(200)});
    out.print(table.render());
    out.line(QStringLiteral("Narrow failures to one group with: migctl failures --group GROUP"));
    return ExitCode::Ok;
}

} // namespace mc::cli
