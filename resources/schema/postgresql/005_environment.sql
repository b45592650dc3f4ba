-- Schema version 5: what the merge database says it is (docs/SCHEMA.md, "Environment"): its
-- name and class, one row at most (none: not set). Written only by the store's setEnvironment
-- (migctl environment set), in one transaction with its audit entry: a lead's action, so only
-- mc_lead may write it (the roles of version 4); every role reads it.
CREATE TABLE environment (
    id          SMALLINT PRIMARY KEY CHECK (id = 1),
    name        VARCHAR(100) NOT NULL CHECK (name <> ''),
    class       VARCHAR(16) NOT NULL CHECK (class IN ('development', 'staging', 'production')),
    version     BIGINT NOT NULL DEFAULT 1,
    updated_at  TIMESTAMPTZ(3) NOT NULL DEFAULT now(),
    updated_by  VARCHAR(255) NOT NULL DEFAULT ''
);

-- Version 4 granted the tables that existed then; this one is new.
GRANT SELECT ON environment TO mc_qa, mc_worker;
GRANT INSERT, UPDATE ON environment TO mc_lead;
