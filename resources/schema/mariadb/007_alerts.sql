-- Alert rules the team shares (docs/SCHEMA.md, "Alerts"), MariaDB 10.11: the rules, each rule's
-- current state, the history of its firings and who has been notified of which firing. See the
-- PostgreSQL script of the same name for the kinds; the procedures here behave the same, with
-- their answer in an OUT parameter. Statements are separated by lines "--@@".
CREATE TABLE alert_rules (
    name          VARCHAR(64) PRIMARY KEY CHECK (name REGEXP '^[a-z0-9_]+$'),
    kind          VARCHAR(32) NOT NULL
                  CHECK (kind IN ('failure_rate', 'falling_behind', 'stall', 'plan_halted')),
    scope         VARCHAR(64) NOT NULL DEFAULT '',
    threshold     DOUBLE NOT NULL DEFAULT 0 CHECK (threshold >= 0),
    min_count     BIGINT NOT NULL DEFAULT 0 CHECK (min_count >= 0),
    window_s      INTEGER NOT NULL CHECK (window_s BETWEEN 10 AND 86400),
    for_s         INTEGER NOT NULL DEFAULT 0 CHECK (for_s BETWEEN 0 AND 86400),
    keep_firing_s INTEGER NOT NULL DEFAULT 0 CHECK (keep_firing_s BETWEEN 0 AND 86400),
    severity      VARCHAR(16) NOT NULL CHECK (severity IN ('info', 'warning', 'critical')),
    enabled       BOOLEAN NOT NULL DEFAULT TRUE,
    muted_until   DATETIME(3) NULL,
    version       BIGINT NOT NULL DEFAULT 1,
    updated_at    DATETIME(3) NOT NULL DEFAULT (UTC_TIMESTAMP(3)),
    updated_by    VARCHAR(255) NOT NULL DEFAULT ''
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin
--@@
CREATE TABLE alert_states (
    rule_name   VARCHAR(64) PRIMARY KEY,
    state       VARCHAR(16) NOT NULL DEFAULT 'inactive'
                CHECK (state IN ('inactive', 'pending', 'firing', 'resolved')),
    since       DATETIME(3) NULL,
    fired_at    DATETIME(3) NULL,
    cleared_at  DATETIME(3) NULL,
    resolved_at DATETIME(3) NULL,
    firing_id   BIGINT NULL,
    figures     TEXT NOT NULL DEFAULT '',
    version     BIGINT NOT NULL DEFAULT 1,
    changed_at  DATETIME(3) NOT NULL DEFAULT (UTC_TIMESTAMP(3)),
    FOREIGN KEY (rule_name) REFERENCES alert_rules (name)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin
--@@
CREATE TABLE alert_firings (
    id               BIGINT AUTO_INCREMENT PRIMARY KEY,
    rule_name        VARCHAR(64) NOT NULL,
    severity         VARCHAR(16) NOT NULL,
    pending_since    DATETIME(3) NOT NULL,
    fired_at         DATETIME(3) NOT NULL,
    resolved_at      DATETIME(3) NULL,
    figures          TEXT NOT NULL DEFAULT '',
    resolved_figures TEXT NOT NULL DEFAULT '',
    KEY alert_firings_rule (rule_name, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin
--@@
CREATE TABLE alert_notices (
    firing_id   BIGINT NOT NULL,
    login       VARCHAR(255) NOT NULL,
    notified_at DATETIME(3) NOT NULL DEFAULT (UTC_TIMESTAMP(3)),
    PRIMARY KEY (firing_id, login),
    FOREIGN KEY (firing_id) REFERENCES alert_firings (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin
--@@
-- The rules shipped enabled (README, "Alerts": why these thresholds).
INSERT INTO alert_rules (name, kind, scope, threshold, min_count, window_s, for_s, keep_firing_s,
                         severity, updated_by) VALUES
    ('failure_rate', 'failure_rate', '', 20, 20, 600, 300, 600, 'critical', 'schema'),
    ('queue_falling_behind', 'falling_behind', '', 0, 0, 600, 600, 300, 'warning', 'schema'),
    ('stall', 'stall', '', 0, 0, 900, 0, 120, 'critical', 'schema'),
    ('plan_halted', 'plan_halted', '', 0, 0, 60, 0, 0, 'critical', 'schema')
--@@
INSERT INTO alert_states (rule_name) SELECT name FROM alert_rules
--@@
-- Records one transition when the state is still at p_version and the rule allows it by the
-- server's clock (see the PostgreSQL script); p_applied: the new version, 0 when another evaluator
-- was first.
CREATE OR REPLACE PROCEDURE mc_alert_record(IN p_rule VARCHAR(64) CHARACTER SET utf8mb4,
                                            IN p_version BIGINT,
                                            IN p_to VARCHAR(16) CHARACTER SET utf8mb4,
                                            IN p_figures TEXT CHARACTER SET utf8mb4,
                                            OUT p_applied BIGINT)
SQL SECURITY DEFINER
proc: BEGIN
    DECLARE v_now DATETIME(3) DEFAULT UTC_TIMESTAMP(3);
    DECLARE v_state VARCHAR(16);
    DECLARE v_since, v_cleared DATETIME(3);
    DECLARE v_version, v_firing_id, v_firing BIGINT;
    DECLARE v_enabled BOOLEAN;
    DECLARE v_for, v_keep INTEGER;
    DECLARE v_severity VARCHAR(16);
    DECLARE v_ok BOOLEAN DEFAULT FALSE;
    SET p_applied = 0;
    SELECT enabled, for_s, keep_firing_s, severity INTO v_enabled, v_for, v_keep, v_severity
    FROM alert_rules WHERE name = p_rule;
    SELECT state, since, cleared_at, version, firing_id
    INTO v_state, v_since, v_cleared, v_version, v_firing_id
    FROM alert_states WHERE rule_name = p_rule FOR UPDATE;
    IF v_state IS NULL OR v_severity IS NULL THEN
        SIGNAL SQLSTATE '22023' SET MESSAGE_TEXT = 'There is no such alert rule.';
    END IF;
    IF v_version <> p_version THEN
        LEAVE proc;
    END IF;
    SET p_figures = LEFT(COALESCE(p_figures, ''), 4000);
    SET v_ok = CASE p_to
        WHEN 'pending' THEN v_enabled AND v_state IN ('inactive', 'resolved')
        WHEN 'firing' THEN v_enabled AND ((v_state = 'pending'
                               AND v_since + INTERVAL v_for SECOND <= v_now)
                           OR (v_state IN ('inactive', 'resolved') AND v_for = 0))
        WHEN 'clearing' THEN v_state = 'firing' AND v_cleared IS NULL
        WHEN 'refiring' THEN v_state = 'firing' AND v_cleared IS NOT NULL
        WHEN 'resolved' THEN v_state = 'firing'
                           AND COALESCE(v_cleared, v_now) + INTERVAL v_keep SECOND <= v_now
        WHEN 'inactive' THEN v_state = 'pending'
        ELSE FALSE END;
    IF NOT COALESCE(v_ok, FALSE) THEN
        SIGNAL SQLSTATE '22023' SET MESSAGE_TEXT = 'The alert cannot make this transition now.';
    END IF;
    IF p_to = 'pending' THEN
        UPDATE alert_states SET state = 'pending', since = v_now, cleared_at = NULL,
               figures = p_figures WHERE rule_name = p_rule;
    ELSEIF p_to = 'firing' THEN
        INSERT INTO alert_firings (rule_name, severity, pending_since, fired_at, figures)
        VALUES (p_rule, v_severity, IF(v_state = 'pending', v_since, v_now), v_now, p_figures);
        SET v_firing = LAST_INSERT_ID();
        UPDATE alert_states SET state = 'firing', since = IF(v_state = 'pending', v_since, v_now),
               fired_at = v_now, cleared_at = NULL, resolved_at = NULL, firing_id = v_firing,
               figures = p_figures
        WHERE rule_name = p_rule;
    ELSEIF p_to = 'clearing' THEN
        UPDATE alert_states SET cleared_at = v_now WHERE rule_name = p_rule;
    ELSEIF p_to = 'refiring' THEN
        UPDATE alert_states SET cleared_at = NULL WHERE rule_name = p_rule;
    ELSEIF p_to = 'resolved' THEN
        UPDATE alert_firings SET resolved_at = v_now, resolved_figures = p_figures
        WHERE id = v_firing_id;
        UPDATE alert_states SET state = 'resolved', resolved_at = v_now, cleared_at = NULL
        WHERE rule_name = p_rule;
    ELSE
        UPDATE alert_states SET state = 'inactive', since = NULL, figures = p_figures
        WHERE rule_name = p_rule;
    END IF;
    UPDATE alert_states SET version = version + 1, changed_at = v_now WHERE rule_name = p_rule;
    SET p_applied = v_version + 1;
END
--@@
-- Records that the session's login was notified of a firing; p_first: 1 the first time, 0 after.
CREATE OR REPLACE PROCEDURE mc_alert_notice(IN p_firing BIGINT, OUT p_first INTEGER)
SQL SECURITY DEFINER
BEGIN
    INSERT IGNORE INTO alert_notices (firing_id, login)
    VALUES (p_firing, SUBSTRING_INDEX(USER(), '@', 1));
    SET p_first = ROW_COUNT();
END
--@@
-- Creates (p_version 0) or changes a rule, with its audit entry set_alert_rule; p_new_version.
-- See the PostgreSQL script for the parameters.
CREATE OR REPLACE PROCEDURE mc_alert_rule_set(IN p_name VARCHAR(64) CHARACTER SET utf8mb4,
    IN p_version BIGINT, IN p_kind VARCHAR(32) CHARACTER SET utf8mb4,
    IN p_scope VARCHAR(64) CHARACTER SET utf8mb4, IN p_threshold DOUBLE, IN p_min_count BIGINT,
    IN p_window_s INTEGER, IN p_for_s INTEGER, IN p_keep_firing_s INTEGER,
    IN p_severity VARCHAR(16) CHARACTER SET utf8mb4, IN p_enabled BOOLEAN, IN p_mute_s INTEGER,
    IN p_reason LONGTEXT CHARACTER SET utf8mb4, IN p_os_user VARCHAR(255) CHARACTER SET utf8mb4,
    OUT p_new_version BIGINT)
SQL SECURITY DEFINER
BEGIN
    DECLARE v_before, v_after LONGTEXT;
    DECLARE v_version BIGINT DEFAULT 0;
    DECLARE v_by VARCHAR(255) DEFAULT LEFT(CONCAT(SUBSTRING_INDEX(USER(), '@', 1), ' (',
                                                  COALESCE(p_os_user, ''), ')'), 255);
    IF TRIM(COALESCE(p_reason, '')) = '' THEN
        SIGNAL SQLSTATE '22023' SET MESSAGE_TEXT = 'A reason is required; it goes into the audit log.';
    END IF;
    SELECT version, JSON_OBJECT('kind', kind, 'scope', scope, 'threshold', threshold,
               'min_count', min_count, 'window_s', window_s, 'for_s', for_s,
               'keep_firing_s', keep_firing_s, 'severity', severity, 'enabled', enabled IS TRUE,
               'muted_until', DATE_FORMAT(muted_until, '%Y-%m-%dT%H:%i:%sZ'))
    INTO v_version, v_before FROM alert_rules WHERE name = p_name FOR UPDATE;
    IF COALESCE(v_version, 0) <> p_version THEN
        SIGNAL SQLSTATE '40001'
            SET MESSAGE_TEXT = 'The rule was changed by someone else meanwhile; read it again.';
    END IF;
    IF v_before IS NULL THEN
        INSERT INTO alert_rules (name, kind, scope, threshold, min_count, window_s, for_s,
                                 keep_firing_s, severity, enabled, updated_by)
        VALUES (p_name, p_kind, COALESCE(p_scope, ''), p_threshold, p_min_count, p_window_s,
                p_for_s, p_keep_firing_s, p_severity, p_enabled, v_by);
        INSERT INTO alert_states (rule_name) VALUES (p_name);
    ELSE
        UPDATE alert_rules SET kind = p_kind, scope = COALESCE(p_scope, ''),
               threshold = p_threshold, min_count = p_min_count, window_s = p_window_s,
               for_s = p_for_s, keep_firing_s = p_keep_firing_s, severity = p_severity,
               enabled = p_enabled, version = version + 1, updated_at = UTC_TIMESTAMP(3),
               updated_by = v_by
        WHERE name = p_name;
    END IF;
    IF p_mute_s IS NOT NULL THEN
        UPDATE alert_rules SET muted_until = IF(p_mute_s > 0,
               UTC_TIMESTAMP(3) + INTERVAL p_mute_s SECOND, NULL)
        WHERE name = p_name;
    END IF;
    IF NOT p_enabled THEN
        UPDATE alert_firings SET resolved_at = UTC_TIMESTAMP(3),
               resolved_figures = '{"disabled":true}'
        WHERE id = (SELECT firing_id FROM alert_states WHERE rule_name = p_name
                    AND state = 'firing');
        UPDATE alert_states SET resolved_at = IF(state = 'firing', UTC_TIMESTAMP(3), resolved_at),
               state = IF(state = 'firing', 'resolved', 'inactive'),
               since = NULL, cleared_at = NULL, version = version + 1,
               changed_at = UTC_TIMESTAMP(3)
        WHERE rule_name = p_name AND state IN ('pending', 'firing');
    END IF;
    SELECT version, JSON_OBJECT('kind', kind, 'scope', scope, 'threshold', threshold,
               'min_count', min_count, 'window_s', window_s, 'for_s', for_s,
               'keep_firing_s', keep_firing_s, 'severity', severity, 'enabled', enabled IS TRUE,
               'muted_until', DATE_FORMAT(muted_until, '%Y-%m-%dT%H:%i:%sZ'))
    INTO p_new_version, v_after FROM alert_rules WHERE name = p_name;
    INSERT INTO audit_log (os_user, action, target, before_state, after_state, reason)
    VALUES (COALESCE(p_os_user, ''), 'set_alert_rule', CONCAT('alert rule ', p_name),
            COALESCE(v_before, ''), v_after, p_reason);
END
--@@
-- Version 4 granted SELECT on the whole database; nobody writes these tables but the procedures.
GRANT EXECUTE ON PROCEDURE mc_alert_record TO mc_qa, mc_worker
--@@
GRANT EXECUTE ON PROCEDURE mc_alert_notice TO mc_qa, mc_worker
--@@
GRANT EXECUTE ON PROCEDURE mc_alert_rule_set TO mc_lead
