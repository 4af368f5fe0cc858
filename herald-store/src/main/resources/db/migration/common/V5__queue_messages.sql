-- Portable DDL (SQLite and PostgreSQL). Times are epoch milliseconds; JSON is stored as text.

-- The messages of queue targets, waiting to be received or received and not yet acknowledged.
-- A receive claims visible rows (visible_at <= now): it sets visible_at to now + visibility,
-- counts the receive and gives the row a new random lease_token, which the receipt handle names;
-- ack, nack and visibility changes act only while the token matches and the lease is live
-- (visible_at > now). body is what the rule delivered (the envelope or its shaped input);
-- envelope is the delivered envelope when body is shaped (NULL when body is the envelope), kept
-- for dead letters. Rows received as often as the target's maxAttempts become dead letters.
CREATE TABLE queue_messages (
    id                ${key_text} NOT NULL,
    queue             ${key_text} NOT NULL,
    delivery_key      TEXT    NOT NULL,
    event_id          TEXT    NOT NULL,
    rule              TEXT    NOT NULL,
    body              TEXT    NOT NULL,
    body_json         BOOLEAN NOT NULL,
    envelope          TEXT,
    enqueued_at       BIGINT  NOT NULL,
    visible_at        BIGINT  NOT NULL,
    receive_count     INTEGER NOT NULL,
    lease_token       TEXT,
    first_received_at BIGINT,
    last_received_at  BIGINT,
    CONSTRAINT queue_messages_pkey PRIMARY KEY (id),
    CONSTRAINT queue_messages_delivery_key UNIQUE (queue, delivery_key),
    CONSTRAINT queue_messages_receive_count_not_negative CHECK (receive_count >= 0)
);

-- Receives take the oldest visible rows of one queue.
CREATE INDEX queue_messages_queue_visible_at_idx ON queue_messages (queue, visible_at, id);

-- The delivery keys each queue has taken, written in the transaction that adds the message and
-- kept after its ack, so that a delivery enqueued again (a redelivery after a crash) is dropped:
-- exactly one message per delivery key. A message that becomes a dead letter gives its key back,
-- so that a redrive enqueues it again. Purged by age.
CREATE TABLE queue_delivery_keys (
    queue        TEXT   NOT NULL,
    delivery_key TEXT   NOT NULL,
    enqueued_at  BIGINT NOT NULL,
    CONSTRAINT queue_delivery_keys_pkey PRIMARY KEY (queue, delivery_key)
);

CREATE INDEX queue_delivery_keys_enqueued_at_idx ON queue_delivery_keys (enqueued_at);
