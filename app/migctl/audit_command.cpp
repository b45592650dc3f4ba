#include "audit_command.h"

#include "json_views.h"
#include "table.h"
#include "text_format.h"
#include "value_parsers.h"

#include <QJsonArray>

namespace mc::cli {

namespace {

QString clipped(const QString &text)
{
    constexpr int kWidth = 60; // the whole entry is in --json
    return text.size() <= kWidth ? text : text.left(kWidth - 1) + QChar(0x2026);
}

} // namespace

ExitCode AuditCommand::run()
{
    const ParsedArguments &args = m_context.args();
    args.allowOnly(QStringLiteral("audit"), {QStringLiteral("limit"), QStringLiteral("action"),
                                             QStringLiteral("actor"), QStringLiteral("json")});
    args.expectPositionals(QStringLiteral("audit"), 1, 1);
    AuditQuery query;
    query.limit = 20;
    if (args.has(QStringLiteral("limit")))
        query.limit = int(parseNumber(QStringLiteral("limit"), args.value(QStringLiteral("limit")),
                                      1, 10'000));
    query.action = args.value(QStringLiteral("action"));
    query.actor = args.value(QStringLiteral("actor"));
    const AuditPage page = take(m_context.store().audit(query));

    Output &out = m_context.out();
    if (m_context.json()) {
        QJsonArray entries;
        for (const AuditEntry &entry : page.entries)
            entries.append(toJson(entry));
        out.json(QJsonObject{{QStringLiteral("entries"), entries}});
        return ExitCode::Ok;
    }
    if (page.entries.isEmpty()) {
        out.line(QStringLiteral("No audit entries."));
        return ExitCode::Ok;
    }
    Table table({QStringLiteral("ID"), QStringLiteral("AT"), QStringLiteral("WHO"),
                 QStringLiteral("ACTION"), QStringLiteral("TARGET"), QStringLiteral("CHANGE"),
                 QStringLiteral("REASON")});
    table.alignRight({0});
    for (const AuditEntry &e : page.entries)
        table.addRow({QString::number(e.id), shortTime(e.at),
                      QStringLiteral("%1 (%2)").arg(e.databaseUser, e.osUser), e.action, e.target,
                      QStringLiteral("%1 → %2").arg(clipped(e.before), clipped(e.after)), e.reason});
    out.print(table.render());
    return ExitCode::Ok;
}

} // namespace mc::cli
