-- The primary's current WAL position: a standby that has replayed it has every commit made so far.
SELECT pg_current_wal_lsn()::text AS lsn
