-- Migration Console merge database, schema version 2, PostgreSQL 15: counters without hot rows,
-- and one definition of an open failed record in every counter trigger (docs/SCHEMA.md).
-- Applied by core in one transaction with its schema_version row; every counter is recomputed
-- from the tables, so a database with data upgrades in place.

-- Writers wait while the counters are rebuilt; nobody changes a counted table in between.
LOCK TABLE user_migrations, model_progress, queue_jobs, failed_records IN SHARE MODE;

-- The v1 counter triggers go; the ones below (named counters_*) replace them.
DROP TRIGGER user_migrations_count_ins ON user_migrations;
DROP TRIGGER user_migrations_count_upd ON user_migrations;
DROP TRIGGER user_migrations_count_del ON user_migrations;
DROP TRIGGER model_progress_count_ins ON model_progress;
DROP TRIGGER model_progress_count_upd ON model_progress;
DROP TRIGGER model_progress_count_del ON model_progress;
DROP TRIGGER queue_jobs_count_ins ON queue_jobs;
DROP TRIGGER queue_jobs_count_upd ON queue_jobs;
DROP TRIGGER queue_jobs_count_del ON queue_jobs;
DROP TRIGGER failed_records_count_ins ON failed_records;
DROP TRIGGER failed_records_count_upd ON failed_records;
DROP TRIGGER failed_records_count_del ON failed_records;
DROP FUNCTION mc_count_user_statuses();
DROP FUNCTION mc_apply_model_deltas();
DROP FUNCTION mc_count_queue_jobs();
DROP FUNCTION mc_count_error_groups();

-- Striped counters: each key has up to 128 rows (stripes), one per writer session (its backend
-- pid modulo 128), summed when read. Concurrent writers add to different rows instead of queueing
-- behind one hot row until commit.
ALTER TABLE user_status_counts ADD COLUMN stripe SMALLINT NOT NULL DEFAULT 0;
ALTER TABLE user_status_counts DROP CONSTRAINT user_status_counts_pkey;
ALTER TABLE user_status_counts ADD PRIMARY KEY (source_portal, status, stripe);
ALTER TABLE model_totals ADD COLUMN stripe SMALLINT NOT NULL DEFAULT 0;
ALTER TABLE model_totals DROP CONSTRAINT model_totals_pkey;
ALTER TABLE model_totals ADD PRIMARY KEY (model_id, stripe);
ALTER TABLE queue_counts ADD COLUMN stripe SMALLINT NOT NULL DEFAULT 0;
ALTER TABLE queue_counts DROP CONSTRAINT queue_counts_pkey;
ALTER TABLE queue_counts ADD PRIMARY KEY (queue_name, stripe);

-- The stripe this session writes (MariaDB: CONNECTION_ID() % 128).
CREATE FUNCTION mc_counter_stripe() RETURNS SMALLINT LANGUAGE sql STABLE AS $$
    SELECT (pg_backend_pid() % 128)::smallint
$$;

-- The one definition of an open failed record (core: openFailureCondition): no resolution, and
-- its user not retried since it failed. user_retry is NULL when the user row is gone.
CREATE FUNCTION mc_failure_is_open(resolution VARCHAR, record_retry INTEGER, user_retry INTEGER)
RETURNS BOOLEAN LANGUAGE sql IMMUTABLE AS $$
    SELECT resolution IS NULL AND NOT coalesce(user_retry > record_retry, FALSE)
$$;

-- A change of a user's retry_count (the console's retry, or a worker that retries users itself)
-- moves the open counts of the user's error groups. A row trigger on that column alone, so the
-- workers' status changes never run it. The console's retry batch lowers the groups itself, once
-- per batch, and says so with SET LOCAL mc.counted_by_statement = 'on' (as @mc_counted_by_statement
-- on MariaDB); nobody else sets it.
CREATE FUNCTION mc_counters_user_retried() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE error_groups g SET unresolved = g.unresolved + d.delta
    FROM (SELECT f.fingerprint, f.model_id,
                 sum(mc_failure_is_open(f.resolution, f.retry_count, NEW.retry_count)::int
                     - mc_failure_is_open(f.resolution, f.retry_count, OLD.retry_count)::int)
                     AS delta
          FROM failed_records f
          WHERE f.source_portal = NEW.source_portal AND f.source_user_id = NEW.source_user_id
            AND f.resolution IS NULL
          GROUP BY 1, 2) d
    WHERE g.fingerprint = d.fingerprint AND g.model_id = d.model_id AND d.delta <> 0;
    RETURN NULL;
END $$;
CREATE TRIGGER counters_users_retried AFTER UPDATE OF retry_count ON user_migrations
    FOR EACH ROW WHEN (OLD.retry_count IS DISTINCT FROM NEW.retry_count
                       AND current_setting('mc.counted_by_statement', true) IS DISTINCT FROM 'on')
    EXECUTE FUNCTION mc_counters_user_retried();

-- Users by portal and status.
CREATE FUNCTION mc_counters_users() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    s SMALLINT := mc_counter_stripe();
BEGIN
    IF TG_OP = 'UPDATE' THEN
        INSERT INTO user_status_counts AS c (source_portal, status, stripe, users)
        SELECT source_portal, status, s, sum(delta) FROM (
            SELECT source_portal, status, -1 AS delta FROM old_rows
            UNION ALL
            SELECT source_portal, status, 1 FROM new_rows
        ) d GROUP BY source_portal, status HAVING sum(delta) <> 0 ORDER BY 1, 2
        ON CONFLICT (source_portal, status, stripe) DO UPDATE SET users = c.users + EXCLUDED.users;
    ELSIF TG_OP = 'INSERT' THEN
        INSERT INTO user_status_counts AS c (source_portal, status, stripe, users)
        SELECT source_portal, status, s, count(*) FROM new_rows GROUP BY 1, 2 ORDER BY 1, 2
        ON CONFLICT (source_portal, status, stripe) DO UPDATE SET users = c.users + EXCLUDED.users;
    ELSE
        INSERT INTO user_status_counts AS c (source_portal, status, stripe, users)
        SELECT source_portal, status, s, -count(*) FROM old_rows GROUP BY 1, 2 ORDER BY 1, 2
        ON CONFLICT (source_portal, status, stripe) DO UPDATE SET users = c.users + EXCLUDED.users;
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER counters_users_ins AFTER INSERT ON user_migrations
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION mc_counters_users();
CREATE TRIGGER counters_users_upd AFTER UPDATE ON user_migrations
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION mc_counters_users();
CREATE TRIGGER counters_users_del AFTER DELETE ON user_migrations
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION mc_counters_users();

-- Transition tables exist per operation (an INSERT trigger has no old_rows), hence three
-- branches; each adds the net change of its statement, one upsert per key, in key order.
CREATE FUNCTION mc_counters_models() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    s SMALLINT := mc_counter_stripe();
BEGIN
    IF TG_OP = 'UPDATE' THEN
        INSERT INTO model_totals AS t (model_id, stripe, users, records_total, serialized,
                                       created, failed)
        SELECT model_id, s, sum(u), sum(r), sum(se), sum(c), sum(f) FROM (
            SELECT model_id, -1 AS u, -records_total AS r, -serialized AS se, -created AS c,
                   -failed AS f FROM old_rows
            UNION ALL
            SELECT model_id, 1, records_total, serialized, created, failed FROM new_rows
        ) d GROUP BY model_id ORDER BY model_id
        ON CONFLICT (model_id, stripe) DO UPDATE SET
            users = t.users + EXCLUDED.users, records_total = t.records_total + EXCLUDED.records_total,
            serialized = t.serialized + EXCLUDED.serialized, created = t.created + EXCLUDED.created,
            failed = t.failed + EXCLUDED.failed;
    ELSIF TG_OP = 'INSERT' THEN
        INSERT INTO model_totals AS t (model_id, stripe, users, records_total, serialized,
                                       created, failed)
        SELECT model_id, s, count(*), sum(records_total), sum(serialized), sum(created),
               sum(failed)
        FROM new_rows GROUP BY model_id ORDER BY model_id
        ON CONFLICT (model_id, stripe) DO UPDATE SET
            users = t.users + EXCLUDED.users, records_total = t.records_total + EXCLUDED.records_total,
            serialized = t.serialized + EXCLUDED.serialized, created = t.created + EXCLUDED.created,
            failed = t.failed + EXCLUDED.failed;
    ELSE
        INSERT INTO model_totals AS t (model_id, stripe, users, records_total, serialized,
                                       created, failed)
        SELECT model_id, s, -count(*), -sum(records_total), -sum(serialized), -sum(created),
               -sum(failed)
        FROM old_rows GROUP BY model_id ORDER BY model_id
        ON CONFLICT (model_id, stripe) DO UPDATE SET
            users = t.users + EXCLUDED.users, records_total = t.records_total + EXCLUDED.records_total,
            serialized = t.serialized + EXCLUDED.serialized, created = t.created + EXCLUDED.created,
            failed = t.failed + EXCLUDED.failed;
    END IF;
    RETURN NULL;
END $$;

CREATE FUNCTION mc_counters_jobs() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    s SMALLINT := mc_counter_stripe();
BEGIN
    IF TG_OP = 'UPDATE' THEN
        INSERT INTO queue_counts AS q (queue_name, stripe, pending, running)
        SELECT queue_name, s, sum(p), sum(r) FROM (
            SELECT queue_name, -(state = 'pending')::int AS p, -(state = 'running')::int AS r
            FROM old_rows
            UNION ALL
            SELECT queue_name, (state = 'pending')::int, (state = 'running')::int FROM new_rows
        ) d GROUP BY queue_name HAVING sum(p) <> 0 OR sum(r) <> 0 ORDER BY queue_name
        ON CONFLICT (queue_name, stripe) DO UPDATE SET
            pending = q.pending + EXCLUDED.pending, running = q.running + EXCLUDED.running;
    ELSIF TG_OP = 'INSERT' THEN
        INSERT INTO queue_counts AS q (queue_name, stripe, pending, running)
        SELECT queue_name, s, count(*) FILTER (WHERE state = 'pending'),
               count(*) FILTER (WHERE state = 'running')
        FROM new_rows GROUP BY queue_name ORDER BY queue_name
        ON CONFLICT (queue_name, stripe) DO UPDATE SET
            pending = q.pending + EXCLUDED.pending, running = q.running + EXCLUDED.running;
    ELSE
        INSERT INTO queue_counts AS q (queue_name, stripe, pending, running)
        SELECT queue_name, s, -count(*) FILTER (WHERE state = 'pending'),
               -count(*) FILTER (WHERE state = 'running')
        FROM old_rows GROUP BY queue_name ORDER BY queue_name
        ON CONFLICT (queue_name, stripe) DO UPDATE SET
            pending = q.pending + EXCLUDED.pending, running = q.running + EXCLUDED.running;
    END IF;
    RETURN NULL;
END $$;

-- Error groups per (fingerprint, model): failures, open records (mc_failure_is_open, against the
-- user's current retry_count), first and last seen; one pattern per group, not per row.
CREATE FUNCTION mc_counters_failures() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' THEN
        INSERT INTO error_groups AS g (fingerprint, model_id, error_class, message_pattern,
                                       failures, unresolved, first_seen, last_seen)
        SELECT fingerprint, model_id, min(error_class), mc_message_pattern(min(message)), sum(n),
               sum(open), min(failed_at), max(failed_at)
        FROM (
            SELECT r.fingerprint, r.model_id, r.error_class, r.message, r.failed_at, -1 AS n,
                   -mc_failure_is_open(r.resolution, r.retry_count, u.retry_count)::int AS open
            FROM old_rows r LEFT JOIN user_migrations u
                ON u.source_portal = r.source_portal AND u.source_user_id = r.source_user_id
            UNION ALL
            SELECT r.fingerprint, r.model_id, r.error_class, r.message, r.failed_at, 1,
                   mc_failure_is_open(r.resolution, r.retry_count, u.retry_count)::int
            FROM new_rows r LEFT JOIN user_migrations u
                ON u.source_portal = r.source_portal AND u.source_user_id = r.source_user_id
        ) d GROUP BY fingerprint, model_id HAVING sum(n) <> 0 OR sum(open) <> 0 ORDER BY 1, 2
        ON CONFLICT (fingerprint, model_id) DO UPDATE SET
            failures = g.failures + EXCLUDED.failures,
            unresolved = g.unresolved + EXCLUDED.unresolved,
            first_seen = CASE WHEN TG_OP = 'DELETE' THEN g.first_seen
                              ELSE least(g.first_seen, EXCLUDED.first_seen) END,
            last_seen = CASE WHEN TG_OP = 'DELETE' THEN g.last_seen
                             ELSE greatest(g.last_seen, EXCLUDED.last_seen) END;
    ELSIF TG_OP = 'INSERT' THEN
        INSERT INTO error_groups AS g (fingerprint, model_id, error_class, message_pattern,
                                       failures, unresolved, first_seen, last_seen)
        SELECT r.fingerprint, r.model_id, min(r.error_class), mc_message_pattern(min(r.message)),
               count(*), count(*) FILTER (WHERE mc_failure_is_open(r.resolution, r.retry_count,
                                                                   u.retry_count)),
               min(r.failed_at), max(r.failed_at)
        FROM new_rows r LEFT JOIN user_migrations u
            ON u.source_portal = r.source_portal AND u.source_user_id = r.source_user_id
        GROUP BY 1, 2 ORDER BY 1, 2
        ON CONFLICT (fingerprint, model_id) DO UPDATE SET
            failures = g.failures + EXCLUDED.failures,
            unresolved = g.unresolved + EXCLUDED.unresolved,
            first_seen = CASE WHEN TG_OP = 'DELETE' THEN g.first_seen
                              ELSE least(g.first_seen, EXCLUDED.first_seen) END,
            last_seen = CASE WHEN TG_OP = 'DELETE' THEN g.last_seen
                             ELSE greatest(g.last_seen, EXCLUDED.last_seen) END;
    ELSE
        INSERT INTO error_groups AS g (fingerprint, model_id, error_class, message_pattern,
                                       failures, unresolved, first_seen, last_seen)
        SELECT r.fingerprint, r.model_id, min(r.error_class), mc_message_pattern(min(r.message)),
               -count(*), -count(*) FILTER (WHERE mc_failure_is_open(r.resolution, r.retry_count,
                                                                     u.retry_count)),
               min(r.failed_at), max(r.failed_at)
        FROM old_rows r LEFT JOIN user_migrations u
            ON u.source_portal = r.source_portal AND u.source_user_id = r.source_user_id
        GROUP BY 1, 2 ORDER BY 1, 2
        ON CONFLICT (fingerprint, model_id) DO UPDATE SET
            failures = g.failures + EXCLUDED.failures,
            unresolved = g.unresolved + EXCLUDED.unresolved,
            first_seen = CASE WHEN TG_OP = 'DELETE' THEN g.first_seen
                              ELSE least(g.first_seen, EXCLUDED.first_seen) END,
            last_seen = CASE WHEN TG_OP = 'DELETE' THEN g.last_seen
                             ELSE greatest(g.last_seen, EXCLUDED.last_seen) END;
    END IF;
    RETURN NULL;
END $$;

-- TRUNCATE fires no row or statement DML triggers: the table is empty, so are its counters.
CREATE FUNCTION mc_counters_truncated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_TABLE_NAME = 'user_migrations' THEN
        DELETE FROM user_status_counts;
    ELSIF TG_TABLE_NAME = 'model_progress' THEN
        DELETE FROM model_totals;
    ELSIF TG_TABLE_NAME = 'queue_jobs' THEN
        DELETE FROM queue_counts;
    ELSIF TG_TABLE_NAME = 'failed_records' THEN
        DELETE FROM error_groups;
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER counters_users_truncate AFTER TRUNCATE ON user_migrations
    FOR EACH STATEMENT EXECUTE FUNCTION mc_counters_truncated();

CREATE TRIGGER counters_models_ins AFTER INSERT ON model_progress
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION mc_counters_models();
CREATE TRIGGER counters_models_upd AFTER UPDATE ON model_progress
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION mc_counters_models();
CREATE TRIGGER counters_models_del AFTER DELETE ON model_progress
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION mc_counters_models();
CREATE TRIGGER counters_models_truncate AFTER TRUNCATE ON model_progress
    FOR EACH STATEMENT EXECUTE FUNCTION mc_counters_truncated();

CREATE TRIGGER counters_jobs_ins AFTER INSERT ON queue_jobs
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION mc_counters_jobs();
CREATE TRIGGER counters_jobs_upd AFTER UPDATE ON queue_jobs
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION mc_counters_jobs();
CREATE TRIGGER counters_jobs_del AFTER DELETE ON queue_jobs
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION mc_counters_jobs();
CREATE TRIGGER counters_jobs_truncate AFTER TRUNCATE ON queue_jobs
    FOR EACH STATEMENT EXECUTE FUNCTION mc_counters_truncated();

CREATE TRIGGER counters_failures_ins AFTER INSERT ON failed_records
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION mc_counters_failures();
CREATE TRIGGER counters_failures_upd AFTER UPDATE ON failed_records
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION mc_counters_failures();
CREATE TRIGGER counters_failures_del AFTER DELETE ON failed_records
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION mc_counters_failures();
CREATE TRIGGER counters_failures_truncate AFTER TRUNCATE ON failed_records
    FOR EACH STATEMENT EXECUTE FUNCTION mc_counters_truncated();

-- Every counter recomputed from the tables (v1 counters may have drifted, see docs/SCHEMA.md).
DELETE FROM user_status_counts;
INSERT INTO user_status_counts (source_portal, status, stripe, users)
SELECT source_portal, status, 0, count(*) FROM user_migrations GROUP BY 1, 2;
DELETE FROM model_totals;
INSERT INTO model_totals (model_id, stripe, users, records_total, serialized, created, failed)
SELECT model_id, 0, count(*), sum(records_total), sum(serialized), sum(created), sum(failed)
FROM model_progress GROUP BY model_id;
DELETE FROM queue_counts;
INSERT INTO queue_counts (queue_name, stripe, pending, running)
SELECT queue_name, 0, count(*) FILTER (WHERE state = 'pending'),
       count(*) FILTER (WHERE state = 'running')
FROM queue_jobs GROUP BY queue_name;
DELETE FROM error_groups;
INSERT INTO error_groups (fingerprint, model_id, error_class, message_pattern, failures,
                          unresolved, first_seen, last_seen)
SELECT f.fingerprint, f.model_id, min(f.error_class), mc_message_pattern(min(f.message)), count(*),
       count(*) FILTER (WHERE mc_failure_is_open(f.resolution, f.retry_count, u.retry_count)),
       min(f.failed_at), max(f.failed_at)
FROM failed_records f LEFT JOIN user_migrations u
    ON u.source_portal = f.source_portal AND u.source_user_id = f.source_user_id
GROUP BY f.fingerprint, f.model_id;
