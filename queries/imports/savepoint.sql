-- Mark where a rollback attempt starts (a refusal returns here).
SAVEPOINT rollback_batch
