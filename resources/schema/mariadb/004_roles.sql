-- Schema version 4, MariaDB 10.11: roles the server enforces, and an audit log nobody can forge or
-- edit (docs/SCHEMA.md, "Roles"; README, "Roles"). Statements are separated by lines "--@@".
--
--   mc_qa       reads every table (payloads included); writes audit entries (its exports)
--   mc_support  mc_qa + retries named users and marks failed records, only through the
--               SQL SECURITY DEFINER procedures below (no UPDATE on any table)
--   mc_lead     mc_support + queue settings, pause, rollout, counter repair
--   mc_worker   what the workers write (docs/SCHEMA.md, "Rules for writers"); no settings, no audit
--
-- Roles are global to the server, grants are per database (`ON *` is the current database).
-- Triggers and the procedures run as their DEFINER (the installing login), so the counters are kept
-- under every role without granting anyone write access to them. TRUNCATE needs DROP and fires no
-- trigger: no role has DROP. Between the "mc:roles" lines is what a DBA runs when the installing
-- login may not create roles (`migctl schema roles --print-sql`).
--@@
-- mc:roles begin
CREATE ROLE IF NOT EXISTS mc_qa
--@@
CREATE ROLE IF NOT EXISTS mc_support
--@@
CREATE ROLE IF NOT EXISTS mc_lead
--@@
CREATE ROLE IF NOT EXISTS mc_worker
--@@
GRANT mc_qa TO mc_support
--@@
GRANT mc_support TO mc_lead
--@@
-- mc:roles end
GRANT SELECT ON * TO mc_qa, mc_worker
--@@
-- Who and when are the server's (the trigger below), so no role may name them.
GRANT INSERT (os_user, action, target, before_state, after_state, reason) ON audit_log
    TO mc_qa, mc_worker
--@@
GRANT UPDATE ON queues TO mc_lead
--@@
GRANT UPDATE ON rollout_flags TO mc_lead
--@@
-- Counter repair rewrites the counters.
GRANT INSERT, UPDATE, DELETE ON user_status_counts TO mc_lead
--@@
GRANT INSERT, UPDATE, DELETE ON model_totals TO mc_lead
--@@
GRANT INSERT, UPDATE, DELETE ON queue_counts TO mc_lead
--@@
GRANT INSERT, UPDATE, DELETE ON error_groups TO mc_lead
--@@
GRANT INSERT, UPDATE, DELETE ON user_migrations TO mc_worker
--@@
GRANT INSERT, UPDATE, DELETE ON model_progress TO mc_worker
--@@
GRANT INSERT, UPDATE, DELETE ON failed_records TO mc_worker
--@@
GRANT INSERT, UPDATE, DELETE ON id_mappings TO mc_worker
--@@
GRANT INSERT, UPDATE, DELETE ON queue_jobs TO mc_worker
--@@
GRANT INSERT, UPDATE, DELETE ON throughput_samples TO mc_worker
--@@
-- A worker locks its own stripe of the model counters before changing progress.
GRANT EXECUTE ON FUNCTION mc_counter_stripe TO mc_worker
--@@
-- Whatever the client sends, who is the session's login (USER(): the client, also inside the
-- DEFINER procedures) and when is the server's clock (UTC, as every time column). One exception:
-- the login that installed the schema (this trigger's definer, CURRENT_USER() here), who could
-- drop the trigger anyway, may import history (a copy of another log, a test's seed) after
-- SET @mc_audit_import = 1.
CREATE OR REPLACE TRIGGER audit_log_stamp BEFORE INSERT ON audit_log FOR EACH ROW
BEGIN
    IF NOT (@mc_audit_import <=> 1
            AND SUBSTRING_INDEX(USER(), '@', 1) = SUBSTRING_INDEX(CURRENT_USER(), '@', 1)) THEN
        SET NEW.database_user = SUBSTRING_INDEX(USER(), '@', 1);
        SET NEW.at = UTC_TIMESTAMP(3);
    END IF;
END
--@@
-- The installing login importing history (above) may also back-date an entry; nobody deletes one.
CREATE OR REPLACE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log FOR EACH ROW
BEGIN
    IF NOT (@mc_audit_import <=> 1
            AND SUBSTRING_INDEX(USER(), '@', 1) = SUBSTRING_INDEX(CURRENT_USER(), '@', 1)) THEN
        SIGNAL SQLSTATE '42000' SET MESSAGE_TEXT = 'audit_log is append-only: UPDATE is refused for every role';
    END IF;
END
--@@
CREATE OR REPLACE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log FOR EACH ROW
    SIGNAL SQLSTATE '42000' SET MESSAGE_TEXT = 'audit_log is append-only: DELETE is refused for every role'
--@@
-- Moves the users of p_ids (one portal; ids comma-separated) that are failed back to pending with
-- a serialize job, keeping the counters as the console's retry did (docs/SCHEMA.md, "Counters"),
-- and writes the audit entry. p_found: a JSON array of [user id, status before] of every user
-- found, so the caller reports the others as not failed or not found. Nothing else of a user can
-- be changed through it. The caller's transaction holds it all.
CREATE OR REPLACE PROCEDURE mc_retry_users(IN p_portal VARCHAR(16) CHARACTER SET utf8mb4,
                                           IN p_ids LONGTEXT CHARACTER SET utf8mb4,
                                           IN p_reason LONGTEXT CHARACTER SET utf8mb4,
                                           IN p_os_user VARCHAR(255) CHARACTER SET utf8mb4,
                                           OUT p_found LONGTEXT CHARACTER SET utf8mb4)
SQL SECURITY DEFINER
proc: BEGIN
    DECLARE v_changed BIGINT DEFAULT 0;
    DECLARE EXIT HANDLER FOR SQLEXCEPTION
    BEGIN
        SET @mc_counted_by_statement = NULL;
        RESIGNAL;
    END;
    IF TRIM(COALESCE(p_reason, '')) = '' THEN
        SIGNAL SQLSTATE '22023' SET MESSAGE_TEXT = 'A reason is required; it goes into the audit log.';
    END IF;
    IF p_ids IS NULL OR p_ids NOT REGEXP '^[0-9]{1,18}(,[0-9]{1,18})*$' THEN
        SIGNAL SQLSTATE '22023' SET MESSAGE_TEXT = 'mc_retry_users: p_ids is a list of user ids, comma-separated';
    END IF;
    SET SESSION group_concat_max_len = 67108864;
    EXECUTE IMMEDIATE CONCAT('SELECT COUNT(*) INTO @mc_retry_locked FROM user_migrations ',
        'WHERE source_portal = ? AND source_user_id IN (', p_ids, ') FOR UPDATE') USING p_portal;
    EXECUTE IMMEDIATE CONCAT('SELECT JSON_ARRAYAGG(JSON_ARRAY(source_user_id, status)), ',
        'GROUP_CONCAT(IF(status = ''failed'', source_user_id, NULL) ORDER BY source_user_id) ',
        'INTO @mc_retry_found, @mc_retry_moved FROM user_migrations ',
        'WHERE source_portal = ? AND source_user_id IN (', p_ids, ')') USING p_portal;
    SET p_found = COALESCE(@mc_retry_found, '[]');
    IF @mc_retry_moved IS NULL THEN
        LEAVE proc;
    END IF;
    -- Their open records now count as retried: the groups' open counts drop once for the batch;
    -- the row triggers leave the counters to this procedure meanwhile.
    EXECUTE IMMEDIATE CONCAT('UPDATE error_groups g JOIN (SELECT f.fingerprint, f.model_id, ',
        'COUNT(*) AS n FROM failed_records f WHERE f.source_portal = ? AND f.source_user_id IN (',
        @mc_retry_moved, ') AND f.resolution IS NULL AND NOT EXISTS (SELECT 1 FROM ',
        'user_migrations ur WHERE ur.source_portal = f.source_portal AND ur.source_user_id = ',
        'f.source_user_id AND ur.retry_count > f.retry_count) GROUP BY f.fingerprint, ',
        'f.model_id) d ON g.fingerprint = d.fingerprint AND g.model_id = d.model_id ',
        'SET g.unresolved = g.unresolved - d.n') USING p_portal;
    SET @mc_counted_by_statement = 1;
    EXECUTE IMMEDIATE CONCAT('SELECT COUNT(*) INTO @mc_retry_jobs FROM queue_jobs WHERE ',
        'source_portal = ? AND source_user_id IN (', @mc_retry_moved, ') AND queue_name = ',
        '''serialize'' AND model_id = 0 AND state = ''pending''') USING p_portal;
    SET @mc_retry_jobs_before = @mc_retry_jobs;
    EXECUTE IMMEDIATE CONCAT('INSERT INTO queue_jobs (queue_name, source_portal, source_user_id) ',
        'SELECT ''serialize'', u.source_portal, u.source_user_id FROM user_migrations u WHERE ',
        'u.source_portal = ? AND u.source_user_id IN (', @mc_retry_moved, ') AND EXISTS ',
        '(SELECT 1 FROM queues q WHERE q.name = ''serialize'') ON DUPLICATE KEY UPDATE ',
        'attempts = queue_jobs.attempts') USING p_portal;
    EXECUTE IMMEDIATE CONCAT('UPDATE user_migrations SET status = ''pending'', phase = ',
        '''serialize'', finished_at = NULL, updated_at = CURRENT_TIMESTAMP(3), retry_count = ',
        'retry_count + 1, retried_at = CURRENT_TIMESTAMP(3), retried_by = ? WHERE ',
        'source_portal = ? AND source_user_id IN (', @mc_retry_moved, ') AND status = ''failed''')
        USING LEFT(CONCAT(SUBSTRING_INDEX(USER(), '@', 1), ' (', COALESCE(p_os_user, ''), ')'), 255),
              p_portal;
    SET v_changed = ROW_COUNT();
    EXECUTE IMMEDIATE CONCAT('SELECT COUNT(*) INTO @mc_retry_jobs FROM queue_jobs WHERE ',
        'source_portal = ? AND source_user_id IN (', @mc_retry_moved, ') AND queue_name = ',
        '''serialize'' AND model_id = 0 AND state = ''pending''') USING p_portal;
    INSERT INTO queue_counts (queue_name, stripe, pending, running)
    VALUES ('serialize', CONNECTION_ID() % 128, @mc_retry_jobs - @mc_retry_jobs_before, 0)
    ON DUPLICATE KEY UPDATE pending = pending + VALUES(pending);
    INSERT INTO user_status_counts (source_portal, status, stripe, users)
    VALUES (p_portal, 'failed', CONNECTION_ID() % 128, -v_changed),
           (p_portal, 'pending', CONNECTION_ID() % 128, v_changed)
    ON DUPLICATE KEY UPDATE users = users + VALUES(users);
    SET @mc_counted_by_statement = NULL;
    INSERT INTO audit_log (os_user, action, target, before_state, after_state, reason)
    VALUES (COALESCE(p_os_user, ''), 'retry_users', CONCAT(p_portal, ': ', v_changed, ' users'),
            '{"status":"failed"}',
            CONCAT('{"status":"pending","users":["', p_portal, ':',
                   REPLACE(@mc_retry_moved, ',', CONCAT('","', p_portal, ':')), '"]}'),
            p_reason);
END
--@@
-- Marks failed records ignored or resolved (p_to), or reopens them (p_to ''; p_only_from the
-- resolution to reopen, '' for either), writes the audit entry; p_changed: the ids it changed,
-- comma-separated (NULL: none). A record its user's retry resolved stays retried.
CREATE OR REPLACE PROCEDURE mc_set_resolution(IN p_ids LONGTEXT CHARACTER SET utf8mb4,
                                              IN p_to VARCHAR(16) CHARACTER SET utf8mb4,
                                              IN p_only_from VARCHAR(16) CHARACTER SET utf8mb4,
                                              IN p_reason LONGTEXT CHARACTER SET utf8mb4,
                                              IN p_os_user VARCHAR(255) CHARACTER SET utf8mb4,
                                              OUT p_changed LONGTEXT CHARACTER SET utf8mb4)
SQL SECURITY DEFINER
proc: BEGIN
    IF TRIM(COALESCE(p_reason, '')) = '' THEN
        SIGNAL SQLSTATE '22023' SET MESSAGE_TEXT = 'A reason is required; it goes into the audit log.';
    END IF;
    IF p_ids IS NULL OR p_ids NOT REGEXP '^[0-9]{1,18}(,[0-9]{1,18})*$'
       OR p_to NOT IN ('', 'ignored', 'resolved') OR p_only_from NOT IN ('', 'ignored', 'resolved') THEN
        SIGNAL SQLSTATE '22023' SET MESSAGE_TEXT = 'mc_set_resolution: invalid ids or resolution';
    END IF;
    SET SESSION group_concat_max_len = 67108864;
    EXECUTE IMMEDIATE CONCAT('SELECT COUNT(*) INTO @mc_res_locked FROM failed_records f WHERE ',
        'f.id IN (', p_ids, ') FOR UPDATE');
    EXECUTE IMMEDIATE CONCAT('SELECT GROUP_CONCAT(f.id ORDER BY f.id), COUNT(*) ',
        'INTO @mc_res_ids, @mc_res_n FROM failed_records f WHERE f.id IN (', p_ids, ') AND ',
        'CASE WHEN ? <> '''' THEN f.resolution IS NULL WHEN ? <> '''' THEN f.resolution = ? ',
        'ELSE f.resolution IN (''ignored'', ''resolved'') END AND NOT EXISTS (SELECT 1 FROM ',
        'user_migrations ur WHERE ur.source_portal = f.source_portal AND ur.source_user_id = ',
        'f.source_user_id AND ur.retry_count > f.retry_count)')
        USING p_to, p_only_from, p_only_from;
    SET p_changed = @mc_res_ids;
    IF @mc_res_ids IS NULL THEN
        LEAVE proc;
    END IF;
    IF p_to = '' THEN
        EXECUTE IMMEDIATE CONCAT('UPDATE failed_records SET resolution = NULL, resolved_by = NULL, ',
            'resolved_at = NULL WHERE id IN (', @mc_res_ids, ')');
    ELSE
        EXECUTE IMMEDIATE CONCAT('UPDATE failed_records SET resolution = ?, resolved_by = ?, ',
            'resolved_at = CURRENT_TIMESTAMP(3) WHERE id IN (', @mc_res_ids, ')')
            USING p_to, LEFT(CONCAT(SUBSTRING_INDEX(USER(), '@', 1), ' (', COALESCE(p_os_user, ''),
                                   ')'), 255);
    END IF;
    INSERT INTO audit_log (os_user, action, target, before_state, after_state, reason)
    VALUES (COALESCE(p_os_user, ''), IF(p_to = '', 'reopen_failures', 'resolve_failures'),
            CONCAT(@mc_res_n, ' failed records'),
            CASE WHEN p_to <> '' THEN '{"resolution":null}'
                 WHEN p_only_from <> '' THEN CONCAT('{"resolution":"', p_only_from, '"}')
                 ELSE '{"resolution":"ignored or resolved"}' END,
            CONCAT('{"failures":["', REPLACE(@mc_res_ids, ',', '","'), '"],"resolution":',
                   IF(p_to = '', 'null', CONCAT('"', p_to, '"')), '}'),
            p_reason);
END
--@@
GRANT EXECUTE ON PROCEDURE mc_retry_users TO mc_support
--@@
GRANT EXECUTE ON PROCEDURE mc_set_resolution TO mc_support
