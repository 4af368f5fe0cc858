-- The analytics store in cluster mode: the state store's PostgreSQL database, tables prefixed
-- analytics_, migrated by their own Flyway history (analytics_schema_history).

CREATE TABLE analytics_delivery_keys (
  delivery_key TEXT PRIMARY KEY,
  delivered_at TIMESTAMPTZ NOT NULL
);

CREATE TABLE analytics_events (
  delivery_key TEXT NOT NULL,
  event_id     TEXT NOT NULL,
  bus          TEXT NOT NULL,
  source       TEXT NOT NULL,
  detail_type  TEXT NOT NULL,
  event_time   TIMESTAMPTZ NOT NULL,
  ingested_at  TIMESTAMPTZ NOT NULL,
  delivered_at TIMESTAMPTZ NOT NULL,
  envelope     JSON NOT NULL
);

-- epoch_minute: minutes since 1970-01-01T00:00Z of the events' time
CREATE TABLE analytics_minute_counts (
  bus          TEXT NOT NULL,
  source       TEXT NOT NULL,
  detail_type  TEXT NOT NULL,
  epoch_minute BIGINT NOT NULL,
  events       BIGINT NOT NULL,
  PRIMARY KEY (bus, source, detail_type, epoch_minute)
);

CREATE INDEX analytics_minute_counts_by_minute ON analytics_minute_counts (epoch_minute);
