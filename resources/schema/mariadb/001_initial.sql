-- Migration Console merge database, schema version 1, MariaDB 10.11 (InnoDB, utf8mb4_bin).
-- The same tables, keys and counters as the PostgreSQL file; statements are separated by lines
-- holding only "--@@" because trigger bodies contain semicolons. MariaDB commits each DDL
-- statement on its own: core checks the database is empty before it starts.
-- Times are DATETIME(3) holding UTC; defaults use UTC_TIMESTAMP so a client's time zone never leaks.

CREATE TABLE schema_version (
    version      INTEGER PRIMARY KEY,
    installed_at DATETIME(3) NOT NULL DEFAULT (UTC_TIMESTAMP(3)),
    installed_by VARCHAR(255) NOT NULL DEFAULT '',
    description  VARCHAR(255) NOT NULL DEFAULT ''
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin
--@@
CREATE TABLE portals (
    code VARCHAR(16) PRIMARY KEY,
    name VARCHAR(255) NOT NULL DEFAULT '',
    role VARCHAR(16) NOT NULL DEFAULT 'source' CHECK (role IN ('source', 'target'))
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin
--@@
CREATE TABLE models (
    id               SMALLINT PRIMARY KEY,
    name             VARCHAR(64) NOT NULL UNIQUE,
    migration_order  INTEGER NOT NULL DEFAULT 0,
    consent          VARCHAR(64) NOT NULL DEFAULT '',
    query_scope      MEDIUMTEXT NOT NULL DEFAULT '',
    skip_portals     VARCHAR(255) NOT NULL DEFAULT '',
    throughput_class VARCHAR(8) NOT NULL DEFAULT 'high' CHECK (throughput_class IN ('high', 'low'))
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin
--@@
CREATE TABLE user_migrations (
    source_portal  VARCHAR(16) NOT NULL,
    source_user_id BIGINT NOT NULL,
    target_user_id BIGINT,
    status         VARCHAR(16) NOT NULL DEFAULT 'nil'
                   CHECK (status IN ('nil', 'pending', 'in_progress', 'completed', 'failed')),
    phase          VARCHAR(16) NOT NULL DEFAULT 'serialize' CHECK (phase IN ('serialize', 'create')),
    attempts       INTEGER NOT NULL DEFAULT 0,
    requested_at   DATETIME(3) NOT NULL DEFAULT (UTC_TIMESTAMP(3)),
    started_at     DATETIME(3),
    finished_at    DATETIME(3),
    updated_at     DATETIME(3) NOT NULL DEFAULT (UTC_TIMESTAMP(3)),
    last_error     MEDIUMTEXT,
    -- How often an operator retried the user, and the last time (see the PostgreSQL schema):
    -- failed records with a lower retry_count count as resolved 'retried'.
    retry_count    INTEGER NOT NULL DEFAULT 0,
    retried_at     DATETIME(3),
    retried_by     VARCHAR(255),
    -- The user's bucket [0, 10000) of the rollout flag 'merge', as on PostgreSQL: the first four
    -- bytes of MD5('merge:' || source_user_id), unsigned big-endian, modulo 10000.
    rollout_bucket SMALLINT AS (
                       CAST(CONV(LEFT(MD5(CONCAT('merge:', source_user_id)), 8), 16, 10)
                            AS UNSIGNED) % 10000) STORED,
    PRIMARY KEY (source_portal, source_user_id),
    UNIQUE KEY user_migrations_target (target_user_id),
    KEY user_migrations_status (status, source_portal, source_user_id),
    KEY user_migrations_rollout (source_portal, status, rollout_bucket),
    KEY user_migrations_finished (finished_at),
    CONSTRAINT user_migrations_portal FOREIGN KEY (source_portal) REFERENCES portals (code)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin
--@@
CREATE TABLE model_progress (
    source_portal  VARCHAR(16) NOT NULL,
    source_user_id BIGINT NOT NULL,
    model_id       SMALLINT NOT NULL,
    records_total  BIGINT NOT NULL DEFAULT 0,
    serialized     BIGINT NOT NULL DEFAULT 0,
    created        BIGINT NOT NULL DEFAULT 0,
    failed         BIGINT NOT NULL DEFAULT 0,
    updated_at     DATETIME(3) NOT NULL DEFAULT (UTC_TIMESTAMP(3)),
    PRIMARY KEY (source_portal, source_user_id, model_id),
    CONSTRAINT model_progress_model FOREIGN KEY (model_id) REFERENCES models (id),
    CONSTRAINT model_progress_user FOREIGN KEY (source_portal, source_user_id)
        REFERENCES user_migrations (source_portal, source_user_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin
--@@
CREATE TABLE failed_records (
    id             BIGINT AUTO_INCREMENT PRIMARY KEY,
    source_portal  VARCHAR(16) NOT NULL,
    source_user_id BIGINT NOT NULL,
    model_id       SMALLINT NOT NULL,
    record_id      VARCHAR(64) NOT NULL DEFAULT '',
    phase          VARCHAR(16) NOT NULL DEFAULT 'create' CHECK (phase IN ('serialize', 'create')),
    payload        LONGBLOB,
    content_type   VARCHAR(64) NOT NULL DEFAULT 'application/json',
    payload_size   BIGINT NOT NULL DEFAULT 0,
    error_class    VARCHAR(255) NOT NULL,
    message        MEDIUMTEXT NOT NULL DEFAULT '',
    backtrace      MEDIUMTEXT NOT NULL DEFAULT '',
    attempt        INTEGER NOT NULL DEFAULT 1,
    -- The user's retry_count when this record failed (set on insert by a trigger).
    retry_count    INTEGER NOT NULL DEFAULT 0,
    failed_at      DATETIME(3) NOT NULL DEFAULT (UTC_TIMESTAMP(3)),
    fingerprint    CHAR(32) NOT NULL DEFAULT '',
    resolution     VARCHAR(16) CHECK (resolution IN ('retried', 'ignored', 'resolved')),
    resolved_by    VARCHAR(255),
    resolved_at    DATETIME(3),
    KEY failed_records_time (failed_at, id),
    KEY failed_records_model (model_id, failed_at, id),
    KEY failed_records_class (error_class, failed_at, id),
    KEY failed_records_portal (source_portal, failed_at, id),
    KEY failed_records_group (fingerprint, failed_at, id),
    -- Covering: a retry reads its users' open records per error group from the index alone.
    KEY failed_records_user (source_portal, source_user_id, failed_at, retry_count, resolution,
                             model_id, fingerprint),
    CONSTRAINT failed_records_model_fk FOREIGN KEY (model_id) REFERENCES models (id),
    CONSTRAINT failed_records_user_fk FOREIGN KEY (source_portal, source_user_id)
        REFERENCES user_migrations (source_portal, source_user_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin
--@@
CREATE TABLE id_mappings (
    model_id       SMALLINT NOT NULL,
    source_portal  VARCHAR(16) NOT NULL,
    source_id      BIGINT NOT NULL,
    target_id      BIGINT NOT NULL,
    source_user_id BIGINT NOT NULL,
    created_at     DATETIME(3) NOT NULL DEFAULT (UTC_TIMESTAMP(3)),
    PRIMARY KEY (model_id, source_portal, source_id),
    KEY id_mappings_user (source_portal, source_user_id),
    CONSTRAINT id_mappings_model FOREIGN KEY (model_id) REFERENCES models (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin
--@@
CREATE TABLE queues (
    name         VARCHAR(64) PRIMARY KEY,
    parallelism  INTEGER NOT NULL DEFAULT 1 CHECK (parallelism >= 0),
    run_every_ms INTEGER NOT NULL DEFAULT 1000 CHECK (run_every_ms > 0),
    max_attempts INTEGER NOT NULL DEFAULT 3 CHECK (max_attempts > 0),
    paused       BOOLEAN NOT NULL DEFAULT FALSE,
    version      BIGINT NOT NULL DEFAULT 1,
    updated_at   DATETIME(3) NOT NULL DEFAULT (UTC_TIMESTAMP(3)),
    updated_by   VARCHAR(255) NOT NULL DEFAULT ''
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin
--@@
CREATE TABLE queue_jobs (
    id               BIGINT AUTO_INCREMENT PRIMARY KEY,
    queue_name       VARCHAR(64) NOT NULL,
    source_portal    VARCHAR(16) NOT NULL,
    source_user_id   BIGINT NOT NULL,
    model_id         SMALLINT NOT NULL DEFAULT 0,
    state            VARCHAR(16) NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'running')),
    attempts         INTEGER NOT NULL DEFAULT 0,
    available_at     DATETIME(3) NOT NULL DEFAULT (UTC_TIMESTAMP(3)),
    claimed_at       DATETIME(3),
    lease_expires_at DATETIME(3),
    claimed_by       VARCHAR(255),
    KEY queue_jobs_claim (queue_name, state, available_at, id),
    UNIQUE KEY queue_jobs_user (source_portal, source_user_id, queue_name, model_id),
    CONSTRAINT queue_jobs_queue FOREIGN KEY (queue_name) REFERENCES queues (name)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin
--@@
CREATE TABLE rollout_flags (
    flag         VARCHAR(64) NOT NULL,
    portal       VARCHAR(16) NOT NULL,
    percentage   DECIMAL(5, 2) NOT NULL DEFAULT 0 CHECK (percentage BETWEEN 0 AND 100),
    version      BIGINT NOT NULL DEFAULT 1,
    updated_at   DATETIME(3) NOT NULL DEFAULT (UTC_TIMESTAMP(3)),
    updated_by   VARCHAR(255) NOT NULL DEFAULT '',
    PRIMARY KEY (flag, portal),
    CONSTRAINT rollout_flags_portal FOREIGN KEY (portal) REFERENCES portals (code)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin
--@@
CREATE TABLE throughput_samples (
    bucket_start     DATETIME(3) NOT NULL,
    model_id         SMALLINT NOT NULL DEFAULT 0,
    queue_name       VARCHAR(64) NOT NULL DEFAULT '',
    records_created  BIGINT NOT NULL DEFAULT 0,
    records_failed   BIGINT NOT NULL DEFAULT 0,
    users_started    BIGINT NOT NULL DEFAULT 0,
    users_completed  BIGINT NOT NULL DEFAULT 0,
    users_failed     BIGINT NOT NULL DEFAULT 0,
    queue_depth      BIGINT NOT NULL DEFAULT 0,
    jobs_in_progress BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (bucket_start, model_id, queue_name)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin
--@@
CREATE TABLE audit_log (
    id            BIGINT AUTO_INCREMENT PRIMARY KEY,
    at            DATETIME(3) NOT NULL DEFAULT (UTC_TIMESTAMP(3)),
    database_user VARCHAR(255) NOT NULL DEFAULT '',
    os_user       VARCHAR(255) NOT NULL DEFAULT '',
    action        VARCHAR(64) NOT NULL,
    target        MEDIUMTEXT NOT NULL DEFAULT '',
    before_state  MEDIUMTEXT NOT NULL DEFAULT '',
    after_state   MEDIUMTEXT NOT NULL DEFAULT '',
    reason        MEDIUMTEXT NOT NULL DEFAULT '',
    KEY audit_log_at (at, id),
    KEY audit_log_action (action, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin
--@@
CREATE TABLE user_status_counts (
    source_portal VARCHAR(16) NOT NULL,
    status        VARCHAR(16) NOT NULL,
    users         BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (source_portal, status)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin
--@@
CREATE TABLE model_totals (
    model_id      SMALLINT PRIMARY KEY,
    users         BIGINT NOT NULL DEFAULT 0,
    records_total BIGINT NOT NULL DEFAULT 0,
    serialized    BIGINT NOT NULL DEFAULT 0,
    created       BIGINT NOT NULL DEFAULT 0,
    failed        BIGINT NOT NULL DEFAULT 0
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin
--@@
CREATE TABLE queue_counts (
    queue_name VARCHAR(64) PRIMARY KEY,
    pending    BIGINT NOT NULL DEFAULT 0,
    running    BIGINT NOT NULL DEFAULT 0
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin
--@@
CREATE TABLE error_groups (
    fingerprint     CHAR(32) NOT NULL,
    model_id        SMALLINT NOT NULL,
    error_class     VARCHAR(255) NOT NULL,
    message_pattern VARCHAR(500) NOT NULL,
    failures        BIGINT NOT NULL DEFAULT 0,
    unresolved      BIGINT NOT NULL DEFAULT 0,
    first_seen      DATETIME(3) NOT NULL,
    last_seen       DATETIME(3) NOT NULL,
    PRIMARY KEY (fingerprint, model_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin
--@@
CREATE FUNCTION mc_message_pattern(message LONGTEXT CHARACTER SET utf8mb4)
RETURNS VARCHAR(500) CHARACTER SET utf8mb4 DETERMINISTIC
RETURN LEFT(REGEXP_REPLACE(REGEXP_REPLACE(LEFT(message, 500),
            '''[^'']*''|"[^"]*"', '?'), '[0-9]+', '#'), 500)
--@@
CREATE TRIGGER failed_records_fingerprint_ins BEFORE INSERT ON failed_records FOR EACH ROW
BEGIN
    SET NEW.retry_count = COALESCE((SELECT u.retry_count FROM user_migrations u
                                    WHERE u.source_portal = NEW.source_portal
                                      AND u.source_user_id = NEW.source_user_id), 0);
    SET NEW.fingerprint = MD5(CONCAT(NEW.error_class, CHAR(10 USING utf8mb4),
                                     mc_message_pattern(NEW.message)));
    SET NEW.payload_size = COALESCE(OCTET_LENGTH(NEW.payload), 0);
END
--@@
CREATE TRIGGER failed_records_fingerprint_upd BEFORE UPDATE ON failed_records FOR EACH ROW
BEGIN
    SET NEW.fingerprint = MD5(CONCAT(NEW.error_class, CHAR(10 USING utf8mb4),
                                     mc_message_pattern(NEW.message)));
    SET NEW.payload_size = COALESCE(OCTET_LENGTH(NEW.payload), 0);
END
--@@
CREATE TRIGGER user_migrations_count_ins AFTER INSERT ON user_migrations FOR EACH ROW
    INSERT INTO user_status_counts (source_portal, status, users)
    VALUES (NEW.source_portal, NEW.status, 1)
    ON DUPLICATE KEY UPDATE users = users + 1
--@@
-- @mc_counted_by_statement: a bulk statement of the console's retry (store_writes.cpp) keeps
-- these counters itself, once per batch instead of once per row, in the same transaction.
CREATE TRIGGER user_migrations_count_upd AFTER UPDATE ON user_migrations FOR EACH ROW
BEGIN
    IF (NEW.status <> OLD.status OR NEW.source_portal <> OLD.source_portal)
       AND @mc_counted_by_statement IS NULL THEN
        INSERT INTO user_status_counts (source_portal, status, users)
        VALUES (OLD.source_portal, OLD.status, -1)
        ON DUPLICATE KEY UPDATE users = users - 1;
        INSERT INTO user_status_counts (source_portal, status, users)
        VALUES (NEW.source_portal, NEW.status, 1)
        ON DUPLICATE KEY UPDATE users = users + 1;
    END IF;
END
--@@
CREATE TRIGGER user_migrations_count_del AFTER DELETE ON user_migrations FOR EACH ROW
    INSERT INTO user_status_counts (source_portal, status, users)
    VALUES (OLD.source_portal, OLD.status, -1)
    ON DUPLICATE KEY UPDATE users = users - 1
--@@
CREATE TRIGGER model_progress_count_ins AFTER INSERT ON model_progress FOR EACH ROW
    INSERT INTO model_totals (model_id, users, records_total, serialized, created, failed)
    VALUES (NEW.model_id, 1, NEW.records_total, NEW.serialized, NEW.created, NEW.failed)
    ON DUPLICATE KEY UPDATE users = users + 1,
        records_total = records_total + VALUES(records_total),
        serialized = serialized + VALUES(serialized), created = created + VALUES(created),
        failed = failed + VALUES(failed)
--@@
CREATE TRIGGER model_progress_count_upd AFTER UPDATE ON model_progress FOR EACH ROW
BEGIN
    INSERT INTO model_totals (model_id, users, records_total, serialized, created, failed)
    VALUES (OLD.model_id, -1, -OLD.records_total, -OLD.serialized, -OLD.created, -OLD.failed)
    ON DUPLICATE KEY UPDATE users = users + VALUES(users),
        records_total = records_total + VALUES(records_total),
        serialized = serialized + VALUES(serialized), created = created + VALUES(created),
        failed = failed + VALUES(failed);
    INSERT INTO model_totals (model_id, users, records_total, serialized, created, failed)
    VALUES (NEW.model_id, 1, NEW.records_total, NEW.serialized, NEW.created, NEW.failed)
    ON DUPLICATE KEY UPDATE users = users + VALUES(users),
        records_total = records_total + VALUES(records_total),
        serialized = serialized + VALUES(serialized), created = created + VALUES(created),
        failed = failed + VALUES(failed);
END
--@@
CREATE TRIGGER model_progress_count_del AFTER DELETE ON model_progress FOR EACH ROW
    INSERT INTO model_totals (model_id, users, records_total, serialized, created, failed)
    VALUES (OLD.model_id, -1, -OLD.records_total, -OLD.serialized, -OLD.created, -OLD.failed)
    ON DUPLICATE KEY UPDATE users = users + VALUES(users),
        records_total = records_total + VALUES(records_total),
        serialized = serialized + VALUES(serialized), created = created + VALUES(created),
        failed = failed + VALUES(failed)
--@@
CREATE TRIGGER queue_jobs_count_ins AFTER INSERT ON queue_jobs FOR EACH ROW
BEGIN
    IF @mc_counted_by_statement IS NULL THEN
        INSERT INTO queue_counts (queue_name, pending, running)
        VALUES (NEW.queue_name, NEW.state = 'pending', NEW.state = 'running')
        ON DUPLICATE KEY UPDATE pending = pending + VALUES(pending),
            running = running + VALUES(running);
    END IF;
END
--@@
CREATE TRIGGER queue_jobs_count_upd AFTER UPDATE ON queue_jobs FOR EACH ROW
BEGIN
    IF NEW.state <> OLD.state OR NEW.queue_name <> OLD.queue_name THEN
        INSERT INTO queue_counts (queue_name, pending, running)
        VALUES (OLD.queue_name, -(OLD.state = 'pending'), -(OLD.state = 'running'))
        ON DUPLICATE KEY UPDATE pending = pending + VALUES(pending),
            running = running + VALUES(running);
        INSERT INTO queue_counts (queue_name, pending, running)
        VALUES (NEW.queue_name, NEW.state = 'pending', NEW.state = 'running')
        ON DUPLICATE KEY UPDATE pending = pending + VALUES(pending),
            running = running + VALUES(running);
    END IF;
END
--@@
CREATE TRIGGER queue_jobs_count_del AFTER DELETE ON queue_jobs FOR EACH ROW
    INSERT INTO queue_counts (queue_name, pending, running)
    VALUES (OLD.queue_name, -(OLD.state = 'pending'), -(OLD.state = 'running'))
    ON DUPLICATE KEY UPDATE pending = pending + VALUES(pending), running = running + VALUES(running)
--@@
CREATE TRIGGER failed_records_count_ins AFTER INSERT ON failed_records FOR EACH ROW
    INSERT INTO error_groups (fingerprint, model_id, error_class, message_pattern, failures,
                              unresolved, first_seen, last_seen)
    VALUES (NEW.fingerprint, NEW.model_id, NEW.error_class, mc_message_pattern(NEW.message), 1,
            NEW.resolution IS NULL, NEW.failed_at, NEW.failed_at)
    ON DUPLICATE KEY UPDATE failures = failures + 1, unresolved = unresolved + VALUES(unresolved),
        first_seen = LEAST(first_seen, VALUES(first_seen)),
        last_seen = GREATEST(last_seen, VALUES(last_seen))
--@@
CREATE TRIGGER failed_records_count_upd AFTER UPDATE ON failed_records FOR EACH ROW
BEGIN
    IF NEW.fingerprint = OLD.fingerprint AND NEW.model_id = OLD.model_id THEN
        -- A resolution only moves the unresolved count of the same group (the common case:
        -- a retry resolves thousands of records; no pattern to compute).
        IF (NEW.resolution IS NULL) <> (OLD.resolution IS NULL) THEN
            UPDATE error_groups
            SET unresolved = unresolved + IF(NEW.resolution IS NULL, 1, -1)
            WHERE fingerprint = NEW.fingerprint AND model_id = NEW.model_id;
        END IF;
    ELSE
        UPDATE error_groups SET failures = failures - 1,
                                unresolved = unresolved - (OLD.resolution IS NULL)
        WHERE fingerprint = OLD.fingerprint AND model_id = OLD.model_id;
        INSERT INTO error_groups (fingerprint, model_id, error_class, message_pattern, failures,
                                  unresolved, first_seen, last_seen)
        VALUES (NEW.fingerprint, NEW.model_id, NEW.error_class, mc_message_pattern(NEW.message), 1,
                NEW.resolution IS NULL, NEW.failed_at, NEW.failed_at)
        ON DUPLICATE KEY UPDATE failures = failures + 1,
            unresolved = unresolved + VALUES(unresolved),
            first_seen = LEAST(first_seen, VALUES(first_seen)),
            last_seen = GREATEST(last_seen, VALUES(last_seen));
    END IF;
END
--@@
CREATE TRIGGER failed_records_count_del AFTER DELETE ON failed_records FOR EACH ROW
    UPDATE error_groups SET failures = failures - 1,
                            unresolved = unresolved - (OLD.resolution IS NULL)
    WHERE fingerprint = OLD.fingerprint AND model_id = OLD.model_id
