-- SQLite compares TEXT byte by byte already (BINARY collation): nothing to change.
-- This migration exists so that both dialects share the version number (see V1).
SELECT 1;
