// SqlMergeStore: what the connected login may do, in one statement (roleAccess). Kept to one
// statement so the connection layer can send it with the rest of a session's set-up.

#include "sql_merge_store_run.h"

namespace mc {

namespace {

// Columns: login, its mc_ roles (comma-separated), owner, then one per RoleAction but
// RetryAllMatching (retry_users, mark_failures, change_queues, change_rollout, export,
// repair_counters, manage_plans, edit_alerts). A privilege on an object that does not exist yet
// reads as false.
const QString kPostgresAccess = QStringLiteral(
    "SELECT session_user, (SELECT string_agg(r.rolname, ',' ORDER BY r.rolname) FROM pg_roles r "
    "WHERE r.rolname IN ('mc_qa', 'mc_support', 'mc_lead', 'mc_worker') "
    "AND pg_has_role(session_user, r.oid, 'MEMBER')), "
    "coalesce(pg_has_role(session_user, (SELECT c.relowner FROM pg_class c "
    "WHERE c.oid = to_regclass('audit_log')), 'MEMBER'), false), "
    "coalesce(has_function_privilege(to_regprocedure("
    "'mc_retry_users(varchar, bigint[], text, varchar)'), 'EXECUTE'), false), "
    "coalesce(has_function_privilege(to_regprocedure("
    "'mc_set_resolution(bigint[], varchar, varchar, text, varchar)'), 'EXECUTE'), false), "
    "coalesce(has_table_privilege(to_regclass('queues'), 'UPDATE'), false), "
    "coalesce(has_table_privilege(to_regclass('rollout_flags'), 'UPDATE'), false), "
    "coalesce(has_table_privilege(to_regclass('failed_records'), 'SELECT') "
    "AND has_column_privilege(to_regclass('audit_log'), 'os_user', 'INSERT'), false), "
    "coalesce(has_table_privilege(to_regclass('error_groups'), 'UPDATE') "
    "AND has_table_privilege(to_regclass('user_status_counts'), 'INSERT') "
    "AND has_table_privilege(to_regclass('model_totals'), 'DELETE'), false), "
    "coalesce(has_table_privilege(to_regclass('plans'), 'UPDATE') "
    "AND has_table_privilege(to_regclass('rollout_flags'), 'UPDATE'), false), "
    "coalesce(has_function_privilege(to_regprocedure('mc_alert_rule_set(varchar, bigint, "
    "varchar, varchar, double precision, bigint, integer, integer, integer, varchar, boolean, "
    "integer, text, varchar)'), 'EXECUTE'), false)");

// MariaDB's information_schema shows a login's own grants, not its roles': the privileges come
// from the enabled roles (ENABLED_ROLES holds those granted through another too), and a login
// with UPDATE on every table of the database (the schema's owner, an administrator) may do all.
const QString kMariaDbAccess = QStringLiteral(
    "SELECT SUBSTRING_INDEX(USER(), '@', 1), (SELECT GROUP_CONCAT(ROLE_NAME ORDER BY ROLE_NAME) "
    "FROM information_schema.ENABLED_ROLES WHERE ROLE_NAME IN ('mc_qa', 'mc_support', 'mc_lead', "
    "'mc_worker')) AS roles, "
    "(EXISTS (SELECT 1 FROM information_schema.USER_PRIVILEGES WHERE GRANTEE = me.grantee "
    "AND PRIVILEGE_TYPE = 'UPDATE') OR EXISTS (SELECT 1 FROM information_schema.SCHEMA_PRIVILEGES "
    "WHERE GRANTEE = me.grantee AND TABLE_SCHEMA = DATABASE() AND PRIVILEGE_TYPE = 'UPDATE')) "
    "AS owner "
    "FROM (SELECT CONCAT('''', SUBSTRING_INDEX(CURRENT_USER(), '@', 1), '''@''', "
    "SUBSTRING_INDEX(CURRENT_USER(), '@', -1), '''') AS grantee) me");

} // namespace

Result<RoleAccess> SqlMergeStore::roleAccess()
{
    return run<RoleAccess>(Need::Connection, [](sql::Connection &c) {
        RoleAccess access;
        access.known = true;
        const bool postgres = c.backend() == sql::Backend::PostgreSQL;
        const sql::Rows rows = c.query(postgres ? kPostgresAccess : kMariaDbAccess);
        access.login = rows.text(0, 0);
        access.roles = rows.isNull(0, 1) ? QStringList()
                                         : rows.text(0, 1).split(u',', Qt::SkipEmptyParts);
        access.owner = rows.boolean(0, 2);
        auto set = [&](RoleAction action, bool allowed) { access.can[size_t(action)] = allowed; };
        if (postgres) {
            set(RoleAction::RetryUsers, rows.boolean(0, 3));
            set(RoleAction::MarkFailures, rows.boolean(0, 4));
            set(RoleAction::ChangeQueues, rows.boolean(0, 5));
            set(RoleAction::ChangeRollout, rows.boolean(0, 6));
            set(RoleAction::Export, rows.boolean(0, 7));
            set(RoleAction::RepairCounters, rows.boolean(0, 8));
            set(RoleAction::ManagePlans, rows.boolean(0, 9));
            set(RoleAction::EditAlerts, rows.boolean(0, 10));
        } else {
            // The grants of each role are those of 004_roles.sql.
            auto has = [&](const char *role) {
                return access.owner || access.roles.contains(QLatin1String(role));
            };
            const bool support = has("mc_support") || has("mc_lead");
            const bool lead = has("mc_lead");
            set(RoleAction::RetryUsers, support);
            set(RoleAction::MarkFailures, support);
            set(RoleAction::ChangeQueues, lead);
            set(RoleAction::ChangeRollout, lead);
            set(RoleAction::Export, support || has("mc_qa") || has("mc_worker"));
            set(RoleAction::RepairCounters, lead);
            set(RoleAction::ManagePlans, lead);
            set(RoleAction::EditAlerts, lead);
        }
        // The server sees a list of users either way; retrying every user of a filter is the
        // lead's call, like the queue settings.
        set(RoleAction::RetryAllMatching, access.can[size_t(RoleAction::RetryUsers)]
                                              && access.can[size_t(RoleAction::ChangeQueues)]);
        return access;
    });
}

Result<Done> SqlMergeStore::auditExport(const ExportAudit &exported)
{
    return run<Done>(Need::CurrentSchema, [&](sql::Connection &c) {
        sql::inTransaction(c, [&] {
            writeAudit(c, exported.by, QStringLiteral("export_failures"),
                       QStringLiteral("%1 failed records").arg(exported.records), QString(),
                       compactJson({{QStringLiteral("filter"), exported.filter},
                                    {QStringLiteral("records"), exported.records},
                                    {QStringLiteral("format"), exported.format},
                                    {QStringLiteral("payloads"), true}}),
                       QString());
            return 0;
        });
        return Done{};
    });
}

} // namespace mc
