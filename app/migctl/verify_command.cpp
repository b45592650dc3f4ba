#include "verify_command.h"

#include "json_views.h"
#include "table.h"
#include "text_format.h"

#include <QJsonArray>

namespace mc::cli {

void VerifyCommand::report(const CounterCheck &check, bool repairing)
{
    Output &out = m_context.out();
    if (m_context.json()) {
        QJsonArray drifts;
        for (const CounterDrift &drift : check.drifts)
            drifts.append(QJsonObject{{QStringLiteral("counter"), drift.counter},
                                      {QStringLiteral("key"), drift.key},
                                      {QStringLiteral("stored"), jsonNumber(drift.stored)},
                                      {QStringLiteral("true"), jsonNumber(drift.actual)}});
        out.json(QJsonObject{{QStringLiteral("keys_checked"), jsonNumber(check.keysChecked)},
                             {QStringLiteral("drifts"), drifts},
                             {QStringLiteral("repaired"), check.repaired}});
        return;
    }
    if (check.drifts.isEmpty()) {
        out.line(QStringLiteral("%1 counter keys checked: every counter equals its table.")
                     .arg(thousands(check.keysChecked)));
        return;
    }
    Table table({QStringLiteral("COUNTER"), QStringLiteral("KEY"), QStringLiteral("STORED"),
                 QStringLiteral("TRUE")});
    table.alignRight({2, 3});
    for (const CounterDrift &drift : check.drifts)
        table.addRow({drift.counter, drift.key, thousands(drift.stored), thousands(drift.actual)});
    out.print(table.render());
    out.line();
    if (check.repaired)
        out.line(QStringLiteral("Repaired %1 drifted counters in one transaction (audit: "
                                "repair_counters).")
                     .arg(check.drifts.size()));
    else if (!repairing)
        out.line(QStringLiteral("%1 drifted counters of %2 keys checked. Recompute them with: "
                                "migctl verify --repair --reason TEXT")
                     .arg(check.drifts.size())
                     .arg(thousands(check.keysChecked)));
}

ExitCode VerifyCommand::run()
{
    const ParsedArguments &args = m_context.args();
    args.allowOnly(QStringLiteral("verify"), {QStringLiteral("json"), QStringLiteral("repair"),
                                              QStringLiteral("reason")});
    args.expectPositionals(QStringLiteral("verify"), 1, 1);
    if (!args.has(QStringLiteral("repair"))) {
        if (args.has(QStringLiteral("reason")))
            usageError(QStringLiteral("--reason goes with --repair"));
        const CounterCheck check = take(m_context.store().verifyCounters());
        report(check, false);
        return check.drifts.isEmpty() ? ExitCode::Ok : ExitCode::Error;
    }
    CounterRepair repair;
    repair.reason = m_context.reason();
    m_context.requireAccess(RoleAction::RepairCounters);
    repair.by = Operator::fromEnvironment();
    const CounterCheck check = take(m_context.store().repairCounters(repair));
    report(check, true);
    return ExitCode::Ok;
}

} // namespace mc::cli
