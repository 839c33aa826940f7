-- An import's share of the import lock: imports run together, never during a rollback.
SELECT pg_advisory_xact_lock_shared(4206018)
