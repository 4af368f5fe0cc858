-- Retention purges raw rows by ingestion time and delivery keys by delivery time, a chunk at once.

CREATE INDEX analytics_events_by_ingested_at ON analytics_events (ingested_at);

CREATE INDEX analytics_delivery_keys_by_delivered_at ON analytics_delivery_keys (delivered_at);
