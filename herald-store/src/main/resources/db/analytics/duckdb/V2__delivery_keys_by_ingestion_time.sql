-- Delivery keys without a primary-key index. DuckDB keeps an index (an ART) whole in memory: at
-- the default 256MB memory_limit the index of text keys filled it at about 3,000,000 keys and
-- every later batch failed. Each key is now stored with its event's ingestion time (encoded in
-- the event id, so every redelivery of a key carries the same one); the only writer, the appender,
-- looks keys up within the batch's ingestion times, which DuckDB's per-row-group min/max prunes
-- to the few recent row groups, and appends the new ones in the same transaction as the rows.

CREATE TABLE analytics_delivery_keys_by_time (
  delivery_key VARCHAR NOT NULL,
  ingested_at  TIMESTAMP NOT NULL
);

INSERT INTO analytics_delivery_keys_by_time
SELECT k.delivery_key, e.ingested_at
FROM analytics_delivery_keys k JOIN analytics_events e ON e.delivery_key = k.delivery_key
ORDER BY e.ingested_at;

DROP TABLE analytics_delivery_keys;

ALTER TABLE analytics_delivery_keys_by_time RENAME TO analytics_delivery_keys;
