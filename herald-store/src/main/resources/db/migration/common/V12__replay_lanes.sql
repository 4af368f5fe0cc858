-- Portable DDL (SQLite and PostgreSQL).

-- The lanes of a replay: {"<target>": {"<partition>": next offset to read}} for each target whose
-- backlog held its replayed deliveries back while the replay read on for the other targets (their
-- positions are the replay's positions). A lane that caught up is dropped.
ALTER TABLE replays ADD COLUMN lanes TEXT NOT NULL DEFAULT '{}';
