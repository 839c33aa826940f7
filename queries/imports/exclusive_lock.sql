-- Wait for running imports and hold off new ones until this transaction ends (rollback).
SELECT pg_advisory_xact_lock(4206018)
