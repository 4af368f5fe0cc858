-- PostgreSQL. The tables are the same as in sqlite/V4; only the append-only guard differs.

-- The audit log: an append-only, hash-chained record of every delivery to an audit target, at
-- most one entry per delivery key. seq numbers the chain from 1 without gaps; each entry's hash
-- covers its fields, the SHA-256 of its envelope and the previous entry's hash (the canonical
-- definition is in dev.herald.core.audit.AuditChain), so an edited, removed or reordered entry
-- breaks the chain at that entry. Times are epoch milliseconds; hashes 64 lowercase hex digits.
-- recorded_at (the append time, which lists filter on) never decreases along seq.
CREATE TABLE audit_log (
    seq          BIGINT NOT NULL,
    delivery_key TEXT   NOT NULL,
    event_id     TEXT   NOT NULL,
    bus          TEXT,
    source       TEXT,
    detail_type  TEXT,
    event_time   BIGINT,
    recorded_at  BIGINT NOT NULL,
    envelope     TEXT   NOT NULL,
    event_hash   TEXT   NOT NULL,
    prev_hash    TEXT   NOT NULL,
    hash         TEXT   NOT NULL,
    CONSTRAINT audit_log_pkey PRIMARY KEY (seq),
    CONSTRAINT audit_log_delivery_key UNIQUE (delivery_key),
    CONSTRAINT audit_log_seq_positive CHECK (seq >= 1)
);

CREATE INDEX audit_log_recorded_at_idx ON audit_log (recorded_at);
CREATE INDEX audit_log_source_idx ON audit_log (source, seq);
CREATE INDEX audit_log_detail_type_idx ON audit_log (detail_type, seq);

-- The head of the chain: one row, the last entry's seq, hash and append time (seq 0, 64 zeros
-- and 0 while the log is empty). Appends lock it and update it in their transaction, which
-- serializes them across Herald instances: the chain never forks. verify checks the entries
-- against it, so entries removed from the end of the log are found too.
CREATE TABLE audit_head (
    id          INTEGER NOT NULL,
    seq         BIGINT  NOT NULL,
    hash        TEXT    NOT NULL,
    recorded_at BIGINT  NOT NULL,
    CONSTRAINT audit_head_pkey PRIMARY KEY (id),
    CONSTRAINT audit_head_one_row CHECK (id = 1)
);

INSERT INTO audit_head (id, seq, hash, recorded_at)
    VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000', 0);

-- Append-only in the database itself: rows of audit_log are never updated, deleted or truncated.
-- (Whoever can drop these triggers can edit the table; verify then finds the edit.)
CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_log is append-only';
END
$$;

CREATE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();

CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();
