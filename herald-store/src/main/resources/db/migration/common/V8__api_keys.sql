-- Portable DDL (SQLite and PostgreSQL). Times are epoch milliseconds; JSON is stored as text.

-- An API key. secret is sealed with the store's key (AES-256-GCM, bound to "api-key:<id>"), never
-- in clear: Herald can open it again to check request signatures. scopes is a JSON array of the
-- scopes' wire forms. last_used_at is written at most about once a minute per key. changed_by is
-- the id of the key that created or last changed it (NULL: bootstrap, or auth was off).
CREATE TABLE api_keys (
    id           ${key_text} NOT NULL,
    name         TEXT    NOT NULL,
    scopes       TEXT    NOT NULL,
    secret       TEXT    NOT NULL,
    created_at   BIGINT  NOT NULL,
    updated_at   BIGINT  NOT NULL,
    last_used_at BIGINT,
    changed_by   TEXT,
    PRIMARY KEY (id)
);
