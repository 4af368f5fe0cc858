-- Names sort byte by byte ("C" collation), as in SQLite, whatever the database's default
-- collation: lists and their cursors page in the same order on both stores.
ALTER TABLE buses ALTER COLUMN name TYPE TEXT COLLATE "C";
