-- Portable DDL (SQLite and PostgreSQL). Times are epoch milliseconds.

-- A target's dead letters seen as the SQS queue <target>-dlq: a ReceiveMessage hides the dead
-- letters it returns until hidden_until (its visibility timeout), ChangeMessageVisibility moves
-- that time. Stored, so that every instance sharing the store and a restarted one agree; a row
-- goes with its dead letter (redriven or purged). A letter without a row, or whose hidden_until
-- has passed, is visible.
CREATE TABLE dead_letter_visibility (
    dead_letter_id ${key_text} NOT NULL,
    hidden_until   BIGINT NOT NULL,
    CONSTRAINT dead_letter_visibility_pkey PRIMARY KEY (dead_letter_id),
    CONSTRAINT dead_letter_visibility_dead_letter FOREIGN KEY (dead_letter_id)
        REFERENCES dead_letters (id) ON DELETE CASCADE
);
