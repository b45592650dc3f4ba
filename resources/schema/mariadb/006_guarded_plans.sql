-- Guarded plans (docs/SCHEMA.md, "Plans"): a staged retry or a rollout ramp that an executor
-- advances step by step and halts when the failure rate of the users it touched passes its
-- threshold. The same tables as on PostgreSQL (see there for each column). Only mc_lead may
-- write them; version 4 granted SELECT on the whole database to mc_qa and mc_worker.
CREATE TABLE plans (
    id              BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
    kind            VARCHAR(8) NOT NULL CHECK (kind IN ('retry', 'ramp')),
    state           VARCHAR(16) NOT NULL DEFAULT 'running'
                    CHECK (state IN ('running', 'holding', 'halted', 'paused', 'done', 'cancelled')),
    reason          TEXT NOT NULL CHECK (reason <> ''),
    selection       TEXT NOT NULL DEFAULT '',
    filter_json     TEXT NOT NULL DEFAULT '',
    flag            VARCHAR(64) NOT NULL DEFAULT '',
    portal          VARCHAR(16) NOT NULL DEFAULT '',
    steps           VARCHAR(255) NOT NULL,
    step            INTEGER NOT NULL DEFAULT 0,
    step_target     BIGINT NOT NULL DEFAULT 0,
    hold_started_at DATETIME(3),
    hold_ms         BIGINT NOT NULL CHECK (hold_ms >= 0),
    min_finished    INTEGER NOT NULL CHECK (min_finished >= 1),
    halt_above_bp   INTEGER NOT NULL CHECK (halt_above_bp BETWEEN 0 AND 10000),
    baseline_bp     INTEGER,
    start_bp        INTEGER NOT NULL DEFAULT 0,
    reached_bp      INTEGER NOT NULL DEFAULT 0,
    users_total     BIGINT NOT NULL DEFAULT 0,
    decided         BIGINT NOT NULL DEFAULT 0,
    moved           BIGINT NOT NULL DEFAULT 0,
    finished        BIGINT NOT NULL DEFAULT 0,
    failed          BIGINT NOT NULL DEFAULT 0,
    halt_reason     TEXT NOT NULL DEFAULT '',
    version         BIGINT NOT NULL DEFAULT 1,
    created_at      DATETIME(3) NOT NULL DEFAULT (UTC_TIMESTAMP(3)),
    created_by      VARCHAR(255) NOT NULL DEFAULT '',
    updated_at      DATETIME(3) NOT NULL DEFAULT (UTC_TIMESTAMP(3)),
    updated_by      VARCHAR(255) NOT NULL DEFAULT '',
    KEY plans_state (state, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin
--@@
CREATE TABLE plan_users (
    plan_id        BIGINT NOT NULL,
    source_portal  VARCHAR(16) NOT NULL,
    source_user_id BIGINT NOT NULL,
    pick           INTEGER NOT NULL,
    step           INTEGER,
    outcome        VARCHAR(16) CHECK (outcome IN ('moved', 'not_failed')),
    decided_at     DATETIME(3),
    PRIMARY KEY (plan_id, source_portal, source_user_id),
    KEY plan_users_next (plan_id, step, pick, source_portal, source_user_id),
    FOREIGN KEY (plan_id) REFERENCES plans (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin
--@@
CREATE TABLE plan_samples (
    id        BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
    plan_id   BIGINT NOT NULL,
    at        DATETIME(3) NOT NULL DEFAULT (UTC_TIMESTAMP(3)),
    step      INTEGER NOT NULL,
    finished  BIGINT NOT NULL,
    failed    BIGINT NOT NULL,
    KEY plan_samples_plan (plan_id, id),
    FOREIGN KEY (plan_id) REFERENCES plans (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin
--@@
GRANT INSERT, UPDATE ON plans TO mc_lead
--@@
GRANT INSERT, UPDATE ON plan_users TO mc_lead
--@@
GRANT INSERT, UPDATE ON plan_samples TO mc_lead
