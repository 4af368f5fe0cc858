-- Portable DDL (SQLite and PostgreSQL). Times are epoch milliseconds; JSON is stored as text.
-- ${blob} is BLOB on SQLite and BYTEA on PostgreSQL (set by Migrations).

-- The delivery journal: the latest state of each delivery (one row per delivery key), read to
-- skip deliveries that already succeeded and to show an event's journey. A row never leaves
-- 'delivered'. Purged by age (last_attempt_at, or first_attempt_at when never attempted).
CREATE TABLE journal (
    delivery_key       TEXT    NOT NULL,
    event_id           TEXT    NOT NULL,
    bus                TEXT    NOT NULL,
    rule               TEXT    NOT NULL,
    target             TEXT    NOT NULL,
    status             TEXT    NOT NULL,
    attempts           INTEGER NOT NULL,
    last_error_code    TEXT,
    last_error_message TEXT,
    first_attempt_at   BIGINT,
    last_attempt_at    BIGINT,
    delivered_at       BIGINT,
    CONSTRAINT journal_pkey PRIMARY KEY (delivery_key),
    CONSTRAINT journal_status_known CHECK (status IN
        ('pending', 'delivered', 'retrying', 'dead-lettered', 'skipped-duplicate')),
    CONSTRAINT journal_attempts_not_negative CHECK (attempts >= 0)
);

CREATE INDEX journal_event_id_idx ON journal (event_id);
CREATE INDEX journal_last_attempt_at_idx ON journal (last_attempt_at);

-- Scheduled retries of unordered targets: the target record (value, key, headers) to deliver
-- again at due_at. A scheduler claims due rows for a lease (claimed_by, claimed_until), delivers
-- them and deletes them, or schedules them again; an expired lease makes a row claimable again.
CREATE TABLE retries (
    delivery_key     TEXT    NOT NULL,
    target           TEXT    NOT NULL,
    due_at           BIGINT  NOT NULL,
    attempt          INTEGER NOT NULL,
    event_id         TEXT    NOT NULL,
    rule             TEXT    NOT NULL,
    headers          TEXT    NOT NULL,
    payload          ${blob} NOT NULL,
    record_key       ${blob},
    first_attempt_at BIGINT  NOT NULL,
    claimed_by       TEXT,
    claimed_until    BIGINT,
    CONSTRAINT retries_pkey PRIMARY KEY (delivery_key)
);

CREATE INDEX retries_target_due_at_idx ON retries (target, due_at);
-- Claims take the oldest due rows of all targets.
CREATE INDEX retries_due_at_idx ON retries (due_at);
