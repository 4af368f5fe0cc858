-- The analytics store (DuckDB): raw delivered events, per-minute counts, and the delivery keys
-- that make appends exactly-once. Times are UTC.

CREATE TABLE analytics_delivery_keys (
  delivery_key VARCHAR PRIMARY KEY,
  delivered_at TIMESTAMP NOT NULL
);

CREATE TABLE analytics_events (
  delivery_key VARCHAR NOT NULL,
  event_id     VARCHAR NOT NULL,
  bus          VARCHAR NOT NULL,
  source       VARCHAR NOT NULL,
  detail_type  VARCHAR NOT NULL,
  event_time   TIMESTAMP NOT NULL,
  ingested_at  TIMESTAMP NOT NULL,
  delivered_at TIMESTAMP NOT NULL,
  envelope     VARCHAR NOT NULL
);

-- epoch_minute: minutes since 1970-01-01T00:00Z of the events' time
CREATE TABLE analytics_minute_counts (
  bus          VARCHAR NOT NULL,
  source       VARCHAR NOT NULL,
  detail_type  VARCHAR NOT NULL,
  epoch_minute BIGINT NOT NULL,
  events       BIGINT NOT NULL,
  PRIMARY KEY (bus, source, detail_type, epoch_minute)
);
