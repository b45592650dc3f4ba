#include "usage_text.h"

namespace mc::cli {

QString usageText()
{
    return QStringLiteral(R"(migctl: the Migration Console's command line, over the same merge database and audit log.

Usage: migctl [--db URL | --profile NAME] [--log-level LEVEL] COMMAND ...
       migctl --help | --version

  schema status|install|upgrade [--json]
  schema roles --print-sql     the statements creating the roles, for a DBA (no connection)
  whoami [--json]              the login, its role and what it may do (the rest refuse: exit 4)
  status [--json]              users by status, per-model progress, queues, rollout, throughput, ETA
  failures [FILTER] [--limit N] [--after CURSOR] [--json]
  failure show ID [--payload | --json]   --payload writes the raw payload bytes to stdout
  errors [--json]              error groups with counts
  user show PORTAL:USER_ID [--json]
  retry (--user PORTAL:USER_ID ... | --users-from FILE | FILTER) --reason TEXT
        [--dry-run] [--yes] [--batch-size N] [--json]
  retry FILTER --reason TEXT [--canary N] --steps LIST [--hold DURATION] [--halt-above PERCENT]
        [--min-finished N] [--json]     a guarded retry plan (see below)
  queue list [--json]
  queue set QUEUE (--parallelism N | --run-every-ms N | --max-attempts N)
        [--expect-version V] --reason TEXT [--json]
  queue pause|resume QUEUE [--expect-version V] --reason TEXT [--json]
  rollout list [--json]
  rollout set FLAG PORTAL PERCENT [--expect-version V] --reason TEXT [--yes] [--json]
  rollout ramp FLAG PORTAL --steps 1,5,25,50,100 [--hold DURATION] [--halt-above PERCENT]
        [--min-finished N] --reason TEXT [--json]   a rollout ramp plan
  plan list|show ID [--json]   guarded plans: state, step, failure rate against the threshold
  plan pause|resume|cancel ID --reason TEXT [--halt-above PERCENT (resume)] [--json]
  plan run [--batch-size N] [--interval DURATION] [--until-idle]
                               the executor (one per database at a time; a lead's login)
  environment show [--json]    what the database says it is (name and class)
  environment set NAME --class development|staging|production --reason TEXT [--json]
  alerts [--json]              each shared alert rule's state: inactive, pending, firing, resolved
  alerts rules [--json]
  alerts set RULE [--kind KIND] [--scope S] [--threshold PERCENT] [--min-count N] [--window D]
        [--for D] [--keep-firing D] [--severity info|warning|critical] [--enable]
        [--mute D | --unmute] [--expect-version V] --reason TEXT [--json]
  alerts disable RULE [--expect-version V] --reason TEXT [--json]
  alerts watch [--interval D] [--json]   evaluate the rules every D (10s), print each transition
  profile list [--json]        the console's connection profiles (no database needed)
  profile import-pg-service [FILE] [--json]   one profile per service of a PostgreSQL service
                               file (default $PGSERVICEFILE, else ~/.pg_service.conf); passwords
                               are not copied
  audit [--limit N] [--action ACTION] [--actor NAME] [--json]
  verify [--json]              every counter against the tables it counts; exit 1 on any drift
  verify --repair --reason TEXT [--json]   recompute the drifted counters (one audit entry)

FILTER (failures and retry):
  --model NAME  --error-class CLASS  --portal CODE  --group FINGERPRINT (from `errors`)
  --since T  --until T    ISO-8601 UTC (2026-11-24T10:00:00Z) or an age: 30s, 15m, 2h, 7d
  --search TEXT           literal substring of the error class, message or record id;
                          ASCII letters match either case...
  --match-case            ...unless this is given (then exactly as typed)
  --include-resolved      also records already retried or ignored

Connection: --profile NAME or MIGCTL_PROFILE (a console profile), or --db URL or MIGCTL_DB, e.g. postgresql://user@host:5432/merge or
mariadb://user@host:3306/merge; the password from MC_DB_PASSWORD (PostgreSQL: also PGPASSWORD,
~/.pgpass). TLS: PostgreSQL ?sslmode=verify-full&sslrootcert=CA (sslcert, sslkey); MariaDB
?ssl-mode=VERIFY_IDENTITY&ssl-ca=CA (ssl-cert, ssl-key). An unknown parameter is an error. Logs go to stderr and a file; --log-level or
MIGRATION_CONSOLE_LOG sets the level (trace, debug, info, warn, error, off; default error).

retry says how many users it will move and asks on the terminal unless --yes; when stdin is not
a terminal it refuses without --yes. --users-from reads one PORTAL:USER_ID a line (- for stdin;
blank lines and # comments skipped). Ctrl-C cancels between batches; a second Ctrl-C quits.
rollout set asks when the percentage moves by more than 10 points, unless --yes.
PERCENT has at most two decimals (12.34). A duration D is seconds or 90s, 15m, 2h, 1d.
Alert kinds: failure_rate (users failed / finished over the window >= --threshold %, at least
--min-count finished), falling_behind (a queue's depth grew over the window while its jobs in
progress sit at its parallelism; --scope QUEUE or every queue), stall (no user completed over the
window while users are pending), plan_halted (a guarded plan is halted). Changing, disabling and
muting rules is a lead's action, audited (set_alert_rule); `alerts watch` ends with 0 on SIGTERM.

Guarded plans are stored in the database and advanced by an executor (`plan run`, or a console
with a lead's login): each step moves its users (retry: --canary N users, then each --steps
percentage of the rest, e.g. 10%,50%,100%) or raises the flag (ramp), then holds for --hold
(default 5m retry, 10m ramp) and until --min-finished of the plan's users (default 20, or all it
touched when fewer) have finished. The plan halts by itself when the failure rate of its finished
users is above --halt-above (default: the larger of 5 % and twice the failure rate of the hour
before the plan started). DURATION: 90s, 5m, 2h, or milliseconds.

Exit codes: 0 ok, 1 error, 2 usage, 3 conflict (a stale --expect-version), 4 refused (not
permitted, nothing to do, not confirmed, or cancelled).
)");
}

} // namespace mc::cli
