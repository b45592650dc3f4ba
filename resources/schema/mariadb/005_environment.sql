-- Schema version 5: what the merge database says it is (docs/SCHEMA.md, "Environment"): its
-- name and class, one row at most (none: not set). Written only by the store's setEnvironment
-- (migctl environment set), in one transaction with its audit entry: a lead's action, so only
-- mc_lead may write it (the roles of version 4); every role reads it.
CREATE TABLE environment (
    id          SMALLINT PRIMARY KEY CHECK (id = 1),
    name        VARCHAR(100) NOT NULL CHECK (name <> ''),
    class       VARCHAR(16) NOT NULL CHECK (class IN ('development', 'staging', 'production')),
    version     BIGINT NOT NULL DEFAULT 1,
    updated_at  DATETIME(3) NOT NULL DEFAULT (UTC_TIMESTAMP(3)),
    updated_by  VARCHAR(255) NOT NULL DEFAULT ''
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin
--@@
-- Version 4 granted SELECT on the whole database to mc_qa and mc_worker; writing is the lead's.
GRANT INSERT, UPDATE ON environment TO mc_lead
