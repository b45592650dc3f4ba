-- Schema version 3: substring search in failed records (docs/SCHEMA.md, "Text search").
-- A trigram GIN index over the three searched columns serves `LIKE` (Match case) and `ILIKE`
-- (case-insensitive: ASCII letters only, as lower() folds in the columns' C collation) with a
-- recheck of every candidate, so results are exactly those of a scan. The server keeps it in the
-- same transaction as each insert; nothing for writers to do. pg_trgm is a trusted extension
-- (PostgreSQL 13+): the database owner or anyone with CREATE on the database may install it.
-- The build takes a SHARE lock: writers wait for it (about a minute at a million records).
CREATE EXTENSION IF NOT EXISTS pg_trgm;
SET LOCAL maintenance_work_mem = '256MB';
-- COLLATE "C" whatever the database's default: ILIKE then folds ASCII letters only, as on MariaDB,
-- and the queries (which say COLLATE "C" too) match the index.
CREATE INDEX failed_records_search ON failed_records USING gin (
    message COLLATE "C" gin_trgm_ops,
    error_class COLLATE "C" gin_trgm_ops,
    record_id COLLATE "C" gin_trgm_ops);
