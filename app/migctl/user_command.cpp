#include "user_command.h"

#include "json_views.h"
#include "table.h"
#include "text_format.h"
#include "value_parsers.h"

#include <QJsonArray>

namespace mc::cli {

namespace {

constexpr int kRowsShown = 20; // in tables; --json has everything the store returned

QJsonObject dossierJson(const UserDossier &dossier)
{
    QJsonArray progress, failures, mappings;
    for (const ModelProgress &model : dossier.progress)
        progress.append(toJson(model));
    for (const FailureRow &row : dossier.failures)
        failures.append(toJson(row));
    for (const IdMapping &mapping : dossier.mappings)
        mappings.append(toJson(mapping));
    return {{QStringLiteral("migration"), toJson(dossier.migration)},
            {QStringLiteral("progress"), progress},
            {QStringLiteral("failures"), failures},
            {QStringLiteral("mappings"), mappings}};
}

void printMigration(Output &out, const UserMigration &m)
{
    auto field = [&](const QString &name, const QString &value) {
        out.line(fieldLine(name, value));
    };
    out.line(QStringLiteral("User migration %1").arg(cellText(m.user.toString())));
    field(QStringLiteral("status"), statusName(m.status));
    field(QStringLiteral("phase"), m.phase.isEmpty() ? QStringLiteral("-") : m.phase);
    field(QStringLiteral("target user"),
          m.targetUserId ? QString::number(*m.targetUserId) : QStringLiteral("-"));
    field(QStringLiteral("attempts"), QString::number(m.attempts));
    field(QStringLiteral("requested"), optionalTime(m.requestedAt));
    field(QStringLiteral("started"), optionalTime(m.startedAt));
    field(QStringLiteral("finished"), optionalTime(m.finishedAt));
    field(QStringLiteral("updated"), optionalTime(m.updatedAt));
    field(QStringLiteral("last error"), m.lastError.isEmpty() ? QStringLiteral("-") : m.lastError);
}

void printProgress(Output &out, const QList<ModelProgress> &progress)
{
    out.line();
    out.line(QStringLiteral("Progress"));
    if (progress.isEmpty()) {
        out.line(QStringLiteral("  no model progress yet"));
        return;
    }
    Table table({QStringLiteral("MODEL"), QStringLiteral("TOTAL"), QStringLiteral("SERIALISED"),
                 QStringLiteral("CREATED"), QStringLiteral("FAILED")});
    table.alignRight({1, 2, 3, 4});
    for (const ModelProgress &m : progress)
        table.addRow({m.model, thousands(m.recordsTotal), thousands(m.serialized),
                      thousands(m.created), thousands(m.failed)});
    out.print(table.render());
}

void printFailures(Output &out, const QList<FailureRow> &failures)
{
    out.line();
    out.line(QStringLiteral("Failures (%1%2)")
                 .arg(failures.size())
                 .arg(failures.size() >= 500 ? QStringLiteral(" or more") : QString()));
    if (failures.isEmpty())
        return;
    Table table({QStringLiteral("ID"), QStringLiteral("FAILED AT"), QStringLiteral("MODEL"),
                 QStringLiteral("ERROR CLASS"), QStringLiteral("RESOLUTION"),
                 QStringLiteral("MESSAGE")});
    table.alignRight({0});
    for (const FailureRow &row : failures.mid(0, kRowsShown))
        table.addRow({QString::number(row.id), shortTime(row.failedAt), row.model,
                      row.errorClass, row.resolution.isEmpty() ? QStringLiteral("-") : row.resolution,
                      row.messageExcerpt});
    out.print(table.render());
    if (failures.size() > kRowsShown)
        out.line(QStringLiteral("… %1 more with --json").arg(failures.size() - kRowsShown));
}

void printMappings(Output &out, const QList<IdMapping> &mappings)
{
    out.line();
    out.line(QStringLiteral("Id mappings (%1%2)")
                 .arg(mappings.size())
                 .arg(mappings.size() >= 1000 ? QStringLiteral(" or more") : QString()));
    if (mappings.isEmpty())
        return;
    Table table({QStringLiteral("MODEL"), QStringLiteral("SOURCE ID"), QStringLiteral("TARGET ID")});
    table.alignRight({1, 2});
    for (const IdMapping &m : mappings.mid(0, kRowsShown))
        table.addRow({m.model, QString::number(m.sourceId), QString::number(m.targetId)});
    out.print(table.render());
    if (mappings.size() > kRowsShown)
        out.line(QStringLiteral("… %1 more with --json").arg(mappings.size() - kRowsShown));
}

} // namespace

ExitCode UserCommand::show()
{
    const ParsedArguments &args = m_context.args();
    args.allowOnly(QStringLiteral("user show"), {QStringLiteral("json")});
    args.expectPositionals(QStringLiteral("user show"), 3, 3);
    const UserKey user = requireUserKey(args.positional(2));
    const UserDossier dossier = take(m_context.store().userDossier(user));

    Output &out = m_context.out();
    if (m_context.json()) {
        out.json(dossierJson(dossier));
        return ExitCode::Ok;
    }
    printMigration(out, dossier.migration);
    printProgress(out, dossier.progress);
    printFailures(out, dossier.failures);
    printMappings(out, dossier.mappings);
    return ExitCode::Ok;
}

} // namespace mc::cli
