-- Portable DDL (SQLite and PostgreSQL). Times are epoch milliseconds.
-- Dialect-specific migrations go in db/migration/sqlite and db/migration/postgresql,
-- with a version number used in both of them and in no common migration.

-- A bus. Its ordinal is 16 bits of every event id of the bus: assigned once, never reused
-- while the bus exists.
CREATE TABLE buses (
    name                   TEXT    NOT NULL,
    ordinal                INTEGER NOT NULL,
    description            TEXT    NOT NULL DEFAULT '',
    archive_retention_days INTEGER NOT NULL DEFAULT 7,
    version                BIGINT  NOT NULL,
    created_at             BIGINT  NOT NULL,
    updated_at             BIGINT  NOT NULL,
    CONSTRAINT buses_pkey PRIMARY KEY (name),
    CONSTRAINT buses_ordinal_key UNIQUE (ordinal),
    CONSTRAINT buses_ordinal_range CHECK (ordinal BETWEEN 0 AND 65535),
    CONSTRAINT buses_retention_not_negative CHECK (archive_retention_days >= 0)
);

-- Producers' ids of published entries and the event id stored for each, kept for the
-- dedupe window (minutes) and purged by recorded_at.
CREATE TABLE client_ids (
    bus         TEXT   NOT NULL,
    client_id   TEXT   NOT NULL,
    event_id    TEXT   NOT NULL,
    recorded_at BIGINT NOT NULL,
    CONSTRAINT client_ids_pkey PRIMARY KEY (bus, client_id)
);

CREATE INDEX client_ids_recorded_at_idx ON client_ids (recorded_at);

-- One row, rewritten by the store's writability check.
CREATE TABLE heartbeat (
    id      INTEGER NOT NULL,
    beat_at BIGINT  NOT NULL,
    CONSTRAINT heartbeat_pkey PRIMARY KEY (id),
    CONSTRAINT heartbeat_single_row CHECK (id = 1)
);
