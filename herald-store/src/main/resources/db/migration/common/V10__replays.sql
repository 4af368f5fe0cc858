-- Portable DDL (SQLite and PostgreSQL). Times are epoch milliseconds; JSON is stored as text.

-- A replay of a bus's archive: re-routes the events ingested in [from_time, to_time) to the bus's
-- rules (all, or those named in rules, a JSON array), each delivery marked with the replay's name.
-- positions: {"<partition>": next offset to read} of the bus topic, saved with each batch so that a
-- restart resumes there; end_offsets: {"<partition>": offset where reading stops}. The instance
-- that runs it holds it until lease_until and renews the lease with each batch; a running replay
-- whose lease expired is taken over by any instance.
CREATE TABLE replays (
    bus                ${key_text} NOT NULL,
    name               ${key_text} NOT NULL,
    state              TEXT    NOT NULL,
    from_time          BIGINT  NOT NULL,
    to_time            BIGINT  NOT NULL,
    rules              TEXT    NOT NULL,
    positions          TEXT    NOT NULL,
    end_offsets        TEXT    NOT NULL,
    events_replayed    BIGINT  NOT NULL,
    events_total       BIGINT  NOT NULL,
    last_replayed_time BIGINT,
    error              TEXT,
    owner              TEXT,
    lease_until        BIGINT,
    created_at         BIGINT  NOT NULL,
    updated_at         BIGINT  NOT NULL,
    finished_at        BIGINT,
    changed_by         TEXT,
    CONSTRAINT replays_pkey PRIMARY KEY (bus, name),
    CONSTRAINT replays_state_known CHECK (state IN ('running', 'completed', 'failed', 'cancelled'))
);

CREATE INDEX replays_state_idx ON replays (state);

-- The deliveries a replay made of an event (the replayed part of GET /v1/events/{id}); their
-- progress is in the journal under the same delivery key. Purged with the journeys.
CREATE TABLE replay_deliveries (
    delivery_key  TEXT   NOT NULL,
    event_id      TEXT   NOT NULL,
    bus           TEXT   NOT NULL,
    replay        TEXT   NOT NULL,
    rule          TEXT   NOT NULL,
    target        TEXT   NOT NULL,
    error_code    TEXT,
    error_message TEXT,
    replayed_at   BIGINT NOT NULL,
    CONSTRAINT replay_deliveries_pkey PRIMARY KEY (delivery_key)
);

CREATE INDEX replay_deliveries_event_id_idx ON replay_deliveries (event_id);
CREATE INDEX replay_deliveries_replayed_at_idx ON replay_deliveries (replayed_at);
