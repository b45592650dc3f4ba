-- Schema version 4, PostgreSQL 15: roles the server enforces, and an audit log nobody can forge or
-- edit (docs/SCHEMA.md, "Roles"; README, "Roles").
--
--   mc_qa       reads every table (payloads included); writes audit entries (its exports)
--   mc_support  mc_qa + retries named users and marks failed records, only through the
--               SECURITY DEFINER functions below (no UPDATE on any table)
--   mc_lead     mc_support + queue settings, pause, rollout, counter repair
--   mc_worker   what the workers write (docs/SCHEMA.md, "Rules for writers"); no settings, no audit
--
-- Roles are global to the server, grants are per database: creating a role is idempotent, so the
-- same server may hold many merge databases. Between the "mc:roles" lines is what a DBA runs when
-- the installing login may not create roles (`migctl schema roles --print-sql`).
-- mc:roles begin
DO $$
DECLARE
    r TEXT;
BEGIN
    FOREACH r IN ARRAY ARRAY['mc_qa', 'mc_support', 'mc_lead', 'mc_worker'] LOOP
        IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = r) THEN
            IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = current_user
                           AND (rolsuper OR rolcreaterole)) THEN
                RAISE EXCEPTION 'The role % does not exist and the login % may not create roles. '
                    'Ask a DBA to run the statements printed by `migctl schema roles --print-sql`, '
                    'then install or upgrade again.', r, current_user
                    USING ERRCODE = '42501';
            END IF;
            EXECUTE format('CREATE ROLE %I NOLOGIN', r);
        END IF;
    END LOOP;
    IF NOT pg_has_role('mc_support', 'mc_qa', 'MEMBER') THEN
        GRANT mc_qa TO mc_support;
    END IF;
    IF NOT pg_has_role('mc_lead', 'mc_support', 'MEMBER') THEN
        GRANT mc_support TO mc_lead;
    END IF;
END $$;
-- mc:roles end

-- Per database. Nothing is granted to PUBLIC; functions are EXECUTE-able by PUBLIC by default, so
-- the two that write on the caller's behalf are revoked from it below.
GRANT USAGE ON SCHEMA public TO mc_qa, mc_worker;
GRANT SELECT ON ALL TABLES IN SCHEMA public TO mc_qa, mc_worker;
-- Who and when are the server's (the trigger below), so no role may name them.
GRANT INSERT (os_user, action, target, before_state, after_state, reason) ON audit_log
    TO mc_qa, mc_worker;
GRANT UPDATE ON queues, rollout_flags TO mc_lead;
-- Counter repair rewrites the counters under a lock of the counted tables.
GRANT INSERT, UPDATE, DELETE ON user_status_counts, model_totals, queue_counts, error_groups
    TO mc_lead;
GRANT INSERT, UPDATE, DELETE ON user_migrations, model_progress, failed_records, id_mappings,
    queue_jobs, throughput_samples TO mc_worker;
-- A claim locks its queue row (SELECT … FOR UPDATE needs UPDATE on one column); updated_at is
-- the one column a worker may touch, and the audit of settings does not rely on it.
GRANT UPDATE (updated_at) ON queues TO mc_worker;
-- Likewise a worker locks its stripe of the model counters in id order before changing progress
-- (docs/SCHEMA.md, "Counters"); moving a row to another stripe changes no sum.
GRANT UPDATE (stripe) ON model_totals TO mc_worker;
REVOKE UPDATE, DELETE, TRUNCATE ON audit_log FROM PUBLIC, mc_qa, mc_support, mc_lead, mc_worker;

-- The counter triggers run as the schema's owner: no role needs (or gets) write access to the
-- counter tables, so nobody can set a counter with plain SQL, yet every role's writes are counted.
-- A fixed search_path keeps a caller's objects out of them.
ALTER FUNCTION mc_counters_users() SECURITY DEFINER SET search_path = public, pg_temp;
ALTER FUNCTION mc_counters_models() SECURITY DEFINER SET search_path = public, pg_temp;
ALTER FUNCTION mc_counters_jobs() SECURITY DEFINER SET search_path = public, pg_temp;
ALTER FUNCTION mc_counters_failures() SECURITY DEFINER SET search_path = public, pg_temp;
ALTER FUNCTION mc_counters_truncated() SECURITY DEFINER SET search_path = public, pg_temp;
ALTER FUNCTION mc_counters_user_retried() SECURITY DEFINER SET search_path = public, pg_temp;

-- ---- the audit log: server-stamped, append-only ------------------------------------------------

-- Whatever the client sends, who is the session's login (session_user: also inside the SECURITY
-- DEFINER functions below) and when is the server's clock. One exception: the table's owner, who
-- could drop this trigger anyway, may import history (a copy of another database's log, a test's
-- seed) after SET LOCAL mc.audit_import = 'on'.
CREATE OR REPLACE FUNCTION mc_audit_stamp() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF current_setting('mc.audit_import', true) = 'on'
       AND pg_has_role(session_user, (SELECT c.relowner FROM pg_class c
                                      WHERE c.oid = TG_RELID), 'MEMBER') THEN
        RETURN NEW;
    END IF;
    NEW.database_user := session_user;
    NEW.at := now();
    RETURN NEW;
END $$;
CREATE OR REPLACE TRIGGER audit_log_stamp BEFORE INSERT ON audit_log
    FOR EACH ROW EXECUTE FUNCTION mc_audit_stamp();

-- The owner importing history (above) may also back-date an entry; nobody deletes one.
CREATE OR REPLACE FUNCTION mc_audit_refuse() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND current_setting('mc.audit_import', true) = 'on'
       AND pg_has_role(session_user, (SELECT c.relowner FROM pg_class c
                                      WHERE c.oid = TG_RELID), 'MEMBER') THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'audit_log is append-only: % is refused for every role', TG_OP
        USING ERRCODE = '42501';
END $$;
CREATE OR REPLACE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION mc_audit_refuse();
CREATE OR REPLACE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION mc_audit_refuse();

-- ---- support's writes, with the owner's rights -------------------------------------------------

-- Moves the users of p_ids (one portal) that are failed back to pending with a serialize job, as
-- the console's retry did in its own transaction (docs/SCHEMA.md, "Counters"), and writes the
-- audit entry. Returns every user found with its status before, so the caller reports the others
-- as not failed or not found. Nothing else of a user can be changed through it.
CREATE OR REPLACE FUNCTION mc_retry_users(p_portal VARCHAR, p_ids BIGINT[], p_reason TEXT, p_os_user VARCHAR)
RETURNS TABLE (user_id BIGINT, status_before VARCHAR)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    v_moved BIGINT[];
    v_changed BIGINT;
BEGIN
    IF coalesce(btrim(p_reason), '') = '' THEN
        RAISE EXCEPTION 'A reason is required; it goes into the audit log.' USING ERRCODE = '22023';
    END IF;
    RETURN QUERY SELECT u.source_user_id, u.status FROM user_migrations u
        WHERE u.source_portal = p_portal AND u.source_user_id = ANY (p_ids)
        ORDER BY u.source_user_id FOR UPDATE;
    SELECT array_agg(u.source_user_id ORDER BY u.source_user_id) INTO v_moved
    FROM user_migrations u
    WHERE u.source_portal = p_portal AND u.source_user_id = ANY (p_ids) AND u.status = 'failed';
    IF v_moved IS NULL THEN
        RETURN;
    END IF;
    -- Their open records now count as retried: the groups' open counts drop once for the batch,
    -- and the per-user retry_count trigger leaves this transaction alone.
    UPDATE error_groups g SET unresolved = g.unresolved - d.n
    FROM (SELECT f.fingerprint, f.model_id, count(*) AS n FROM failed_records f
          WHERE f.source_portal = p_portal AND f.source_user_id = ANY (v_moved)
            AND f.resolution IS NULL
            AND NOT EXISTS (SELECT 1 FROM user_migrations ur WHERE ur.source_portal = f.source_portal
                            AND ur.source_user_id = f.source_user_id
                            AND ur.retry_count > f.retry_count)
          GROUP BY f.fingerprint, f.model_id) d
    WHERE g.fingerprint = d.fingerprint AND g.model_id = d.model_id;
    PERFORM set_config('mc.counted_by_statement', 'on', true);
    INSERT INTO queue_jobs (queue_name, source_portal, source_user_id)
    SELECT 'serialize', p_portal, m FROM unnest(v_moved) AS m
    WHERE EXISTS (SELECT 1 FROM queues q WHERE q.name = 'serialize')
    ON CONFLICT DO NOTHING;
    UPDATE user_migrations SET status = 'pending', phase = 'serialize', finished_at = NULL,
           updated_at = CURRENT_TIMESTAMP(3), retry_count = retry_count + 1,
           retried_at = CURRENT_TIMESTAMP(3),
           retried_by = left(session_user || ' (' || coalesce(p_os_user, '') || ')', 255)
    WHERE source_portal = p_portal AND source_user_id = ANY (v_moved) AND status = 'failed';
    GET DIAGNOSTICS v_changed = ROW_COUNT;
    INSERT INTO audit_log (os_user, action, target, before_state, after_state, reason)
    VALUES (coalesce(p_os_user, ''), 'retry_users', p_portal || ': ' || v_changed || ' users',
            '{"status":"failed"}',
            '{"status":"pending","users":['
                || (SELECT string_agg('"' || p_portal || ':' || m || '"', ',')
                    FROM unnest(v_moved) AS m) || ']}',
            p_reason);
END $$;

-- Marks failed records ignored or resolved (p_to), or reopens them (p_to ''; p_only_from the
-- resolution to reopen, '' for either), writes the audit entry and returns the ids it changed.
-- A record its user's retry resolved stays retried.
CREATE OR REPLACE FUNCTION mc_set_resolution(p_ids BIGINT[], p_to VARCHAR, p_only_from VARCHAR,
                                  p_reason TEXT, p_os_user VARCHAR)
RETURNS SETOF BIGINT
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    v_ids BIGINT[];
BEGIN
    IF coalesce(btrim(p_reason), '') = '' THEN
        RAISE EXCEPTION 'A reason is required; it goes into the audit log.' USING ERRCODE = '22023';
    END IF;
    IF p_to NOT IN ('', 'ignored', 'resolved') OR p_only_from NOT IN ('', 'ignored', 'resolved') THEN
        RAISE EXCEPTION 'unknown resolution' USING ERRCODE = '22023';
    END IF;
    SELECT array_agg(id ORDER BY id) INTO v_ids FROM (
        SELECT f.id FROM failed_records f
        WHERE f.id = ANY (p_ids)
          AND CASE WHEN p_to <> '' THEN f.resolution IS NULL
                   WHEN p_only_from <> '' THEN f.resolution = p_only_from
                   ELSE f.resolution IN ('ignored', 'resolved') END
          AND NOT EXISTS (SELECT 1 FROM user_migrations ur WHERE ur.source_portal = f.source_portal
                          AND ur.source_user_id = f.source_user_id
                          AND ur.retry_count > f.retry_count)
        ORDER BY f.id FOR UPDATE) locked;
    IF v_ids IS NULL THEN
        RETURN;
    END IF;
    IF p_to = '' THEN
        UPDATE failed_records SET resolution = NULL, resolved_by = NULL, resolved_at = NULL
        WHERE id = ANY (v_ids);
    ELSE
        UPDATE failed_records SET resolution = p_to, resolved_at = CURRENT_TIMESTAMP(3),
               resolved_by = left(session_user || ' (' || coalesce(p_os_user, '') || ')', 255)
        WHERE id = ANY (v_ids);
    END IF;
    INSERT INTO audit_log (os_user, action, target, before_state, after_state, reason)
    VALUES (coalesce(p_os_user, ''),
            CASE WHEN p_to = '' THEN 'reopen_failures' ELSE 'resolve_failures' END,
            cardinality(v_ids) || ' failed records',
            CASE WHEN p_to <> '' THEN '{"resolution":null}'
                 WHEN p_only_from <> '' THEN '{"resolution":"' || p_only_from || '"}'
                 ELSE '{"resolution":"ignored or resolved"}' END,
            '{"failures":[' || (SELECT string_agg('"' || i || '"', ',') FROM unnest(v_ids) AS i)
                || '],"resolution":'
                || CASE WHEN p_to = '' THEN 'null' ELSE '"' || p_to || '"' END || '}',
            p_reason);
    RETURN QUERY SELECT unnest(v_ids);
END $$;

-- Counter repair makes the writers of the counted tables wait while it recomputes (a SHARE lock,
-- held until the caller's transaction ends). The lock needs UPDATE on those tables, which the lead
-- who repairs must not have: this takes it with the owner's rights, on those tables only.
CREATE OR REPLACE FUNCTION mc_lock_counted_tables(p_tables TEXT) RETURNS VOID
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    t TEXT;
BEGIN
    FOREACH t IN ARRAY string_to_array(p_tables, ',') LOOP
        IF t NOT IN ('user_migrations', 'model_progress', 'queue_jobs', 'failed_records') THEN
            RAISE EXCEPTION 'mc_lock_counted_tables: % is not a counted table', t
                USING ERRCODE = '22023';
        END IF;
        EXECUTE format('LOCK TABLE %I IN SHARE MODE', t);
    END LOOP;
END $$;
REVOKE EXECUTE ON FUNCTION mc_lock_counted_tables(TEXT) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION mc_lock_counted_tables(TEXT) TO mc_lead;

REVOKE EXECUTE ON FUNCTION mc_retry_users(VARCHAR, BIGINT[], TEXT, VARCHAR),
    mc_set_resolution(BIGINT[], VARCHAR, VARCHAR, TEXT, VARCHAR) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION mc_retry_users(VARCHAR, BIGINT[], TEXT, VARCHAR),
    mc_set_resolution(BIGINT[], VARCHAR, VARCHAR, TEXT, VARCHAR) TO mc_support;
