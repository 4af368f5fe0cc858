-- Portable DDL (SQLite and PostgreSQL). Times are epoch milliseconds; JSON is stored as text.
-- ${key_text} is TEXT on SQLite and TEXT COLLATE "C" on PostgreSQL (set by Migrations), so that
-- names and ids sort byte by byte on both: lists page in one order whatever the database's
-- default collation.

-- A target. Its secrets are never stored in clear: settings holds the type's settings with every
-- secret replaced by "***", and secrets holds {json pointer: value} of the secrets, sealed with
-- the store's key (AES-256-GCM, bound to "target:<name>"), or NULL when it has none.
CREATE TABLE targets (
    name                         ${key_text} NOT NULL,
    type                         TEXT             NOT NULL,
    settings                     TEXT             NOT NULL,
    secrets                      TEXT,
    enabled                      BOOLEAN          NOT NULL,
    timeout_ms                   INTEGER          NOT NULL,
    retry_max_attempts           INTEGER          NOT NULL,
    retry_max_event_age_seconds  BIGINT           NOT NULL,
    backoff_initial_ms           BIGINT           NOT NULL,
    backoff_multiplier           DOUBLE PRECISION NOT NULL,
    backoff_max_ms               BIGINT           NOT NULL,
    concurrency_max              INTEGER          NOT NULL,
    rate_limit_per_second        DOUBLE PRECISION,
    circuit_enabled              BOOLEAN          NOT NULL,
    circuit_failure_rate_percent INTEGER          NOT NULL,
    circuit_minimum_attempts     INTEGER          NOT NULL,
    circuit_open_seconds         INTEGER          NOT NULL,
    ordered                      BOOLEAN          NOT NULL,
    version                      BIGINT           NOT NULL,
    created_at                   BIGINT           NOT NULL,
    updated_at                   BIGINT           NOT NULL,
    CONSTRAINT targets_pkey PRIMARY KEY (name)
);

-- A rule of a bus. A bus that still has rules cannot be deleted (rules_bus_fkey).
-- targets: the rule's targets with their input shaping, JSON text, in the rule's order.
CREATE TABLE rules (
    bus         ${key_text} NOT NULL,
    name        ${key_text} NOT NULL,
    pattern     TEXT    NOT NULL,
    enabled     BOOLEAN NOT NULL,
    description TEXT    NOT NULL DEFAULT '',
    targets     TEXT    NOT NULL,
    version     BIGINT  NOT NULL,
    created_at  BIGINT  NOT NULL,
    updated_at  BIGINT  NOT NULL,
    CONSTRAINT rules_pkey PRIMARY KEY (bus, name),
    CONSTRAINT rules_bus_fkey FOREIGN KEY (bus) REFERENCES buses (name)
);

-- Which targets each rule names, rewritten with the rule. The foreign keys make it true in the
-- database itself that a rule cannot name a missing target and that a target a rule still names
-- cannot be deleted; deleting a rule frees its targets.
CREATE TABLE rule_targets (
    bus    ${key_text} NOT NULL,
    rule   ${key_text} NOT NULL,
    target ${key_text} NOT NULL,
    CONSTRAINT rule_targets_pkey PRIMARY KEY (bus, rule, target),
    CONSTRAINT rule_targets_rule_fkey FOREIGN KEY (bus, rule)
        REFERENCES rules (bus, name) ON DELETE CASCADE,
    CONSTRAINT rule_targets_target_fkey FOREIGN KEY (target) REFERENCES targets (name)
);

CREATE INDEX rule_targets_target_idx ON rule_targets (target);

-- What the router did with each event (the journey of GET /v1/events/{id}), purged by age.
-- deliveries: [{rule, target, deliveryKey, status, errorCode?, errorMessage?}], JSON text.
CREATE TABLE routings (
    event_id   TEXT   NOT NULL,
    bus        TEXT   NOT NULL,
    routed_at  BIGINT NOT NULL,
    deliveries TEXT   NOT NULL,
    CONSTRAINT routings_pkey PRIMARY KEY (event_id)
);

CREATE INDEX routings_routed_at_idx ON routings (routed_at);

-- The dead letters of each target: at most one per delivery key. id is assigned by the store,
-- sortable by time, and orders a target's dead-letter queue.
CREATE TABLE dead_letters (
    id               ${key_text} NOT NULL,
    target           ${key_text} NOT NULL,
    delivery_key     TEXT    NOT NULL,
    event_id         TEXT    NOT NULL,
    rule             TEXT    NOT NULL,
    envelope         TEXT    NOT NULL,
    attempts         INTEGER NOT NULL,
    error_code       TEXT    NOT NULL,
    error_message    TEXT    NOT NULL,
    first_attempt_at BIGINT  NOT NULL,
    last_attempt_at  BIGINT  NOT NULL,
    CONSTRAINT dead_letters_pkey PRIMARY KEY (id),
    CONSTRAINT dead_letters_delivery_key UNIQUE (target, delivery_key),
    CONSTRAINT dead_letters_attempts_not_negative CHECK (attempts >= 0)
);

CREATE INDEX dead_letters_target_id_idx ON dead_letters (target, id);
