-- Portable DDL (SQLite and PostgreSQL).

-- Who last created or changed each bus, rule and target: the id of the API key, "anonymous" while
-- auth was off, "herald" for a change Herald made itself (a target disabled by a 410). NULL for an
-- object last changed before this column existed, or by a caller that names nobody.
ALTER TABLE buses ADD COLUMN changed_by TEXT;
ALTER TABLE rules ADD COLUMN changed_by TEXT;
ALTER TABLE targets ADD COLUMN changed_by TEXT;
