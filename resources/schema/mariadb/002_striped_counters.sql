-- Migration Console merge database, schema version 2, MariaDB 10.11: counters without hot rows,
-- and one definition of an open failed record in every counter trigger (docs/SCHEMA.md).
-- Statements are separated by lines holding only "--@@". MariaDB commits each DDL statement on
-- its own: stop the writers while it runs (docs/SCHEMA.md), then `migctl verify`. Every counter
-- is recomputed from the tables at the end, so a database with data upgrades in place.
--@@
-- The v1 counter triggers go; the ones below (named counters_*) replace them.
DROP TRIGGER IF EXISTS user_migrations_count_ins
--@@
DROP TRIGGER IF EXISTS user_migrations_count_upd
--@@
DROP TRIGGER IF EXISTS user_migrations_count_del
--@@
DROP TRIGGER IF EXISTS model_progress_count_ins
--@@
DROP TRIGGER IF EXISTS model_progress_count_upd
--@@
DROP TRIGGER IF EXISTS model_progress_count_del
--@@
DROP TRIGGER IF EXISTS queue_jobs_count_ins
--@@
DROP TRIGGER IF EXISTS queue_jobs_count_upd
--@@
DROP TRIGGER IF EXISTS queue_jobs_count_del
--@@
DROP TRIGGER IF EXISTS failed_records_count_ins
--@@
DROP TRIGGER IF EXISTS failed_records_count_upd
--@@
DROP TRIGGER IF EXISTS failed_records_count_del
--@@
-- Striped counters: each key has up to 128 rows (stripes), one per writer session
-- (CONNECTION_ID() % 128), summed when read, so concurrent writers do not queue on one hot row.
ALTER TABLE user_status_counts ADD COLUMN stripe SMALLINT NOT NULL DEFAULT 0 AFTER status,
    DROP PRIMARY KEY, ADD PRIMARY KEY (source_portal, status, stripe)
--@@
ALTER TABLE model_totals ADD COLUMN stripe SMALLINT NOT NULL DEFAULT 0 AFTER model_id,
    DROP PRIMARY KEY, ADD PRIMARY KEY (model_id, stripe)
--@@
ALTER TABLE queue_counts ADD COLUMN stripe SMALLINT NOT NULL DEFAULT 0 AFTER queue_name,
    DROP PRIMARY KEY, ADD PRIMARY KEY (queue_name, stripe)
--@@
-- The stripe this session writes, for clients (the triggers inline the expression).
CREATE FUNCTION mc_counter_stripe() RETURNS SMALLINT NOT DETERMINISTIC NO SQL
RETURN CONNECTION_ID() % 128
--@@
CREATE TRIGGER counters_users_ins AFTER INSERT ON user_migrations FOR EACH ROW
    INSERT INTO user_status_counts (source_portal, status, stripe, users)
    VALUES (NEW.source_portal, NEW.status, CONNECTION_ID() % 128, 1)
    ON DUPLICATE KEY UPDATE users = users + 1
--@@
-- @mc_counted_by_statement: a batch of the console's retry (store_writes.cpp) keeps these
-- counters and the error groups itself, once per batch, in the same transaction.
-- A change of retry_count (a worker retrying users itself) moves the open counts of the user's
-- error groups: a record is open while its retry_count is not below its user's.
CREATE TRIGGER counters_users_upd AFTER UPDATE ON user_migrations FOR EACH ROW
BEGIN
    IF @mc_counted_by_statement IS NULL THEN
        IF NEW.retry_count <> OLD.retry_count THEN
            UPDATE error_groups g JOIN (
                SELECT f.fingerprint, f.model_id,
                       SUM((f.retry_count >= NEW.retry_count) - (f.retry_count >= OLD.retry_count))
                           AS delta
                FROM failed_records f
                WHERE f.source_portal = NEW.source_portal AND f.source_user_id = NEW.source_user_id
                  AND f.resolution IS NULL
                GROUP BY f.fingerprint, f.model_id) d
              ON g.fingerprint = d.fingerprint AND g.model_id = d.model_id
            SET g.unresolved = g.unresolved + d.delta WHERE d.delta <> 0;
        END IF;
        IF NEW.status <> OLD.status OR NEW.source_portal <> OLD.source_portal THEN
            INSERT INTO user_status_counts (source_portal, status, stripe, users)
            VALUES (OLD.source_portal, OLD.status, CONNECTION_ID() % 128, -1)
            ON DUPLICATE KEY UPDATE users = users - 1;
            INSERT INTO user_status_counts (source_portal, status, stripe, users)
            VALUES (NEW.source_portal, NEW.status, CONNECTION_ID() % 128, 1)
            ON DUPLICATE KEY UPDATE users = users + 1;
        END IF;
    END IF;
END
--@@
CREATE TRIGGER counters_users_del AFTER DELETE ON user_migrations FOR EACH ROW
    INSERT INTO user_status_counts (source_portal, status, stripe, users)
    VALUES (OLD.source_portal, OLD.status, CONNECTION_ID() % 128, -1)
    ON DUPLICATE KEY UPDATE users = users - 1
--@@
CREATE TRIGGER counters_models_ins AFTER INSERT ON model_progress FOR EACH ROW
    INSERT INTO model_totals (model_id, stripe, users, records_total, serialized, created, failed)
    VALUES (NEW.model_id, CONNECTION_ID() % 128, 1, NEW.records_total, NEW.serialized, NEW.created,
            NEW.failed)
    ON DUPLICATE KEY UPDATE users = users + VALUES(users),
        records_total = records_total + VALUES(records_total),
        serialized = serialized + VALUES(serialized), created = created + VALUES(created),
        failed = failed + VALUES(failed)
--@@
-- A progress update adds its differences to its model's stripe: one upsert.
CREATE TRIGGER counters_models_upd AFTER UPDATE ON model_progress FOR EACH ROW
BEGIN
    IF NEW.model_id = OLD.model_id THEN
        INSERT INTO model_totals (model_id, stripe, users, records_total, serialized, created,
                                  failed)
        VALUES (NEW.model_id, CONNECTION_ID() % 128, 0, NEW.records_total - OLD.records_total,
                NEW.serialized - OLD.serialized, NEW.created - OLD.created,
                NEW.failed - OLD.failed)
        ON DUPLICATE KEY UPDATE users = users + VALUES(users),
            records_total = records_total + VALUES(records_total),
            serialized = serialized + VALUES(serialized), created = created + VALUES(created),
            failed = failed + VALUES(failed);
    ELSE
        INSERT INTO model_totals (model_id, stripe, users, records_total, serialized, created, failed)
            VALUES (OLD.model_id, CONNECTION_ID() % 128, -1, -OLD.records_total, -OLD.serialized, -OLD.created,
                    -OLD.failed)
            ON DUPLICATE KEY UPDATE users = users + VALUES(users),
                records_total = records_total + VALUES(records_total),
                serialized = serialized + VALUES(serialized), created = created + VALUES(created),
                failed = failed + VALUES(failed);
        INSERT INTO model_totals (model_id, stripe, users, records_total, serialized, created, failed)
            VALUES (NEW.model_id, CONNECTION_ID() % 128, 1, NEW.records_total, NEW.serialized, NEW.created,
                    NEW.failed)
            ON DUPLICATE KEY UPDATE users = users + VALUES(users),
                records_total = records_total + VALUES(records_total),
                serialized = serialized + VALUES(serialized), created = created + VALUES(created),
                failed = failed + VALUES(failed);
    END IF;
END
--@@
CREATE TRIGGER counters_models_del AFTER DELETE ON model_progress FOR EACH ROW
    INSERT INTO model_totals (model_id, stripe, users, records_total, serialized, created, failed)
    VALUES (OLD.model_id, CONNECTION_ID() % 128, -1, -OLD.records_total, -OLD.serialized, -OLD.created,
            -OLD.failed)
    ON DUPLICATE KEY UPDATE users = users + VALUES(users),
        records_total = records_total + VALUES(records_total),
        serialized = serialized + VALUES(serialized), created = created + VALUES(created),
        failed = failed + VALUES(failed)
--@@
CREATE TRIGGER counters_jobs_ins AFTER INSERT ON queue_jobs FOR EACH ROW
BEGIN
    IF @mc_counted_by_statement IS NULL THEN
        INSERT INTO queue_counts (queue_name, stripe, pending, running)
            VALUES (NEW.queue_name, CONNECTION_ID() % 128, (NEW.state = 'pending'), (NEW.state = 'running'))
            ON DUPLICATE KEY UPDATE pending = pending + VALUES(pending), running = running + VALUES(running);
    END IF;
END
--@@
CREATE TRIGGER counters_jobs_upd AFTER UPDATE ON queue_jobs FOR EACH ROW
BEGIN
    IF NEW.state <> OLD.state OR NEW.queue_name <> OLD.queue_name THEN
        INSERT INTO queue_counts (queue_name, stripe, pending, running)
            VALUES (OLD.queue_name, CONNECTION_ID() % 128, -(OLD.state = 'pending'), -(OLD.state = 'running'))
            ON DUPLICATE KEY UPDATE pending = pending + VALUES(pending), running = running + VALUES(running);
        INSERT INTO queue_counts (queue_name, stripe, pending, running)
            VALUES (NEW.queue_name, CONNECTION_ID() % 128, (NEW.state = 'pending'), (NEW.state = 'running'))
            ON DUPLICATE KEY UPDATE pending = pending + VALUES(pending), running = running + VALUES(running);
    END IF;
END
--@@
CREATE TRIGGER counters_jobs_del AFTER DELETE ON queue_jobs FOR EACH ROW
    INSERT INTO queue_counts (queue_name, stripe, pending, running)
    VALUES (OLD.queue_name, CONNECTION_ID() % 128, -(OLD.state = 'pending'), -(OLD.state = 'running'))
    ON DUPLICATE KEY UPDATE pending = pending + VALUES(pending), running = running + VALUES(running)
--@@
-- Error groups per (fingerprint, model). A record is open when it has no resolution and its
-- user was not retried since it failed (user retry_count above the record's): the definition of
-- core's openFailureCondition, in every trigger below.
CREATE TRIGGER counters_failures_ins AFTER INSERT ON failed_records FOR EACH ROW
BEGIN
    DECLARE is_open TINYINT;
    SET is_open = NEW.resolution IS NULL AND NOT COALESCE((SELECT u.retry_count > NEW.retry_count FROM user_migrations u
                WHERE u.source_portal = NEW.source_portal AND u.source_user_id = NEW.source_user_id), FALSE);
    INSERT INTO error_groups (fingerprint, model_id, error_class, message_pattern, failures,
                              unresolved, first_seen, last_seen)
    VALUES (NEW.fingerprint, NEW.model_id, NEW.error_class, mc_message_pattern(NEW.message), 1,
            is_open, NEW.failed_at, NEW.failed_at)
    ON DUPLICATE KEY UPDATE failures = failures + 1, unresolved = unresolved + VALUES(unresolved),
        first_seen = LEAST(first_seen, VALUES(first_seen)),
        last_seen = GREATEST(last_seen, VALUES(last_seen));
END
--@@
CREATE TRIGGER counters_failures_upd AFTER UPDATE ON failed_records FOR EACH ROW
BEGIN
    DECLARE old_open TINYINT;
    DECLARE new_open TINYINT;
    SET old_open = OLD.resolution IS NULL AND NOT COALESCE((SELECT u.retry_count > OLD.retry_count FROM user_migrations u
                WHERE u.source_portal = OLD.source_portal AND u.source_user_id = OLD.source_user_id), FALSE);
    SET new_open = NEW.resolution IS NULL AND NOT COALESCE((SELECT u.retry_count > NEW.retry_count FROM user_migrations u
                WHERE u.source_portal = NEW.source_portal AND u.source_user_id = NEW.source_user_id), FALSE);
    IF NEW.fingerprint = OLD.fingerprint AND NEW.model_id = OLD.model_id THEN
        -- A resolution only moves the open count of the same group (no pattern to compute).
        IF new_open <> old_open THEN
            UPDATE error_groups SET unresolved = unresolved + new_open - old_open
            WHERE fingerprint = NEW.fingerprint AND model_id = NEW.model_id;
        END IF;
    ELSE
        UPDATE error_groups SET failures = failures - 1, unresolved = unresolved - old_open
        WHERE fingerprint = OLD.fingerprint AND model_id = OLD.model_id;
        INSERT INTO error_groups (fingerprint, model_id, error_class, message_pattern, failures,
                                  unresolved, first_seen, last_seen)
        VALUES (NEW.fingerprint, NEW.model_id, NEW.error_class, mc_message_pattern(NEW.message), 1,
                new_open, NEW.failed_at, NEW.failed_at)
        ON DUPLICATE KEY UPDATE failures = failures + 1, unresolved = unresolved + VALUES(unresolved),
            first_seen = LEAST(first_seen, VALUES(first_seen)),
            last_seen = GREATEST(last_seen, VALUES(last_seen));
    END IF;
END
--@@
CREATE TRIGGER counters_failures_del AFTER DELETE ON failed_records FOR EACH ROW
BEGIN
    DECLARE is_open TINYINT;
    SET is_open = OLD.resolution IS NULL AND NOT COALESCE((SELECT u.retry_count > OLD.retry_count FROM user_migrations u
                WHERE u.source_portal = OLD.source_portal AND u.source_user_id = OLD.source_user_id), FALSE);
    UPDATE error_groups SET failures = failures - 1, unresolved = unresolved - is_open
    WHERE fingerprint = OLD.fingerprint AND model_id = OLD.model_id;
END
--@@
-- Every counter recomputed from the tables (v1 counters may have drifted, see docs/SCHEMA.md).
-- TRUNCATE fires no trigger on MariaDB: `migctl verify` finds what it leaves behind.
DELETE FROM user_status_counts
--@@
INSERT INTO user_status_counts (source_portal, status, stripe, users)
SELECT source_portal, status, 0, COUNT(*) FROM user_migrations GROUP BY source_portal, status
--@@
DELETE FROM model_totals
--@@
INSERT INTO model_totals (model_id, stripe, users, records_total, serialized, created, failed)
SELECT model_id, 0, COUNT(*), SUM(records_total), SUM(serialized), SUM(created), SUM(failed)
FROM model_progress GROUP BY model_id
--@@
DELETE FROM queue_counts
--@@
INSERT INTO queue_counts (queue_name, stripe, pending, running)
SELECT queue_name, 0, SUM(state = 'pending'), SUM(state = 'running') FROM queue_jobs GROUP BY queue_name
--@@
DELETE FROM error_groups
--@@
INSERT INTO error_groups (fingerprint, model_id, error_class, message_pattern, failures,
                          unresolved, first_seen, last_seen)
SELECT f.fingerprint, f.model_id, MIN(f.error_class), mc_message_pattern(MIN(f.message)), COUNT(*),
       SUM(f.resolution IS NULL AND NOT COALESCE(u.retry_count > f.retry_count, FALSE)),
       MIN(f.failed_at), MAX(f.failed_at)
FROM failed_records f LEFT JOIN user_migrations u
    ON u.source_portal = f.source_portal AND u.source_user_id = f.source_user_id
GROUP BY f.fingerprint, f.model_id
