-- Schema version 3: substring search in failed records (docs/SCHEMA.md, "Text search").
-- MariaDB has no trigram index, so this is one: failure_search_grams holds, for every failed
-- record, each distinct run of three ASCII letters or digits (folded to lower case) found in its
-- error class, message or record id, with the record's failed_at and id. A search reads the
-- postings of its rarest trigrams newest first and rechecks each candidate against the record,
-- so results are exactly those of a scan. Triggers keep it in the same transaction as each
-- insert, delete and change of a searched column; writers do nothing. Every statement may run
-- again: an upgrade stopped half-way (MariaDB commits each DDL statement) is finished by the next.

CREATE TABLE IF NOT EXISTS failure_search_grams (
    gram       CHAR(3) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    failed_at  DATETIME(3) NOT NULL,
    failure_id BIGINT NOT NULL,
    PRIMARY KEY (gram, failed_at, failure_id)
) ENGINE=InnoDB
--@@
-- The trigrams of one text: each position of the built-in Sequence engine's table, read as a
-- range up to the text's length. No derived table and no temporary table: MariaDB 10.11.19 was
-- seen to crash freeing the temporary table of a UNION inside a procedure called by a trigger.
CREATE OR REPLACE PROCEDURE mc_search_grams_add_text(IN p_id BIGINT, IN p_at DATETIME(3),
                                                    IN p_text LONGTEXT CHARACTER SET utf8mb4)
    INSERT IGNORE INTO failure_search_grams (gram, failed_at, failure_id)
    SELECT LOWER(SUBSTRING(p_text, s.seq, 3)), p_at, p_id
    FROM seq_1_to_16777216 s
    WHERE s.seq <= CHAR_LENGTH(p_text) - 2
      AND SUBSTRING(p_text COLLATE utf8mb4_bin, s.seq, 3) REGEXP '^[0-9A-Za-z]{3}$'
--@@
-- Removing is rare (a deleted record, a changed message): one primary-key delete a position.
CREATE OR REPLACE PROCEDURE mc_search_grams_remove_text(IN p_id BIGINT, IN p_at DATETIME(3),
                                                       IN p_text LONGTEXT CHARACTER SET utf8mb4)
BEGIN
    DECLARE i BIGINT DEFAULT 1;
    DECLARE v_piece VARCHAR(3) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin;
    -- In the column's own character set: compared with a utf8mb4 value, the key is not used.
    DECLARE v_gram CHAR(3) CHARACTER SET ascii COLLATE ascii_bin;
    WHILE i <= CHAR_LENGTH(p_text) - 2 DO
        SET v_piece = SUBSTRING(p_text COLLATE utf8mb4_bin, i, 3);
        IF v_piece REGEXP '^[0-9A-Za-z]{3}$' THEN
            SET v_gram = LOWER(v_piece);
            DELETE FROM failure_search_grams
            WHERE gram = v_gram AND failed_at = p_at AND failure_id = p_id;
        END IF;
        SET i = i + 1;
    END WHILE;
END
--@@
CREATE OR REPLACE PROCEDURE mc_search_grams_add(IN p_id BIGINT, IN p_at DATETIME(3),
                                                IN p_class VARCHAR(255) CHARACTER SET utf8mb4,
                                                IN p_message LONGTEXT CHARACTER SET utf8mb4,
                                                IN p_record VARCHAR(64) CHARACTER SET utf8mb4)
BEGIN
    CALL mc_search_grams_add_text(p_id, p_at, p_class);
    CALL mc_search_grams_add_text(p_id, p_at, p_message);
    CALL mc_search_grams_add_text(p_id, p_at, p_record);
END
--@@
CREATE OR REPLACE PROCEDURE mc_search_grams_remove(IN p_id BIGINT, IN p_at DATETIME(3),
                                                   IN p_class VARCHAR(255) CHARACTER SET utf8mb4,
                                                   IN p_message LONGTEXT CHARACTER SET utf8mb4,
                                                   IN p_record VARCHAR(64) CHARACTER SET utf8mb4)
BEGIN
    CALL mc_search_grams_remove_text(p_id, p_at, p_class);
    CALL mc_search_grams_remove_text(p_id, p_at, p_message);
    CALL mc_search_grams_remove_text(p_id, p_at, p_record);
END
--@@
CREATE OR REPLACE TRIGGER failed_records_search_ins AFTER INSERT ON failed_records FOR EACH ROW
    CALL mc_search_grams_add(NEW.id, NEW.failed_at, NEW.error_class, NEW.message, NEW.record_id)
--@@
CREATE OR REPLACE TRIGGER failed_records_search_upd AFTER UPDATE ON failed_records FOR EACH ROW
BEGIN
    -- Resolutions (the common update) change no searched column: nothing to do.
    IF NOT (NEW.id <=> OLD.id AND NEW.failed_at <=> OLD.failed_at
            AND NEW.error_class <=> OLD.error_class AND NEW.message <=> OLD.message
            AND NEW.record_id <=> OLD.record_id) THEN
        CALL mc_search_grams_remove(OLD.id, OLD.failed_at, OLD.error_class, OLD.message,
                                    OLD.record_id);
        CALL mc_search_grams_add(NEW.id, NEW.failed_at, NEW.error_class, NEW.message,
                                 NEW.record_id);
    END IF;
END
--@@
CREATE OR REPLACE TRIGGER failed_records_search_del AFTER DELETE ON failed_records FOR EACH ROW
    CALL mc_search_grams_remove(OLD.id, OLD.failed_at, OLD.error_class, OLD.message, OLD.record_id)
--@@
-- The records already there, a range of ids at a time and one column after the other (core
-- reports the progress). Records inserted meanwhile get theirs from the trigger; INSERT IGNORE
-- lets the two meet.
-- mc:batch failed_records.id 5000 indexing error classes for search
INSERT IGNORE INTO failure_search_grams (gram, failed_at, failure_id)
SELECT LOWER(SUBSTRING(f.error_class, s.seq, 3)), f.failed_at, f.id
FROM failed_records f JOIN seq_1_to_16777216 s ON s.seq <= CHAR_LENGTH(f.error_class) - 2
WHERE f.id >= {from} AND f.id < {to}
  AND SUBSTRING(f.error_class COLLATE utf8mb4_bin, s.seq, 3) REGEXP '^[0-9A-Za-z]{3}$'
--@@
-- mc:batch failed_records.id 5000 indexing messages for search
INSERT IGNORE INTO failure_search_grams (gram, failed_at, failure_id)
SELECT LOWER(SUBSTRING(f.message, s.seq, 3)), f.failed_at, f.id
FROM failed_records f JOIN seq_1_to_16777216 s ON s.seq <= CHAR_LENGTH(f.message) - 2
WHERE f.id >= {from} AND f.id < {to}
  AND SUBSTRING(f.message COLLATE utf8mb4_bin, s.seq, 3) REGEXP '^[0-9A-Za-z]{3}$'
--@@
-- mc:batch failed_records.id 5000 indexing record ids for search
INSERT IGNORE INTO failure_search_grams (gram, failed_at, failure_id)
SELECT LOWER(SUBSTRING(f.record_id, s.seq, 3)), f.failed_at, f.id
FROM failed_records f JOIN seq_1_to_16777216 s ON s.seq <= CHAR_LENGTH(f.record_id) - 2
WHERE f.id >= {from} AND f.id < {to}
  AND SUBSTRING(f.record_id COLLATE utf8mb4_bin, s.seq, 3) REGEXP '^[0-9A-Za-z]{3}$'
