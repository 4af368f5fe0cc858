-- The delivery keys and the per-minute counts without indexes. DuckDB keeps an index (an ART)
-- whole in memory: at the default 256MB memory_limit the primary key over text delivery keys
-- filled it at about 3,000,000 keys, and every later batch failed.
--
-- Delivery keys: each is stored with its event's ingestion time (encoded in the event id, so every
-- redelivery of a key carries the same one). The only writer, the appender, looks keys up within
-- the batch's ingestion times, which DuckDB's per-row-group min/max prunes to the few recent row
-- groups, and appends the new ones in the same transaction as the rows.
--
-- Per-minute counts: each batch appends its counts (several rows may hold one cell); the appender
-- merges the cells it touched every few seconds, and queries add the rows up either way.

CREATE TABLE analytics_delivery_keys_v2 (
  delivery_key VARCHAR NOT NULL,
  ingested_at  TIMESTAMP NOT NULL
);

INSERT INTO analytics_delivery_keys_v2
SELECT k.delivery_key, e.ingested_at
FROM analytics_delivery_keys k JOIN analytics_events e ON e.delivery_key = k.delivery_key
ORDER BY e.ingested_at;

DROP TABLE analytics_delivery_keys;

ALTER TABLE analytics_delivery_keys_v2 RENAME TO analytics_delivery_keys;

-- epoch_minute: minutes since 1970-01-01T00:00Z of the events' time
CREATE TABLE analytics_minute_counts_v2 (
  bus          VARCHAR NOT NULL,
  source       VARCHAR NOT NULL,
  detail_type  VARCHAR NOT NULL,
  epoch_minute BIGINT NOT NULL,
  events       BIGINT NOT NULL
);

INSERT INTO analytics_minute_counts_v2
SELECT bus, source, detail_type, epoch_minute, events FROM analytics_minute_counts
ORDER BY epoch_minute;

DROP TABLE analytics_minute_counts;

ALTER TABLE analytics_minute_counts_v2 RENAME TO analytics_minute_counts;
