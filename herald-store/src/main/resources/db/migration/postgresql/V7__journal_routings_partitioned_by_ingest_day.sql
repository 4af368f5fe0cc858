-- Retention by dropping whole days (PostgreSQL only; SQLite keeps the tables of V2/V3 and deletes
-- old rows in chunks).
--
-- journal and routings become partitioned by RANGE (ingest_day): the UTC day on which the event
-- was ingested, decoded from the event id (its first 48 bits are the ingestion time in epoch
-- milliseconds, see dev.herald.core.event.EventId). It never changes for an event id, nor for a
-- delivery key (a hash over the event id), so every upsert of one row lands in one partition
-- whatever attempts, crashes and redeliveries come. The store computes it in Java
-- (IngestDays.of); ids that are not event ids get 1970-01-01, as here.
--
-- Partitions: <table>_pYYYYMMDD for one day each, made ahead by the store (today and the next two
-- days) and dropped whole once their day is older than the retention, and <table>_default for the
-- days without a partition, whose expired rows the store deletes in chunks; so only the DEFAULT
-- partitions keep an index on time. The primary keys include ingest_day, as PostgreSQL requires of
-- a partitioned table's unique constraints; a lookup by delivery key alone probes every
-- partition's index, a lookup by event id only its day's.
--
-- Existing rows are moved in this migration (the tables are locked meanwhile): partitions are made
-- for the last 7 days to the next 2, rows of other days go to the DEFAULT partitions.

CREATE FUNCTION herald_v7_ingest_day(id TEXT) RETURNS DATE LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE
        WHEN id ~ '^[0-7][0-9ABCDEFGHJKMNPQRSTVWXYZabcdefghjkmnpqrstvwxyz]{25}$'
        THEN DATE '1970-01-01' + ((
            SELECT sum((strpos('0123456789ABCDEFGHJKMNPQRSTVWXYZ', upper(substr(id, i, 1))) - 1)::bigint
                       << (5 * (10 - i)))
            FROM generate_series(1, 10) AS i)::bigint / 86400000)::integer
        ELSE DATE '1970-01-01'
    END
$$;

ALTER TABLE journal RENAME TO journal_v6;
ALTER TABLE journal_v6 RENAME CONSTRAINT journal_pkey TO journal_v6_pkey;
DROP INDEX journal_event_id_idx;
DROP INDEX journal_last_attempt_at_idx;

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
    ingest_day         DATE    NOT NULL,
    CONSTRAINT journal_pkey PRIMARY KEY (delivery_key, ingest_day),
    CONSTRAINT journal_status_known CHECK (status IN
        ('pending', 'delivered', 'retrying', 'dead-lettered', 'skipped-duplicate')),
    CONSTRAINT journal_attempts_not_negative CHECK (attempts >= 0)
) PARTITION BY RANGE (ingest_day);

CREATE INDEX journal_event_id_idx ON journal (event_id);
CREATE TABLE journal_default PARTITION OF journal DEFAULT;
CREATE INDEX journal_default_last_attempt_at_idx ON journal_default (last_attempt_at);

ALTER TABLE routings RENAME TO routings_v6;
ALTER TABLE routings_v6 RENAME CONSTRAINT routings_pkey TO routings_v6_pkey;
DROP INDEX routings_routed_at_idx;

CREATE TABLE routings (
    event_id   TEXT   NOT NULL,
    bus        TEXT   NOT NULL,
    routed_at  BIGINT NOT NULL,
    deliveries TEXT   NOT NULL,
    ingest_day DATE   NOT NULL,
    CONSTRAINT routings_pkey PRIMARY KEY (event_id, ingest_day)
) PARTITION BY RANGE (ingest_day);

CREATE TABLE routings_default PARTITION OF routings DEFAULT;
CREATE INDEX routings_default_routed_at_idx ON routings_default (routed_at);

DO $$
DECLARE
    today DATE := (now() AT TIME ZONE 'UTC')::date;
    day   DATE;
BEGIN
    FOR i IN -7..2 LOOP
        day := today + i;
        EXECUTE format('CREATE TABLE %I PARTITION OF journal FOR VALUES FROM (%L) TO (%L)',
                       'journal_p' || to_char(day, 'YYYYMMDD'), day, day + 1);
        EXECUTE format('CREATE TABLE %I PARTITION OF routings FOR VALUES FROM (%L) TO (%L)',
                       'routings_p' || to_char(day, 'YYYYMMDD'), day, day + 1);
    END LOOP;
END
$$;

INSERT INTO journal (delivery_key, event_id, bus, rule, target, status, attempts, last_error_code,
                     last_error_message, first_attempt_at, last_attempt_at, delivered_at, ingest_day)
SELECT delivery_key, event_id, bus, rule, target, status, attempts, last_error_code,
       last_error_message, first_attempt_at, last_attempt_at, delivered_at,
       herald_v7_ingest_day(event_id)
FROM journal_v6;

INSERT INTO routings (event_id, bus, routed_at, deliveries, ingest_day)
SELECT event_id, bus, routed_at, deliveries, herald_v7_ingest_day(event_id)
FROM routings_v6;

DROP TABLE journal_v6;
DROP TABLE routings_v6;
DROP FUNCTION herald_v7_ingest_day(TEXT);
